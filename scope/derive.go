package scope

import (
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"strconv"
	"strings"

	"github.com/awsconnect/awsconnect/internal/echo"
)

// DefaultPrefix is the prefix [Deriver] uses when [Deriver.Prefix] is empty.
const DefaultPrefix = "awsconnect_iam_external_id"

// Separator joins the parts of a derived external ID. Tenant IDs may not
// contain it, which is what makes derivation injective.
const Separator = "_"

// tagLen is the number of hex characters of the keyed tag: 80 bits, far beyond
// guessing, while keeping IDs short enough to read in a trust policy.
const tagLen = 20

// ErrInvalidTenantID is returned (wrapped) when a workspace or project ID
// cannot be part of an external ID.
var ErrInvalidTenantID = errors.New("scope: invalid tenant ID")

// ErrInvalidPrefix is returned (wrapped) when [Deriver.Prefix] cannot start an
// external ID.
var ErrInvalidPrefix = errors.New("scope: invalid prefix")

// ErrForeignExternalID is returned (wrapped) by [Deriver.Parse] for an ID this
// Deriver did not derive.
var ErrForeignExternalID = errors.New("scope: external ID was not derived by this deriver")

// Deriver derives external IDs from tenant IDs:
//
//	<prefix>_<workspace>            in WorkspaceMode
//	<prefix>_<workspace>_<project>  in ProjectMode
//
// followed by _<tag> when Secret is set. The zero value is ready to use. A
// Deriver is a value: safe for concurrent use as long as Secret is not
// modified.
type Deriver struct {
	// Prefix starts every ID, followed by the separator. Optional; default
	// [DefaultPrefix]. It may contain the separator itself.
	Prefix string `json:"prefix"`

	// Secret, when set, appends a keyed tag (HMAC-SHA256 of mode and tenant
	// IDs, 20 hex characters) so that IDs cannot be predicted from tenant
	// IDs; see the package documentation for when that is worth having.
	// Optional; default none. Changing it changes every ID.
	Secret []byte `json:"secret"`
}

// Tenant identifies what an external ID is scoped to.
type Tenant struct {
	// Mode is the scope the ID was derived in.
	Mode Mode
	// WorkspaceID is the workspace the ID belongs to.
	WorkspaceID string
	// ProjectID is the project the ID belongs to; empty in WorkspaceMode.
	ProjectID string
}

// ExternalID derives the external ID of a workspace (WorkspaceMode, projectID
// must be empty) or of one of its projects (ProjectMode). Tenant IDs must be 1
// or more characters of letters, digits and +=,.@:/- (not the separator "_"),
// and the whole ID must fit AWS's 1,224 characters; anything else is an error
// that says which argument is wrong.
func (d Deriver) ExternalID(mode Mode, workspaceID, projectID string) (string, error) {
	prefix, err := d.prefix()
	if err != nil {
		return "", err
	}
	if err := mode.Validate(); err != nil {
		return "", err
	}
	if err := validateTenantID("workspace ID", workspaceID); err != nil {
		return "", err
	}
	switch mode {
	case WorkspaceMode:
		if projectID != "" {
			return "", fmt.Errorf("%w: project ID %s given in workspace mode; pass an empty project ID, or use project mode",
				ErrInvalidTenantID, echo.Quote(projectID))
		}
	case ProjectMode:
		if err := validateTenantID("project ID", projectID); err != nil {
			return "", err
		}
	}

	var b strings.Builder
	b.Grow(len(prefix) + len(workspaceID) + len(projectID) + 3 + tagLen)
	b.WriteString(prefix)
	b.WriteString(Separator)
	b.WriteString(workspaceID)
	if mode == ProjectMode {
		b.WriteString(Separator)
		b.WriteString(projectID)
	}
	if len(d.Secret) > 0 {
		b.WriteString(Separator)
		b.WriteString(d.tag(mode, workspaceID, projectID))
	}
	id := b.String()
	if len(id) > MaxExternalIDLen {
		return "", fmt.Errorf("%w: the derived external ID would be %d characters, over AWS's %d; shorten the prefix or the tenant IDs",
			ErrInvalidTenantID, len(id), MaxExternalIDLen)
	}
	return id, nil
}

// Parse returns the tenant an external ID was derived for. It is the inverse
// of [Deriver.ExternalID]: for a Deriver with a Secret it also checks the tag,
// so a forged ID is refused.
func (d Deriver) Parse(id string) (Tenant, error) {
	prefix, err := d.prefix()
	if err != nil {
		return Tenant{}, err
	}
	if err := ValidateExternalID(id); err != nil {
		return Tenant{}, err
	}
	rest, ok := strings.CutPrefix(id, prefix+Separator)
	if !ok {
		return Tenant{}, fmt.Errorf("%w: %s does not start with %s", ErrForeignExternalID, echo.Quote(id), echo.Quote(prefix+Separator))
	}
	parts := strings.Split(rest, Separator)
	var tag string
	if len(d.Secret) > 0 {
		tag, parts = parts[len(parts)-1], parts[:len(parts)-1]
	}
	var t Tenant
	switch len(parts) {
	case 1:
		t = Tenant{Mode: WorkspaceMode, WorkspaceID: parts[0]}
	case 2:
		t = Tenant{Mode: ProjectMode, WorkspaceID: parts[0], ProjectID: parts[1]}
	default:
		return Tenant{}, fmt.Errorf("%w: %s has %d parts after the prefix; want workspace or workspace_project",
			ErrForeignExternalID, echo.Quote(id), len(parts))
	}
	for _, p := range parts {
		if p == "" {
			return Tenant{}, fmt.Errorf("%w: %s has an empty tenant ID", ErrForeignExternalID, echo.Quote(id))
		}
	}
	if len(d.Secret) > 0 && !hmac.Equal([]byte(tag), []byte(d.tag(t.Mode, t.WorkspaceID, t.ProjectID))) {
		return Tenant{}, fmt.Errorf("%w: %s has a tag that does not match this deriver's secret", ErrForeignExternalID, echo.Quote(id))
	}
	return t, nil
}

func (d Deriver) prefix() (string, error) {
	if d.Prefix == "" {
		return DefaultPrefix, nil
	}
	if i, r := firstInvalid(d.Prefix, isExternalIDByte); i >= 0 {
		return "", fmt.Errorf("%w: character %s at position %d of prefix %s is not allowed in an external ID",
			ErrInvalidPrefix, strconv.QuoteRune(r), i+1, echo.Quote(d.Prefix))
	}
	return d.Prefix, nil
}

// tag is the keyed tag of a tenant. The mode and IDs are length-framed before
// hashing so that no two tenants share an input.
func (d Deriver) tag(mode Mode, workspaceID, projectID string) string {
	mac := hmac.New(sha256.New, d.Secret)
	for _, s := range [...]string{string(mode), workspaceID, projectID} {
		fmt.Fprintf(mac, "%d:%s;", len(s), s)
	}
	return hex.EncodeToString(mac.Sum(nil))[:tagLen]
}

func validateTenantID(what, id string) error {
	if id == "" {
		return fmt.Errorf("%w: %s is empty", ErrInvalidTenantID, what)
	}
	if i, r := firstInvalid(id, isTenantIDByte); i >= 0 {
		if r == '_' {
			return fmt.Errorf("%w: %s %s contains the separator %q at position %d; tenant IDs may not contain it, so that every tenant gets a distinct external ID",
				ErrInvalidTenantID, what, echo.Quote(id), Separator, i+1)
		}
		return fmt.Errorf("%w: %s %s has character %s at position %d; use letters, digits and +=,.@:/-",
			ErrInvalidTenantID, what, echo.Quote(id), strconv.QuoteRune(r), i+1)
	}
	if len(id) > MaxExternalIDLen {
		return fmt.Errorf("%w: %s is %d characters, over AWS's %d for a whole external ID", ErrInvalidTenantID, what, len(id), MaxExternalIDLen)
	}
	return nil
}

func isTenantIDByte(c byte) bool { return c != '_' && isExternalIDByte(c) }
