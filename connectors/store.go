package connectors

import (
	"context"
	"errors"
	"fmt"
	"sync"

	"github.com/awsconnect/awsconnect/internal/echo"
	"github.com/awsconnect/awsconnect/scope"
)

// ModeStore is where a platform persists each workspace's external-ID scope
// mode; [Switcher.Commit] is its writer. What the platform persists is one
// value per workspace: the mode, "workspace" or "project" (scope.Mode's
// text form). The Resolver's [ModeFunc] must read what SetMode wrote, on
// every platform instance, from the moment SetMode returns: Commit checks
// that it does and undoes the switch when it does not.
//
// Implementations must be safe for concurrent use.
type ModeStore interface {
	// SetMode persists mode for workspaceID. It must be atomic: on error
	// nothing changed.
	SetMode(ctx context.Context, workspaceID string, mode scope.Mode) error
}

// DeriverStore is where a platform that rotates external IDs persists which
// deriver version each workspace uses; [Switcher.Commit] of a rotation is its
// writer. What the platform persists is one version name per workspace
// (never the deriver's secret, which belongs in its secret manager, keyed
// by version). The Resolver's [Options].Deriver must answer the deriver of
// the version SetDeriverVersion wrote, on every platform instance, from the
// moment it returns.
//
// Implementations must be safe for concurrent use.
type DeriverStore interface {
	// DeriverVersion returns the version in force for workspaceID.
	DeriverVersion(ctx context.Context, workspaceID string) (string, error)
	// SetDeriverVersion persists version for workspaceID. It must be
	// atomic: on error nothing changed.
	SetDeriverVersion(ctx context.Context, workspaceID, version string) error
}

// ErrUnknownWorkspace is returned (wrapped) by [MemoryScopes] for a
// workspace it holds nothing for.
var ErrUnknownWorkspace = errors.New("connectors: unknown workspace")

// MemoryScopes keeps modes and deriver versions in memory: a [ModeStore], a
// [DeriverStore], and the [ModeFunc] and [DeriverFunc] that read them, for
// tests, examples and single-process platforms. A platform with several
// instances keeps the same two values per workspace in its database.
// The zero value holds no workspace; it is safe for concurrent use.
type MemoryScopes struct {
	mu       sync.RWMutex // guards the maps
	modes    map[string]scope.Mode
	versions map[string]string
	derivers map[string]scope.Deriver
	// DefaultVersion is the deriver version of a workspace with none set.
	// Set it before first use. Optional; default "".
	DefaultVersion string
}

// AddDeriver makes d available under version.
func (m *MemoryScopes) AddDeriver(version string, d scope.Deriver) {
	m.mu.Lock()
	defer m.mu.Unlock()
	if m.derivers == nil {
		m.derivers = map[string]scope.Deriver{}
	}
	m.derivers[version] = d
}

// Mode is the [ModeFunc] of the store.
func (m *MemoryScopes) Mode(_ context.Context, workspaceID string) (scope.Mode, error) {
	m.mu.RLock()
	defer m.mu.RUnlock()
	mode, ok := m.modes[workspaceID]
	if !ok {
		return "", fmt.Errorf("%w %s: set its mode first", ErrUnknownWorkspace, echo.Quote(workspaceID))
	}
	return mode, nil
}

// SetMode implements [ModeStore]; it refuses an invalid mode.
func (m *MemoryScopes) SetMode(_ context.Context, workspaceID string, mode scope.Mode) error {
	if err := mode.Validate(); err != nil {
		return err
	}
	m.mu.Lock()
	defer m.mu.Unlock()
	if m.modes == nil {
		m.modes = map[string]scope.Mode{}
	}
	m.modes[workspaceID] = mode
	return nil
}

// DeriverVersion implements [DeriverStore].
func (m *MemoryScopes) DeriverVersion(_ context.Context, workspaceID string) (string, error) {
	m.mu.RLock()
	defer m.mu.RUnlock()
	if v, ok := m.versions[workspaceID]; ok {
		return v, nil
	}
	return m.DefaultVersion, nil
}

// SetDeriverVersion implements [DeriverStore]; it refuses a version no
// deriver was added for.
func (m *MemoryScopes) SetDeriverVersion(_ context.Context, workspaceID, version string) error {
	m.mu.Lock()
	defer m.mu.Unlock()
	if _, ok := m.derivers[version]; !ok {
		return fmt.Errorf("connectors: no deriver has version %s; add it with AddDeriver first", echo.Quote(version))
	}
	if m.versions == nil {
		m.versions = map[string]string{}
	}
	m.versions[workspaceID] = version
	return nil
}

// Deriver is the [DeriverFunc] of the store: the deriver of the workspace's
// version.
func (m *MemoryScopes) Deriver(_ context.Context, workspaceID string) (scope.Deriver, error) {
	m.mu.RLock()
	defer m.mu.RUnlock()
	v, ok := m.versions[workspaceID]
	if !ok {
		v = m.DefaultVersion
	}
	d, ok := m.derivers[v]
	if !ok {
		return scope.Deriver{}, fmt.Errorf("connectors: workspace %s uses deriver version %s, which is unknown; add it with AddDeriver", echo.Quote(workspaceID), echo.Quote(v))
	}
	return d, nil
}
