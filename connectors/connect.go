package connectors

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"

	"github.com/awsconnect/awsconnect/internal/echo"
	"github.com/awsconnect/awsconnect/policy"
	"github.com/awsconnect/awsconnect/role"
)

// Step titles, for UIs that show them as they are.
const (
	titleFields     = "Connection fields valid"
	titleRole       = "Role assumed with the external ID"
	titleExternalID = "Role requires the external ID"
	titleService    = "Service reachable with the needed permission"
)

// probeSessionName names the session of the external-ID probe, so the
// customer's CloudTrail shows what the call was for.
const probeSessionName = "awsconnect-external-id-probe"

// probeSessionPolicy is the session policy of the external-ID probe. A
// session's permissions are the intersection of the role's and this, so
// credentials the probe obtains from an open role can do nothing, even if
// they escape through a log of STS's response before they are dropped.
const probeSessionPolicy = `{"Version":"2012-10-17","Statement":[{"Sid":"ProbeOnly","Effect":"Deny","Action":"*","Resource":"*"}]}`

// trustPolicy returns the trust policy that admits the platform to spec's
// role with spec's external ID, or nil when Options.PlatformAccountID is
// unset or invalid. A bare account ID is qualified with the role's
// partition: arn:aws:iam::ID:root names nothing a role in aws-cn or
// aws-us-gov can trust.
func (r *Resolver) trustPolicy(spec role.Spec) *policy.Document {
	principal := r.opts.PlatformAccountID
	if principal == "" {
		return nil
	}
	if rarn, err := role.ParseRoleARN(spec.RoleARN); err == nil && !strings.HasPrefix(principal, "arn:") {
		principal = "arn:" + rarn.Partition + ":iam::" + principal + ":root"
	}
	trust, err := policy.TrustPolicy(principal, spec.ExternalID)
	if err != nil {
		return nil
	}
	return trust
}

// Check runs the connection check behind a Connect button and reports every
// step in order: the fields are valid; the role is assumed with the external
// ID; the role refuses the platform without the external ID; the service
// answers a call that needs the connector's permission (the kind's own
// Check). A failed step skips the steps that depend on it. Check never
// returns an error: every failure is a step with a message and a hint.
func (r *Resolver) Check(ctx context.Context, c Connection) CheckReport {
	rep := CheckReport{ConnectionID: c.ID, Kind: c.Kind}
	skipRest := func(from StepID, why string) CheckReport {
		steps := []struct {
			id    StepID
			title string
		}{{StepRoleAssumed, titleRole}, {StepExternalIDRequired, titleExternalID}, {StepServiceReachable, titleService}}
		started := false
		for _, s := range steps {
			started = started || s.id == from
			if started {
				rep.Add(skippedStep(s.id, s.title, why))
			}
		}
		return rep
	}

	if err := r.Validate(c); err != nil {
		rep.Add(fieldsStep(err))
		return skipRest(StepRoleAssumed, "The connection fields are invalid.")
	}
	rep.Add(CheckStep{ID: StepFields, Title: titleFields, Status: Passed, Message: "Every field is valid."})

	cfg, spec, err := r.resolve(ctx, c)
	if err != nil {
		var ve *ValidationError
		if errors.As(err, &ve) {
			// A field only the workspace's settings make required (the
			// project in project mode).
			step := fieldsStep(err)
			step.ID, step.Title = StepRoleAssumed, titleRole
			rep.Add(step)
		} else {
			step := CheckStep{ID: StepRoleAssumed, Title: titleRole,
				Message: "The platform could not resolve the connection's credentials: " + errorSentence(err),
				Hint:    "Correct the workspace's scope settings or the platform's resolver configuration named above."}
			failedStep(&step, Failed, CauseSettingsInvalid, ActorPlatform, err)
			rep.Add(step)
		}
		return skipRest(StepExternalIDRequired, "No credentials could be resolved.")
	}

	if c.Auth.Type == AuthIAMRole {
		step, ok := r.assumeStep(ctx, cfg, spec)
		rep.Add(step)
		if !ok {
			return skipRest(StepExternalIDRequired, "The role could not be assumed.")
		}
		rep.Add(r.probeStep(ctx, spec))
	} else {
		rep.Add(skippedStep(StepRoleAssumed, titleRole, "Access-key authorization assumes no role."))
		rep.Add(skippedStep(StepExternalIDRequired, titleExternalID, "Access-key authorization uses no external ID."))
	}

	kind, _ := r.opts.Registry.Lookup(c.Kind) // validate checked it is registered
	checker, err := kind.New(cfg, c)
	if err != nil {
		rep.Add(ConfigFailure(titleService, fmt.Errorf("the %s connector cannot use the connection: %w", kind.Title, err),
			"Correct the connection's fields for this connector.").Steps[0])
		return rep
	}
	for _, s := range checker.Check(ctx).Steps {
		if s.Cause == CauseCredentialsInvalid && c.Auth.Type == AuthIAMRole {
			// The credentials came from STS a moment ago: what the
			// service refused is the platform's side, not a customer's key.
			s.Actor = ActorPlatform
		}
		rep.Add(s)
	}
	return rep
}

// fieldsStep is the failed StepFields of a connection Validate refused with
// err: [CauseEndpointRefused] when the endpoint policy is the only
// objection, else [CauseInvalidFields].
func fieldsStep(err error) CheckStep {
	step := CheckStep{ID: StepFields, Title: titleFields, Status: Failed, Cause: CauseInvalidFields, Actor: ActorCustomer,
		Message: errorSentence(err), Hint: "Correct the fields named above in the connection form."}
	var ve *ValidationError
	if !errors.As(err, &ve) {
		step.Detail = err.Error()
		return step
	}
	step.Fields = ve.Fields
	labels := make([]string, len(ve.Fields))
	refused := true
	for i, f := range ve.Fields {
		labels[i] = f.Label
		refused = refused && errors.Is(f, ErrEndpointRefused)
	}
	if len(labels) == 1 {
		step.Message = labels[0] + " is invalid."
	} else {
		step.Message = fmt.Sprintf("%d fields are invalid: %s.", len(labels), strings.Join(labels, ", "))
	}
	if refused {
		step.Cause = CauseEndpointRefused
		step.Hint = "Use the service's public endpoint (clear the endpoint override), or have the platform allow this endpoint in its endpoint policy."
	}
	return step
}

// assumeStep assumes the role now through the cache's RetrieveFresh: the
// check proves the role as it is (a customer who just fixed the trust
// policy is not answered from the negative cache), and the fresh
// credentials replace the cached ones every later call uses.
func (r *Resolver) assumeStep(ctx context.Context, _ aws.Config, spec role.Spec) (CheckStep, bool) {
	step := CheckStep{ID: StepRoleAssumed, Title: titleRole}
	creds, err := r.cache.RetrieveFresh(ctx, spec)
	if err != nil {
		assumeFailure(&step, spec, err)
		if step.Cause == CauseTrustPolicyDenied {
			step.TrustPolicy = r.trustPolicy(spec)
		}
		return step, false
	}
	obtained := r.opts.Now().UTC()
	step.Status = Passed
	step.CredentialsObtainedAt = obtained
	step.Message = fmt.Sprintf("Assumed %s with external ID %s; fresh credentials obtained from STS at %s, not from the cache",
		spec.RoleARN, spec.ExternalID, obtained.Format(time.RFC3339))
	if creds.CanExpire {
		step.CredentialsExpireAt = creds.Expires.UTC()
		step.Message += fmt.Sprintf("; they expire at %s", creds.Expires.UTC().Format(time.RFC3339))
	}
	step.Message += "."
	return step, true
}

// assumeFailure fills the failed StepRoleAssumed step of an AssumeRole of
// spec that failed with err: its cause, who must act, a sentence and the
// hint.
func assumeFailure(step *CheckStep, spec role.Spec, err error) {
	var (
		are *role.AssumeRoleError
		rle *role.RateLimitError
	)
	switch {
	case errors.As(err, &are):
		cause, actor, msg := assumeCause(are, spec)
		failedStep(step, Failed, cause, actor, err)
		step.Message = msg
		step.Hint = are.Hint()
	case errors.Is(err, role.ErrExternalIDRetired):
		failedStep(step, Failed, CauseExternalIDRetired, ActorPlatform, err)
		step.Message = fmt.Sprintf("The platform has retired external ID %s, so it no longer assumes roles with it.", spec.ExternalID)
		step.Hint = "The workspace's scope settings still derive a retired external ID: finish or roll back the scope switch or rotation (UnretireExternalID), then check again."
	case errors.As(err, &rle):
		failedStep(step, Failed, CauseRateLimited, ActorPlatform, err)
		step.Message = "The platform's own AssumeRole rate limit refused the call; STS was not called."
		step.Hint = fmt.Sprintf("Try again after %v, or raise the role cache's RateLimit.", rle.RetryAfter.Round(time.Millisecond))
	case errors.Is(err, context.DeadlineExceeded) || errors.Is(err, context.Canceled):
		failedStep(step, Failed, CauseNetworkError, ActorPlatform, err)
		step.Message = "The AssumeRole call timed out or was cancelled."
		step.Hint = "Try again; if it keeps timing out, check the platform's network path to STS."
	default:
		failedStep(step, Failed, CauseUnknown, "", err)
		step.Message = "The role could not be assumed."
		step.Hint = "Check the role ARN and the platform's own credentials; the detail says what failed."
	}
}

// assumeCause maps the classified reason of a refused AssumeRole to the
// step's cause, who must act and its message.
func assumeCause(are *role.AssumeRoleError, spec role.Spec) (Cause, Actor, string) {
	says := awsSays(are)
	switch are.Reason {
	case role.ReasonTrustPolicy:
		return CauseTrustPolicyDenied, ActorCustomer, fmt.Sprintf(
			"STS refused to let the platform assume %s with external ID %s: the role's trust policy does not admit the platform with that external ID, or the role does not exist.",
			spec.RoleARN, spec.ExternalID)
	case role.ReasonDurationTooLong:
		return CauseSessionDurationTooLong, ActorCustomer, fmt.Sprintf("The session duration asked for is longer than the maximum session duration of %s.", spec.RoleARN)
	case role.ReasonRegionDisabled:
		return CauseRegionDisabled, ActorPlatform, "STS is not activated in the region the platform calls it in."
	case role.ReasonPlatformCredentials:
		return CausePlatformCredentialsInvalid, ActorPlatform, "STS refused the platform's own credentials: they are invalid or expired."
	case role.ReasonPlatformPermission:
		return CausePlatformPermissionMissing, ActorPlatform, fmt.Sprintf("The platform's own identity policies do not allow sts:AssumeRole on %s.", spec.RoleARN)
	case role.ReasonClockSkew:
		return CauseClockSkew, ActorPlatform, "STS refused the platform's signature: the platform's clock is more than 5 minutes off AWS's."
	case role.ReasonThrottled:
		return CauseThrottled, ActorPlatform, "STS throttled the AssumeRole call."
	case role.ReasonNetwork:
		return CauseNetworkError, ActorPlatform, "STS could not be reached, or the call timed out."
	case role.ReasonServiceUnavailable:
		return CauseServiceUnavailable, ActorPlatform, "STS answered with a server error, on AWS's side." + says
	case role.ReasonInvalidRequest:
		return CauseInvalidRequest, ActorPlatform, "STS refused the AssumeRole call's parameters." + says
	}
	return CauseUnknown, "", "AssumeRole failed for a reason the library does not classify." + says
}

// probeStep asks STS to assume the role WITHOUT the external ID. This is the
// one AssumeRole call made without it, on purpose: if it succeeds, any other
// customer of the platform who learns the role ARN could have the platform act
// on this account (the confused deputy). It goes to the STS client directly,
// never through the role cache, with a session policy that denies every
// action, and any credentials it obtains are dropped at once: they are never
// returned, cached or used, and could do nothing if they were.
func (r *Resolver) probeStep(ctx context.Context, spec role.Spec) CheckStep {
	return r.probeVerdict(spec, r.assumeProbe(ctx, spec.RoleARN, "", probeSessionName))
}

// probeVerdict is the step of a probe that STS answered with err.
func (r *Resolver) probeVerdict(spec role.Spec, err error) CheckStep {
	step := CheckStep{ID: StepExternalIDRequired, Title: titleExternalID}
	switch {
	case err == nil:
		step.Status, step.Cause, step.Actor = Warned, CauseExternalIDNotRequired, ActorCustomer
		step.Message = fmt.Sprintf("The role %s can be assumed by the platform WITHOUT an external ID, so it is open to the confused deputy: another customer of the platform who learns the role ARN could reach this account.", spec.RoleARN)
		step.Hint = fmt.Sprintf(`Add this condition to the trust policy statement that admits the platform: "Condition": {"StringEquals": {"sts:ExternalId": %s}}`, echo.Quote(spec.ExternalID))
		step.TrustPolicy = r.trustPolicy(spec)
	case IsAccessDenied(err):
		step.Status = Passed
		step.Message = "The role refuses the platform without the external ID."
	default:
		failedStep(&step, Warned, CauseExternalIDUnverified, ActorPlatform, err)
		step.Message = "Could not tell whether the role requires the external ID: STS's answer to the call without it was neither a success nor a denial." + awsSays(err)
		step.Hint = "Run the check again; if this persists, confirm the trust policy has an sts:ExternalId condition."
	}
	return step
}
