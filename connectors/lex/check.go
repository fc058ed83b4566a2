package lex

import (
	"context"
	"errors"
	"strings"

	"github.com/awsconnect/awsconnect/connectors"
)

// checkSessionID is the session Check asks for. No conversation uses it, so
// Lex answers "not found" when the call is allowed.
const checkSessionID = "awsconnect-connection-check"

// Check proves the connection reaches the bot alias with Lex permissions
// through the least intrusive call: GetSession of a session that does not
// exist, which starts no conversation and runs no fulfilment code. A
// "session not found" answer passes (the call was authorised and the bot
// alias exists); AccessDenied names lex:GetSession on the bot-alias ARN and
// carries the statement to add.
func (c *Connector) Check(ctx context.Context) connectors.CheckReport {
	ref, err := c.resolve(Ref{SessionID: checkSessionID})
	if err != nil {
		return connectors.ConfigFailure("Amazon Lex V2", err, "Set the connection's bot ID, bot alias ID and locale ID.")
	}
	var rep connectors.CheckReport
	_, err = c.GetSession(ctx, ref)
	var le *Error
	if errors.As(err, &le) && le.Code == "ResourceNotFoundException" && sessionMissing(le.Message) {
		err = nil
	}
	need := requirementsIn(c.region, c.opts.AccountID, ref.BotID, ref.BotAliasID, []Operation{OpGetSession})[0]
	rep.Add(connectors.ServiceStep("Amazon Lex V2 GetSession", need, err))
	return rep
}

// sessionMissing tells "this session does not exist" from "this bot alias
// does not exist", which share the ResourceNotFoundException code.
func sessionMissing(msg string) bool {
	m := strings.ToLower(msg)
	return strings.Contains(m, "session") && !strings.Contains(m, "bot")
}
