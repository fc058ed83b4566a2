package lex

import (
	"fmt"

	"github.com/aws/aws-sdk-go-v2/aws"

	"github.com/awsconnect/awsconnect/connectors"
)

// KindName is the connector kind this package registers.
const KindName = "lex"

func init() {
	connectors.Register(connectors.Kind{
		Name:  KindName,
		Title: "Amazon Lex V2",
		Fields: []connectors.Field{
			{Key: "bot_id", Label: "Bot ID", Required: true, Hint: "The bot's 10-character ID (Lex console: Bots, the bot, Bot details).",
				Validate: idField("bot ID")},
			{Key: "bot_alias_id", Label: "Bot alias ID", Hint: "The alias to talk to; empty means TSTALIASID, the test alias.",
				Validate: idField("bot alias ID")},
			{Key: "locale_id", Label: "Locale", Hint: "The bot locale, such as en_US; empty means en_US.",
				Validate: func(v string) error {
					if !localePattern.MatchString(v) {
						return fmt.Errorf("%q must look like en_US", v)
					}
					return nil
				}},
		},
		New: func(cfg aws.Config, c connectors.Connection) (connectors.Checker, error) {
			return New(cfg, func(o *Options) {
				o.BotID = c.Fields["bot_id"]
				if v := c.Fields["bot_alias_id"]; v != "" {
					o.BotAliasID = v
				}
				if v := c.Fields["locale_id"]; v != "" {
					o.LocaleID = v
				}
				o.AccountID = c.RoleAccountID()
			}), nil
		},
	})
}

func idField(what string) func(string) error {
	return func(v string) error {
		if !idPattern.MatchString(v) {
			return fmt.Errorf("%s %q must be 10 letters and digits", what, v)
		}
		return nil
	}
}
