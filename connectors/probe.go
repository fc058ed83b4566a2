package connectors

import (
	"context"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/sts"

	"github.com/awsconnect/awsconnect/role"
)

// assumeProbe asks STS whether the platform may assume roleARN with
// externalID ("" for none: the confused-deputy probe of Check) and drops
// whatever credentials STS returns. It goes to the STS client directly,
// never through the role cache (which refuses retired IDs and would keep
// the credentials), asks for the shortest session, and sends a session
// policy that denies every action, so credentials that escape through a log
// of STS's response could do nothing. nil means STS admitted the call;
// IsAccessDenied(err) that the trust policy refused it.
func (r *Resolver) assumeProbe(ctx context.Context, roleARN, externalID, sessionName string) error {
	in := &sts.AssumeRoleInput{
		RoleArn:         aws.String(roleARN),
		RoleSessionName: aws.String(sessionName),
		DurationSeconds: aws.Int32(int32(role.MinDuration / time.Second)),
		Policy:          aws.String(probeSessionPolicy),
	}
	if externalID != "" {
		in.ExternalId = aws.String(externalID)
	}
	out, err := r.opts.STS.AssumeRole(ctx, in)
	if out != nil {
		out.Credentials = nil
	}
	return err
}
