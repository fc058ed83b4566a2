// Package lex is the Amazon Lex V2 runtime connector: RecognizeText and
// Get/Put/DeleteSession, addressed by bot, alias, locale and session ([Ref]),
// with typed responses (intent, slots, messages, session state). It speaks
// Lex's REST-JSON API over [github.com/awsconnect/awsconnect/connectors/sigv4],
// signing for the service "lex", because the SDK's lexruntimev2 module is not
// a dependency of this module.
//
// The package registers the connector kind "lex" (fields bot_id,
// bot_alias_id, locale_id) in connectors.DefaultRegistry.
//
// # From a connection
//
// [Kind] is the connector kind this package registers (importing it
// registers no other). [NewFromConnection] builds the typed Connector for a
// connection of this kind from the aws.Config connectors.Resolver.Config
// returns, honouring the connection's fields. Kind.Requirements(conn, ops)
// returns the permissions of the chosen operations plus those Check uses,
// scoped to the connection's resources in its role's partition, so the
// policy generated from them passes Connect.
//
// # Required IAM permissions
//
// Each operation needs the Lex action of its name on the bot alias
// ([Requirements] returns them for policy.LeastPrivilege):
//
//	RecognizeText   lex:RecognizeText  on arn:aws:lex:REGION:ACCOUNT:bot-alias/BOT_ID/ALIAS_ID
//	GetSession      lex:GetSession     on the same ARN
//	PutSession      lex:PutSession     on the same ARN
//	DeleteSession   lex:DeleteSession  on the same ARN
//
// Check calls GetSession and so needs lex:GetSession.
package lex
