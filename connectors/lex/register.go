package lex

import (
	"fmt"

	"github.com/aws/aws-sdk-go-v2/aws"

	"github.com/awsconnect/awsconnect/connectors"
	"github.com/awsconnect/awsconnect/internal/echo"
	"github.com/awsconnect/awsconnect/policy"
)

// KindName is the connector kind this package registers.
const KindName = "lex"

// The connection fields of the Lex kind.
const (
	FieldBotID      = "bot_id"
	FieldBotAliasID = "bot_alias_id"
	FieldLocaleID   = "locale_id"
)

// Kind is the Amazon Lex V2 connector kind: its form fields, operations and
// permissions. Importing this package registers it (and only it) into
// connectors.DefaultRegistry; a platform with its own registry registers
// it there. It must not be modified.
var Kind = connectors.Kind{
	Name:        KindName,
	Title:       "Amazon Lex V2",
	Fields:      kindFields,
	Operations:  kindOperations,
	Permissions: permissions,
	New:         connectors.Constructor(NewFromConnection),
}

var kindFields = []connectors.Field{
	{Key: FieldBotID, Label: "Bot ID", Required: true, Hint: "The bot's 10-character ID (Lex console: Bots, the bot, Bot details).",
		Validate: idField("bot ID")},
	{Key: FieldBotAliasID, Label: "Bot alias ID", Hint: "The alias to talk to; empty means TSTALIASID, the test alias.",
		Validate: idField("bot alias ID")},
	{Key: FieldLocaleID, Label: "Locale", Hint: "The bot locale, such as en_US; empty means en_US.",
		Validate: func(v string) error {
			if !localePattern.MatchString(v) {
				return fmt.Errorf("%s must look like en_US", echo.Quote(v))
			}
			return nil
		}},
}

var kindOperations = []connectors.OperationInfo{
	{Name: OpRecognizeText, Title: "Talk to the bot (text)", Actions: []string{"lex:RecognizeText"}},
	{Name: OpGetSession, Title: "Read conversation state", Actions: []string{"lex:GetSession"}},
	{Name: OpPutSession, Title: "Set conversation state", Actions: []string{"lex:PutSession"}},
	{Name: OpDeleteSession, Title: "End conversations", Actions: []string{"lex:DeleteSession"}},
}

func init() { connectors.Register(Kind) }

// permissions is Kind.Permissions: the operations and Check's
// lex:GetSession on the connection's bot alias, in the role's partition
// and account.
func permissions(c connectors.Connection, ops []connectors.Operation) ([]policy.Requirement, error) {
	bot, alias := c.Fields[FieldBotID], c.Fields[FieldBotAliasID]
	if bot == "" {
		return nil, fmt.Errorf("lex: Requirements: the connection's %s field is required: the permissions are on its bot", FieldBotID)
	}
	if alias == "" {
		alias = DefaultAliasID
	}
	arn := connectors.ResourceARN(c.Partition(), "lex", c.Region, c.RoleAccountID(), "bot-alias/"+bot+"/"+alias)
	reqs := make([]policy.Requirement, 0, len(ops)+1)
	for _, op := range append(append([]Operation(nil), ops...), OpGetSession) {
		reqs = append(reqs, policy.Requirement{Action: "lex:" + string(op), Resource: arn})
	}
	return reqs, nil
}

// NewFromConnection returns the Connector for a connection of kind "lex"
// whose aws.Config is cfg (from connectors.Resolver.Config), talking to the
// connection's bot, alias and locale; optFns adjust the other Options. A
// connection of another kind or with a field the kind does not have is
// refused.
func NewFromConnection(cfg aws.Config, conn connectors.Connection, optFns ...func(*Options)) (*Connector, error) {
	if err := (connectors.Kind{Name: KindName, Fields: kindFields}).CheckConnection(conn); err != nil {
		return nil, err
	}
	fns := append([]func(*Options){func(o *Options) {
		o.BotID = conn.Fields[FieldBotID]
		if v := conn.Fields[FieldBotAliasID]; v != "" {
			o.BotAliasID = v
		}
		if v := conn.Fields[FieldLocaleID]; v != "" {
			o.LocaleID = v
		}
		o.AccountID = conn.RoleAccountID()
		if o.AccountID == "" {
			o.AccountID = "*"
		}
	}}, optFns...)
	return New(cfg, fns...), nil
}

func idField(what string) func(string) error {
	return func(v string) error {
		if !idPattern.MatchString(v) {
			return fmt.Errorf("%s %s must be 10 letters and digits", what, echo.Quote(v))
		}
		return nil
	}
}
