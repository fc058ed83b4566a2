package ses

import (
	"fmt"
	"strings"

	"github.com/awsconnect/awsconnect/connectors"
	"github.com/awsconnect/awsconnect/internal/echo"
	"github.com/awsconnect/awsconnect/policy"
)

// Operation names a group of connector operations that need the same
// permission, for [Kind]'s Requirements and ParseOperation; it is
// connectors.Operation, the name every kind uses.
type Operation = connectors.Operation

// The operations of this connector.
const (
	// OpSend covers Send of a message without attachments and
	// SendTemplate: ses:SendEmail.
	OpSend Operation = "Send"
	// OpSendRaw covers SendRaw and Send of a message with attachments, which
	// SES v2 authorises as ses:SendRawEmail.
	OpSendRaw Operation = "SendRaw"
	// OpGetAccount covers GetAccount and Check: ses:GetAccount.
	OpGetAccount Operation = "GetAccount"
)

// Target says what the connection sends from, for [Requirements].
//
// Target is a plain value, safe for concurrent reads.
type Target struct {
	// Region is the SES region. Required.
	Region string
	// AccountID is the account of the identity (the role's account).
	// Optional; default "*".
	AccountID string
	// Partition is the AWS partition. Optional; default the region's
	// partition ("aws" for a region this library does not know).
	Partition string
	// Identity is the verified identity the messages are sent from: an
	// address, or a domain for any address in it. Required for OpSend and
	// OpSendRaw.
	Identity string
	// ConfigurationSet is the configuration set the messages use.
	// Optional; default "" (none).
	ConfigurationSet string
}

// Requirements returns the permissions ops need on t, for
// [policy.LeastPrivilege]. SES authorises a send on the verified identity
// the sender belongs to (the address, or its domain when only the domain
// is verified), and on the configuration set when one is used.
func Requirements(t Target, ops ...Operation) ([]policy.Requirement, error) {
	if t.Region == "" {
		return nil, fmt.Errorf("ses: Requirements: Target.Region is required")
	}
	base := connectors.ResourceARN(t.Partition, "ses", t.Region, t.AccountID, "")
	var reqs []policy.Requirement
	for _, op := range ops {
		var action string
		switch op {
		case OpSend:
			action = "ses:SendEmail"
		case OpSendRaw:
			action = "ses:SendRawEmail"
		case OpGetAccount:
			reqs = append(reqs, policy.Requirement{Action: "ses:GetAccount"})
			continue
		default:
			return nil, fmt.Errorf("ses: Requirements: unknown operation %s; use OpSend, OpSendRaw or OpGetAccount", echo.Quote(op))
		}
		if t.Identity == "" {
			return nil, fmt.Errorf("ses: Requirements: Target.Identity is required for %s: the address or domain messages are sent from", op)
		}
		if err := validateIdentity(t.Identity); err != nil {
			return nil, fmt.Errorf("ses: Requirements: %w", err)
		}
		reqs = append(reqs, policy.Requirement{Action: action, Resource: base + "identity/" + policy.Literal(strings.ToLower(t.Identity))})
		if t.ConfigurationSet != "" {
			reqs = append(reqs, policy.Requirement{Action: action, Resource: base + "configuration-set/" + policy.Literal(t.ConfigurationSet)})
		}
	}
	return reqs, nil
}
