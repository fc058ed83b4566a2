package connectors

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"

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

	if err := c.validate(r.opts.Registry); err != nil {
		step := CheckStep{ID: StepFields, Title: titleFields, Status: Failed, Message: err.Error(),
			Hint: "Correct the fields named above in the connection form."}
		var ve *ValidationError
		if errors.As(err, &ve) {
			step.Message = fmt.Sprintf("%d field(s) are invalid", len(ve.Fields))
			step.Fields = ve.Fields
		}
		rep.Add(step)
		return skipRest(StepRoleAssumed, "the connection fields are invalid")
	}
	rep.Add(CheckStep{ID: StepFields, Title: titleFields, Status: Passed, Message: "every field is valid"})

	cfg, spec, err := r.resolve(ctx, c)
	if err != nil {
		rep.Add(CheckStep{ID: StepRoleAssumed, Title: titleRole, Status: Failed, Message: err.Error(),
			Hint: "Correct the connection or the workspace's scope settings named above."})
		return skipRest(StepExternalIDRequired, "no credentials could be resolved")
	}

	if c.Auth.Type == AuthIAMRole {
		step, ok := r.assumeStep(ctx, cfg, spec)
		rep.Add(step)
		if !ok {
			return skipRest(StepExternalIDRequired, "the role could not be assumed")
		}
		rep.Add(r.probeStep(ctx, spec))
	} else {
		rep.Add(skippedStep(StepRoleAssumed, titleRole, "access-key authorization assumes no role"))
		rep.Add(skippedStep(StepExternalIDRequired, titleExternalID, "access-key authorization uses no external ID"))
	}

	kind, _ := r.opts.Registry.Lookup(c.Kind) // validate checked it is registered
	checker, err := kind.New(cfg, c)
	if err != nil {
		rep.Add(CheckStep{ID: StepServiceReachable, Title: titleService, Status: Failed,
			Message: fmt.Sprintf("building the %s connector: %v", kind.Title, err),
			Hint:    "Correct the connection's fields for this connector."})
		return rep
	}
	rep.Steps = append(rep.Steps, checker.Check(ctx).Steps...)
	return rep
}

// assumeStep assumes the role now through the cache's RetrieveFresh: the
// check proves the role as it is (a customer who just fixed the trust
// policy is not answered from the negative cache), and the fresh
// credentials replace the cached ones every later call uses.
func (r *Resolver) assumeStep(ctx context.Context, _ aws.Config, spec role.Spec) (CheckStep, bool) {
	step := CheckStep{ID: StepRoleAssumed, Title: titleRole}
	creds, err := r.cache.RetrieveFresh(ctx, spec)
	if err != nil {
		step.Status = Failed
		step.Message = err.Error()
		var are *role.AssumeRoleError
		if errors.As(err, &are) {
			step.Hint = are.Hint()
		} else {
			step.Hint = "Check the role ARN and the platform's own credentials."
		}
		if are != nil && are.Reason == role.ReasonTrustPolicy {
			step.TrustPolicy = r.trustPolicy(spec)
		}
		return step, false
	}
	step.Status = Passed
	step.Message = fmt.Sprintf("assumed %s with external ID %s", spec.RoleARN, spec.ExternalID)
	if creds.CanExpire {
		step.Message += fmt.Sprintf("; the credentials expire at %s", creds.Expires.UTC().Format(time.RFC3339))
	}
	return step, true
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
		step.Status = Warned
		step.Message = fmt.Sprintf("the role %s can be assumed by the platform WITHOUT an external ID, so it is open to the confused deputy: another customer of the platform who learns the role ARN could reach this account", spec.RoleARN)
		step.Hint = fmt.Sprintf(`Add this condition to the trust policy statement that admits the platform: "Condition": {"StringEquals": {"sts:ExternalId": %q}}`, spec.ExternalID)
		step.TrustPolicy = r.trustPolicy(spec)
	case IsAccessDenied(err):
		step.Status = Passed
		step.Message = "the role refuses the platform without the external ID"
	default:
		step.Status = Warned
		step.Message = fmt.Sprintf("could not tell whether the role requires the external ID: %v", err)
		step.Hint = "Run the check again; if this persists, confirm the trust policy has an sts:ExternalId condition."
	}
	return step
}
