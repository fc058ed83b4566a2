package ses

import (
	"github.com/aws/aws-sdk-go-v2/aws"

	"github.com/awsconnect/awsconnect/connectors"
	"github.com/awsconnect/awsconnect/policy"
)

// KindName is the connector kind this package registers.
const KindName = "ses"

// The connection fields of the SES kind.
const (
	FieldIdentity         = "identity"
	FieldConfigurationSet = "configuration_set"
)

// Kind is the Amazon SES connector kind: its form fields, operations and
// permissions. Importing this package registers it (and only it) into
// connectors.DefaultRegistry; a platform with its own registry registers
// it there. It must not be modified.
var Kind = connectors.Kind{
	Name:        KindName,
	Title:       "Amazon SES",
	Fields:      kindFields,
	Operations:  kindOperations,
	Permissions: permissions,
	New:         connectors.Constructor(NewFromConnection),
}

var kindFields = []connectors.Field{
	{Key: FieldIdentity, Label: "Sending identity", Hint: "Optional: the verified address or domain this connection sends from; messages from other senders are refused.", Validate: validateIdentity},
	{Key: FieldConfigurationSet, Label: "Configuration set", Hint: "Optional: the configuration set used for messages that name none."},
}

var kindOperations = []connectors.OperationInfo{
	{Name: OpSend, Title: "Send email", Actions: []string{"ses:SendEmail"}},
	{Name: OpSendRaw, Title: "Send email with attachments (raw)", Actions: []string{"ses:SendRawEmail"}},
	{Name: OpGetAccount, Title: "Read the sending quota", Actions: []string{"ses:GetAccount"}},
}

func init() { connectors.Register(Kind) }

// permissions is Kind.Permissions: sends on the connection's identity (every
// identity of the account when it has none) and configuration set, and
// ses:GetAccount, which Check calls.
func permissions(c connectors.Connection, ops []connectors.Operation) ([]policy.Requirement, error) {
	t := Target{Region: c.Region, AccountID: c.RoleAccountID(), Partition: c.Partition(),
		Identity: c.Fields[FieldIdentity], ConfigurationSet: c.Fields[FieldConfigurationSet]}
	all := append(append([]Operation(nil), ops...), OpGetAccount)
	if t.Identity != "" {
		return Requirements(t, all...)
	}
	base := connectors.ResourceARN(t.Partition, "ses", t.Region, t.AccountID, "")
	var reqs []policy.Requirement
	for _, op := range all {
		switch op {
		case OpSend, OpSendRaw:
			action := map[Operation]string{OpSend: "ses:SendEmail", OpSendRaw: "ses:SendRawEmail"}[op]
			reqs = append(reqs, policy.Requirement{Action: action, Resource: base + "identity/*"})
			if t.ConfigurationSet != "" {
				reqs = append(reqs, policy.Requirement{Action: action, Resource: base + "configuration-set/" + policy.Literal(t.ConfigurationSet)})
			}
		case OpGetAccount:
			reqs = append(reqs, policy.Requirement{Action: "ses:GetAccount"})
		}
	}
	return reqs, nil
}

// NewFromConnection returns the Connector for a connection of kind "ses"
// whose aws.Config is cfg (from connectors.Resolver.Config), restricted to
// the connection's identity and using its configuration set; optFns adjust
// the other Options. A connection of another kind, with a field the kind
// does not have or an invalid identity is refused.
func NewFromConnection(cfg aws.Config, conn connectors.Connection, optFns ...func(*Options)) (*Connector, error) {
	if err := (connectors.Kind{Name: KindName, Fields: kindFields}).CheckConnection(conn); err != nil {
		return nil, err
	}
	fns := append([]func(*Options){func(o *Options) {
		o.Identity = conn.Fields[FieldIdentity]
		o.ConfigurationSet = conn.Fields[FieldConfigurationSet]
	}}, optFns...)
	c := New(cfg, fns...)
	if c.err != nil {
		return nil, c.err
	}
	return c, nil
}
