package ses

import (
	"context"
	"fmt"
	"strings"

	"github.com/awsconnect/awsconnect/connectors"
	"github.com/awsconnect/awsconnect/policy"
)

// The causes of the warnings of SES's check step, beside those of
// [connectors.ServiceStep]. Both are the customer's to act on.
const (
	// CauseSendingPaused: SES has paused sending for the account in the
	// connection's region.
	CauseSendingPaused connectors.Cause = "ses_sending_paused"
	// CauseSandbox: the account is in the SES sandbox (only verified
	// recipients, a small daily quota).
	CauseSandbox connectors.Cause = "ses_sandbox"
)

// Check proves the connection can reach SES through GetAccount, which sends
// nothing. The step passes when sending is enabled and the account is out
// of the sandbox; it warns when SES has paused sending or the account is
// still in the sandbox (only verified recipients), since the connection
// works but mail will not flow as expected.
func (c *Connector) Check(ctx context.Context) connectors.CheckReport {
	if c.err != nil {
		return connectors.ConfigFailure("Amazon SES", c.err,
			"Correct the connection's identity field: an email address or a domain.")
	}
	var rep connectors.CheckReport
	acct, err := c.GetAccount(ctx)
	step := connectors.ServiceStep("Amazon SES GetAccount", policy.Requirement{Action: "ses:GetAccount"}, err)
	if err == nil {
		switch {
		case !acct.SendingEnabled:
			step.Status, step.Cause, step.Actor = connectors.Warned, CauseSendingPaused, connectors.ActorCustomer
			step.Message = "SES has paused sending for this account in this region (enforcement status " + acct.EnforcementState + ")."
			step.Hint = "Open the SES console's Account dashboard to see why sending is paused, and resolve it before sending."
		case !acct.ProductionAccess:
			step.Status, step.Cause, step.Actor = connectors.Warned, CauseSandbox, connectors.ActorCustomer
			step.Message = fmt.Sprintf("The account is in the SES sandbox: at most %.0f messages a day, and only to verified addresses.", acct.Max24HourSend)
			step.Hint = "Request production access in the SES console (Account dashboard) to send to any recipient."
		default:
			step.Message = strings.TrimSuffix(step.Message, ".") +
				fmt.Sprintf("; sending is enabled, quota %.0f messages a day at %.0f per second.", acct.Max24HourSend, acct.MaxSendRate)
		}
	}
	rep.Add(step)
	return rep
}
