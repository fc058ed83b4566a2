package lex

import (
	"fmt"
	"log/slog"

	"github.com/awsconnect/awsconnect/internal/redact"
)

// String describes the connector by its bot, never its credentials.
func (c *Connector) String() string {
	if c == nil {
		return "lex.Connector(nil)"
	}
	return fmt.Sprintf("lex.Connector{region %s, bot %q, alias %q, locale %q}", c.region, c.opts.BotID, c.opts.BotAliasID, c.opts.LocaleID)
}

// GoString is the %#v form, redacted like String.
func (c *Connector) GoString() string { return c.String() }

// Format makes every fmt verb print String: the signing transport the
// connector holds would otherwise be printed down to its secret key.
func (c *Connector) Format(f fmt.State, verb rune) { redact.Format(f, verb, c.String(), c.GoString()) }

// LogValue gives slog the bot only.
func (c *Connector) LogValue() slog.Value {
	if c == nil {
		return slog.StringValue(c.String())
	}
	return redact.Value(c.String(), slog.String("region", c.region), slog.String("bot_id", c.opts.BotID),
		slog.String("bot_alias_id", c.opts.BotAliasID), slog.String("locale_id", c.opts.LocaleID))
}

// MarshalJSON writes String, never the credentials.
func (c *Connector) MarshalJSON() ([]byte, error) { return redact.JSON(c.String()) }
