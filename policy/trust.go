package policy

import (
	"fmt"

	"github.com/aws/aws-sdk-go-v2/aws/arn"

	"github.com/awsconnect/awsconnect/internal/echo"
	"github.com/awsconnect/awsconnect/internal/iamarn"
	"github.com/awsconnect/awsconnect/scope"
)

// IAM's size quotas, counted in characters without white space ("IAM and AWS
// STS quotas").
const (
	// TrustPolicyQuota is the default maximum length of a role trust policy.
	// It can be raised to 4,096 through Service Quotas, but a generated
	// policy must fit the default because the customer's account may not
	// have done that.
	TrustPolicyQuota = 2048
	// ManagedPolicyQuota is the maximum length of a customer managed policy.
	ManagedPolicyQuota = 6144
)

// ExternalIDCondition is the condition key that carries the external ID of
// an sts:AssumeRole call.
const ExternalIDCondition = "sts:ExternalId"

// TrustSid is the Sid of the statement TrustPolicy generates.
const TrustSid = "PlatformAssumeRoleWithExternalID"

// validateExternalID applies AWS's rule for the ExternalId parameter of
// AssumeRole through scope.ValidateExternalID, so that the two packages can
// never disagree on it.
func validateExternalID(id string) error {
	if err := scope.ValidateExternalID(id); err != nil {
		return fmt.Errorf("policy: external ID %s: %w", echo.Quote(id), err)
	}
	return nil
}

// TrustPolicy returns the trust policy a customer attaches to the role the
// platform assumes: it lets the platform principal call sts:AssumeRole only
// with one of the given external IDs (several while a scope switch moves
// connections from one ID to another). Repeated IDs are listed once.
//
// platformPrincipal names whom the role trusts, in one of three forms:
//
//   - a 12-digit account ID, written as arn:aws:iam::ID:root, which is right
//     only in the aws partition;
//   - the platform account's root ARN, arn:PARTITION:iam::ID:root, which is
//     right in every partition (aws-cn, aws-us-gov, ...);
//   - the platform's own IAM role ARN, arn:PARTITION:iam::ID:role/PATH/NAME.
//
// AWS recommends trusting either the account or a specific role. Prefer the
// role when the platform runs under one: trusting the account delegates the
// decision to the platform account's own IAM policies, so any of its
// principals that those policies allow sts:AssumeRole can assume the
// customer's role, while a role principal admits only that role's sessions.
// The price is that IAM pins a role principal to the role's unique ID: if
// the platform deletes and re-creates the role, every customer must save
// their trust policy again. Trust the account when the platform's callers
// vary or that coupling is unwelcome; the external ID is required either
// way.
//
// It fails with ErrInvalidPrincipal (and ErrInvalidAccountID for a bad
// account ID), ErrInvalidExternalID (also for an empty list: a trust policy
// without an external ID opens the role to the confused-deputy problem) or
// ErrTooLarge when the policy would exceed TrustPolicyQuota.
func TrustPolicy(platformPrincipal string, externalIDs ...string) (*Document, error) {
	principal, err := trustedPrincipal(platformPrincipal)
	if err != nil {
		return nil, err
	}
	if len(externalIDs) == 0 {
		return nil, fmt.Errorf("policy: no external ID given; a trust policy without one lets anyone who knows the role ARN use the platform to assume it, so pass the ID from scope.Deriver: %w", ErrInvalidExternalID)
	}
	ids := make(Strings, 0, len(externalIDs))
	seen := map[string]bool{}
	for _, id := range externalIDs {
		if err := validateExternalID(id); err != nil {
			return nil, err
		}
		if !seen[id] {
			seen[id] = true
			ids = append(ids, id)
		}
	}
	d := &Document{
		Version: Version2012,
		Statement: []Statement{{
			Sid:       TrustSid,
			Effect:    EffectAllow,
			Principal: AWSPrincipal(principal),
			Action:    Strings{"sts:AssumeRole"},
			Condition: Conditions{"StringEquals": {ExternalIDCondition: ids}},
		}},
	}
	if n := d.Size(); n > TrustPolicyQuota {
		return nil, fmt.Errorf("%w: a trust policy with %d external IDs is %d characters, over IAM's %d-character trust policy quota; finish the scope switch so fewer IDs are needed, or use shorter IDs", ErrTooLarge, len(ids), n, TrustPolicyQuota)
	}
	return d, nil
}

// assumeRequest is the request STS authorises when caller assumes the role
// with externalID ("" for none).
func assumeRequest(caller, externalID string) Request {
	r := Request{Principal: caller, Action: "sts:AssumeRole"}
	if externalID != "" {
		r.Context = map[string][]string{ExternalIDCondition: {externalID}}
	}
	return r
}

// Admits reports whether trust policy d lets caller (a principal ARN or
// account ID) assume the role with externalID; pass "" for a call without an
// external ID.
func (d *Document) Admits(caller, externalID string) bool {
	return d.Evaluate(assumeRequest(caller, externalID)) == Allow
}

// AdmitsWithoutExternalID reports whether trust policy d lets caller assume
// the role with no external ID at all — the confused-deputy hole the external
// ID exists to close.
func (d *Document) AdmitsWithoutExternalID(caller string) bool {
	return d.Admits(caller, "")
}

// CheckTrust returns nil when trust policy d admits caller with externalID
// and refuses it without one. Otherwise it returns an error wrapping
// ErrNotAdmitted or ErrConfusedDeputy whose message says which statement to
// add or which condition to require.
func (d *Document) CheckTrust(caller, externalID string) error {
	if externalID == "" {
		return fmt.Errorf("policy: no external ID given; the platform never assumes a role without one: %w", ErrInvalidExternalID)
	}
	if d.AdmitsWithoutExternalID(caller) {
		return fmt.Errorf("%w: %s can assume the role with no external ID; add to its Allow statement the condition %s",
			ErrConfusedDeputy, caller, conditionJSON(externalID))
	}
	if !d.Admits(caller, externalID) {
		return fmt.Errorf("%w: the role's trust policy does not admit %s with external ID %s; add a statement that allows sts:AssumeRole to {\"AWS\": %s} with the condition %s",
			ErrNotAdmitted, caller, externalID, echo.Quote(callerRoot(caller)), conditionJSON(externalID))
	}
	return nil
}

func conditionJSON(externalID string) string {
	return fmt.Sprintf(`{"StringEquals": {%q: %s}}`, ExternalIDCondition, echo.Quote(externalID))
}

// callerRoot returns the root ARN of the account of caller (a principal ARN
// or account ID), in the caller's partition so that the suggested principal
// exists there; a placeholder account when it cannot be told.
func callerRoot(caller string) string {
	if iamarn.IsAccountID(caller) {
		return "arn:aws:iam::" + caller + ":root"
	}
	if a, err := arn.Parse(caller); err == nil && iamarn.IsAccountID(a.AccountID) {
		return "arn:" + a.Partition + ":iam::" + a.AccountID + ":root"
	}
	return "arn:aws:iam::ACCOUNT:root"
}
