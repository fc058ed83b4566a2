package connectors

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"sync"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws/arn"
	"github.com/aws/aws-sdk-go-v2/service/sts"
	"golang.org/x/sync/singleflight"

	"github.com/awsconnect/awsconnect/internal/echo"
	"github.com/awsconnect/awsconnect/internal/iamarn"
	"github.com/awsconnect/awsconnect/policy"
	"github.com/awsconnect/awsconnect/role"
	"github.com/awsconnect/awsconnect/scope"
)

// DeriverFunc returns the deriver in force for a workspace: see
// [Options].Deriver. It must be safe for concurrent use.
type DeriverFunc func(ctx context.Context, workspaceID string) (scope.Deriver, error)

// CallerIdentityAPIClient is the one STS operation [Settings] needs to
// discover the platform's principal; an *sts.Client is one.
type CallerIdentityAPIClient interface {
	GetCallerIdentity(ctx context.Context, in *sts.GetCallerIdentityInput, optFns ...func(*sts.Options)) (*sts.GetCallerIdentityOutput, error)
}

// DefaultDiscoveryTimeout bounds the one GetCallerIdentity call [Settings]
// shares between its callers, which no caller's context cancels: the SDK's
// retries of a slow STS fit in it, and a settings page never waits longer.
const DefaultDiscoveryTimeout = 30 * time.Second

// SettingsOptions configures [Settings]. NewSettings reads it once.
type SettingsOptions struct {
	// STS answers GetCallerIdentity when the Resolver's
	// Options.PlatformAccountID is empty. Default the Resolver's Options.STS
	// when it has that method (an *sts.Client does), else an sts.Client of
	// the Resolver's base config. Optional.
	STS CallerIdentityAPIClient
	// DiscoveryTimeout bounds the shared GetCallerIdentity call. Default
	// DefaultDiscoveryTimeout (30 seconds). Optional.
	DiscoveryTimeout time.Duration
}

// Settings answers what a platform's settings screen shows: the principal
// customers' roles must trust, each workspace's scope mode, the external ID
// of a workspace or project under that mode, and the trust policy to paste.
// It reads the Resolver's deriver, ModeFunc and options, so the screen and
// the connections can never disagree.
//
// A Settings is safe for concurrent use by multiple goroutines.
type Settings struct {
	r    *Resolver
	opts SettingsOptions

	sf        singleflight.Group // de-duplicates discovery
	mu        sync.Mutex         // guards principal
	principal *Principal         // set after the first successful discovery
}

// NewSettings returns the Settings of r.
func NewSettings(r *Resolver, optFns ...func(*SettingsOptions)) *Settings {
	var o SettingsOptions
	for _, fn := range optFns {
		fn(&o)
	}
	if o.STS == nil {
		if c, ok := r.opts.STS.(CallerIdentityAPIClient); ok {
			o.STS = c
		} else {
			o.STS = sts.NewFromConfig(r.base)
		}
	}
	if o.DiscoveryTimeout <= 0 {
		o.DiscoveryTimeout = DefaultDiscoveryTimeout
	}
	return &Settings{r: r, opts: o}
}

// Principal is the platform's AWS identity as the settings screen shows it
// and as customers' trust policies name it. It is a plain value that
// marshals to JSON.
type Principal struct {
	// AccountID is the platform's 12-digit AWS account ID.
	AccountID string `json:"account_id"`
	// Partition is the platform account's partition ("aws", "aws-cn");
	// "" when the platform was configured with a bare account ID, which
	// is then written in each role's own partition.
	Partition string `json:"partition,omitempty"`
	// ARN is the principal trust policies name: the configured root or role
	// ARN, or the discovered account's root ARN. "" for a configured bare
	// account ID (see [Principal.For]).
	ARN string `json:"arn,omitempty"`
	// CallerARN is the identity GetCallerIdentity answered (an IAM user, or
	// an assumed-role session); "" when configured.
	CallerARN string `json:"caller_arn,omitempty"`
	// Discovered is set when the principal came from GetCallerIdentity
	// rather than from Options.PlatformAccountID.
	Discovered bool `json:"discovered"`
}

// ErrPartitionMismatch is returned (wrapped) for a role in another partition
// than the platform: STS never lets a principal of one partition assume a
// role of another.
var ErrPartitionMismatch = errors.New("connectors: the role is in another AWS partition than the platform")

// For returns the principal a trust policy for roleARN names, in the role's
// partition: the ARN when the partition is known and matches, or the root of
// a bare account ID in the role's partition. roleARN "" means the
// platform's own partition ("aws" for a bare account ID), for a settings
// screen shown before the customer created the role.
func (p Principal) For(roleARN string) (string, error) {
	if roleARN == "" {
		if p.ARN != "" {
			return p.ARN, nil
		}
		return p.AccountID, nil
	}
	r, err := role.ParseRoleARN(roleARN)
	if err != nil {
		return "", fmt.Errorf("connectors: role ARN %s: %w", echo.Quote(roleARN), err)
	}
	if p.ARN == "" {
		return "arn:" + r.Partition + ":iam::" + p.AccountID + ":root", nil
	}
	if p.Partition != r.Partition {
		return "", fmt.Errorf("%w: role %s is in partition %q, the platform principal %s in %q; connect the role from a platform deployment in %q",
			ErrPartitionMismatch, roleARN, r.Partition, p.ARN, p.Partition, r.Partition)
	}
	return p.ARN, nil
}

// Principal returns the platform's principal: Options.PlatformAccountID of
// the Resolver when set (a 12-digit account ID, or a root or role ARN), else
// the account STS GetCallerIdentity names, discovered on the first call,
// shared by concurrent callers and kept after it succeeds (a failure is not
// kept: the next call asks again).
//
// A discovered principal is the account's root ARN, even when the platform
// runs as a role: the session ARN GetCallerIdentity returns does not carry
// the role's path, so the role's own ARN cannot be derived from it. Trusting
// the account lets any principal of the platform account that its identity
// policies allow sts:AssumeRole assume the role (with the external ID); to
// trust only the platform's role, configure its ARN in
// Options.PlatformAccountID.
func (s *Settings) Principal(ctx context.Context) (Principal, error) {
	if p, ok := s.configured(); ok {
		return p, nil
	}
	s.mu.Lock()
	if s.principal != nil {
		p := *s.principal
		s.mu.Unlock()
		return p, nil
	}
	s.mu.Unlock()
	ch := s.sf.DoChan("principal", func() (any, error) {
		// Shared by every waiter, so no waiter's cancellation ends it.
		dctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), s.opts.DiscoveryTimeout)
		defer cancel()
		p, err := s.discover(dctx)
		if err != nil {
			return nil, err
		}
		s.mu.Lock()
		s.principal = &p
		s.mu.Unlock()
		return p, nil
	})
	select {
	case <-ctx.Done():
		return Principal{}, fmt.Errorf("connectors: discovering the platform principal: %w", ctx.Err())
	case res := <-ch:
		if res.Err != nil {
			return Principal{}, res.Err
		}
		return res.Val.(Principal), nil
	}
}

// configured is the principal of Options.PlatformAccountID, if set and
// valid.
func (s *Settings) configured() (Principal, bool) {
	id := s.r.opts.PlatformAccountID
	if id == "" {
		return Principal{}, false
	}
	if iamarn.IsAccountID(id) {
		return Principal{AccountID: id}, true
	}
	a, err := arn.Parse(id)
	if err != nil || !iamarn.IsAccountID(a.AccountID) {
		// policy.TrustPolicy reports what is wrong with it when used.
		return Principal{AccountID: id, ARN: id}, true
	}
	return Principal{AccountID: a.AccountID, Partition: a.Partition, ARN: id}, true
}

func (s *Settings) discover(ctx context.Context) (Principal, error) {
	out, err := s.opts.STS.GetCallerIdentity(ctx, &sts.GetCallerIdentityInput{})
	if err != nil {
		return Principal{}, fmt.Errorf("connectors: discovering the platform principal with sts:GetCallerIdentity: %w; check the platform's own credentials, or set Options.PlatformAccountID", err)
	}
	caller := ""
	if out.Arn != nil {
		caller = *out.Arn
	}
	a, err := arn.Parse(caller)
	account := ""
	if out.Account != nil {
		account = *out.Account
	}
	if err != nil || !iamarn.IsAccountID(account) {
		return Principal{}, fmt.Errorf("connectors: sts:GetCallerIdentity answered account %s and ARN %s, which name no AWS account; set Options.PlatformAccountID", echo.Quote(account), echo.Quote(caller))
	}
	return Principal{AccountID: account, Partition: a.Partition, ARN: "arn:" + a.Partition + ":iam::" + account + ":root",
		CallerARN: caller, Discovered: true}, nil
}

// ExternalIDInfo is the external ID a workspace or project uses under the
// workspace's current mode. It is a plain value that marshals to JSON.
type ExternalIDInfo struct {
	// WorkspaceID is the workspace asked about.
	WorkspaceID string `json:"workspace_id"`
	// ProjectID is the project the ID belongs to; "" in workspace mode,
	// where every project of the workspace uses the workspace's ID.
	ProjectID string `json:"project_id,omitempty"`
	// Mode is the workspace's mode.
	Mode scope.Mode `json:"mode"`
	// ModeTitle is the mode's label ("Single external ID for the workspace").
	ModeTitle string `json:"mode_title"`
	// ExternalID is the ID the role's trust policy must require.
	ExternalID string `json:"external_id"`
}

// ExternalID returns the external ID that connections of projectID in
// workspaceID use under the workspace's mode: the workspace's own ID in
// workspace mode (projectID may then be "" or any project of the
// workspace), the project's in project mode (projectID is then required).
func (s *Settings) ExternalID(ctx context.Context, workspaceID, projectID string) (ExternalIDInfo, error) {
	mode, err := s.r.modeOf(ctx, workspaceID)
	if err != nil {
		return ExternalIDInfo{}, err
	}
	if mode == scope.WorkspaceMode {
		projectID = ""
	} else if projectID == "" {
		return ExternalIDInfo{}, fmt.Errorf("connectors: workspace %s uses %s (%s): name the project whose external ID to show",
			echo.Quote(workspaceID), echo.Quote(mode), mode.Title())
	}
	id, err := s.r.externalIDFor(ctx, mode, workspaceID, projectID)
	if err != nil {
		return ExternalIDInfo{}, err
	}
	return ExternalIDInfo{WorkspaceID: workspaceID, ProjectID: projectID, Mode: mode, ModeTitle: mode.Title(), ExternalID: id}, nil
}

// TrustPolicy returns the trust policy the customer pastes into a role of
// projectID in workspaceID: it admits the platform's principal (in roleARN's
// partition; roleARN may be "" before the role exists) with the external ID
// of [Settings.ExternalID].
func (s *Settings) TrustPolicy(ctx context.Context, workspaceID, projectID, roleARN string) (*policy.Document, error) {
	info, err := s.ExternalID(ctx, workspaceID, projectID)
	if err != nil {
		return nil, err
	}
	return s.trustPolicy(ctx, roleARN, info.ExternalID)
}

// trustPolicy admits the platform principal to roleARN with externalIDs.
func (s *Settings) trustPolicy(ctx context.Context, roleARN string, externalIDs ...string) (*policy.Document, error) {
	p, err := s.Principal(ctx)
	if err != nil {
		return nil, err
	}
	principal, err := p.For(roleARN)
	if err != nil {
		return nil, err
	}
	doc, err := policy.TrustPolicy(principal, externalIDs...)
	if err != nil {
		return nil, fmt.Errorf("connectors: trust policy for role %s: %w", echo.Quote(roleARN), err)
	}
	return doc, nil
}

// ModeChoice is one option of the settings screen's scope selector.
type ModeChoice struct {
	// Mode is the value to switch to.
	Mode scope.Mode `json:"mode"`
	// Title is its label.
	Title string `json:"title"`
	// Selected is set for the mode in force.
	Selected bool `json:"selected"`
}

// SettingsScreen is everything the settings screen of one workspace shows.
// It is a plain value that marshals to JSON.
type SettingsScreen struct {
	// Principal is the platform identity customers' roles trust.
	Principal Principal `json:"principal"`
	// WorkspaceID is the workspace shown.
	WorkspaceID string `json:"workspace_id"`
	// Mode is the workspace's mode.
	Mode scope.Mode `json:"mode"`
	// Modes are the choices of the scope selector, the one in force
	// selected.
	Modes []ModeChoice `json:"modes"`
	// ExternalIDs are the IDs in force: the workspace's in workspace mode,
	// one per project asked for in project mode.
	ExternalIDs []ExternalIDInfo `json:"external_ids"`
}

// Screen returns the settings screen of workspaceID, with the external IDs
// of the given projects (in project mode; in workspace mode the one ID of
// the workspace).
func (s *Settings) Screen(ctx context.Context, workspaceID string, projectIDs ...string) (SettingsScreen, error) {
	p, err := s.Principal(ctx)
	if err != nil {
		return SettingsScreen{}, err
	}
	mode, err := s.r.modeOf(ctx, workspaceID)
	if err != nil {
		return SettingsScreen{}, err
	}
	scr := SettingsScreen{Principal: p, WorkspaceID: workspaceID, Mode: mode}
	for _, m := range []scope.Mode{scope.WorkspaceMode, scope.ProjectMode} {
		scr.Modes = append(scr.Modes, ModeChoice{Mode: m, Title: m.Title(), Selected: m == mode})
	}
	if mode == scope.WorkspaceMode {
		projectIDs = []string{""}
	}
	for _, project := range projectIDs {
		info, err := s.ExternalID(ctx, workspaceID, project)
		if err != nil {
			return SettingsScreen{}, err
		}
		scr.ExternalIDs = append(scr.ExternalIDs, info)
	}
	return scr, nil
}

// modeOf returns the workspace's mode through the ModeFunc, validated.
func (r *Resolver) modeOf(ctx context.Context, workspaceID string) (scope.Mode, error) {
	if strings.TrimSpace(workspaceID) == "" {
		return "", errors.New("connectors: workspace ID is empty; name the workspace")
	}
	mode, err := r.mode(ctx, workspaceID)
	if err == nil {
		err = mode.Validate()
	}
	if err != nil {
		return "", fmt.Errorf("connectors: scope mode of workspace %s: %w", echo.Quote(workspaceID), err)
	}
	return mode, nil
}

// deriverFor returns the deriver in force for a workspace.
func (r *Resolver) deriverFor(ctx context.Context, workspaceID string) (scope.Deriver, error) {
	if r.opts.Deriver == nil {
		return r.deriver, nil
	}
	d, err := r.opts.Deriver(ctx, workspaceID)
	if err != nil {
		return scope.Deriver{}, fmt.Errorf("connectors: deriver of workspace %s: %w", echo.Quote(workspaceID), err)
	}
	return d, nil
}

// externalIDFor derives the ID of a workspace (projectID "") or project
// under mode with the workspace's deriver.
func (r *Resolver) externalIDFor(ctx context.Context, mode scope.Mode, workspaceID, projectID string) (string, error) {
	d, err := r.deriverFor(ctx, workspaceID)
	if err != nil {
		return "", err
	}
	id, err := d.ExternalID(mode, workspaceID, projectID)
	if err != nil {
		return "", fmt.Errorf("connectors: external ID of workspace %s: %w", echo.Quote(workspaceID), err)
	}
	return id, nil
}
