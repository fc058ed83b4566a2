package lex

import (
	"github.com/awsconnect/awsconnect/connectors"
	"github.com/awsconnect/awsconnect/policy"
)

// Operation names a connector operation, for [Kind]'s Requirements and
// ParseOperation; it is connectors.Operation, the name every kind uses.
type Operation = connectors.Operation

// The connector's operations; each needs the Lex action of the same name.
const (
	OpRecognizeText Operation = "RecognizeText"
	OpGetSession    Operation = "GetSession"
	OpPutSession    Operation = "PutSession"
	OpDeleteSession Operation = "DeleteSession"
)

// AllOperations lists every operation.
func AllOperations() []Operation {
	return []Operation{OpRecognizeText, OpGetSession, OpPutSession, OpDeleteSession}
}

// Requirements returns the permissions the operations need on one bot alias:
// lex:<Operation> on arn:PARTITION:lex:REGION:ACCOUNT:bot-alias/BOT/ALIAS
// (the partition follows the region). Check needs OpGetSession.
func Requirements(ops []Operation, region, accountID, botID, aliasID string) []policy.Requirement {
	return requirementsIn(region, accountID, botID, aliasID, ops)
}

func requirementsIn(region, accountID, botID, aliasID string, ops []Operation) []policy.Requirement {
	arn := connectors.ResourceARN("", "lex", region, accountID, "bot-alias/"+botID+"/"+aliasID)
	out := make([]policy.Requirement, 0, len(ops))
	seen := map[Operation]bool{}
	for _, op := range ops {
		if !seen[op] {
			seen[op] = true
			out = append(out, policy.Requirement{Action: "lex:" + string(op), Resource: arn})
		}
	}
	return out
}
