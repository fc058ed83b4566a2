package lex_test

import (
	"fmt"

	"github.com/awsconnect/awsconnect/connectors/lex"
	"github.com/awsconnect/awsconnect/policy"
)

func ExampleRequirements() {
	reqs := lex.Requirements([]lex.Operation{lex.OpRecognizeText, lex.OpDeleteSession}, "eu-west-2", "444455556666", "FLOWERSBOT", lex.DefaultAliasID)
	doc, err := policy.LeastPrivilege(reqs...)
	if err != nil {
		panic(err)
	}
	j, _ := doc.JSON()
	fmt.Println(string(j))
	// Output:
	// {"Version":"2012-10-17","Statement":[{"Sid":"LexBotAlias","Effect":"Allow","Action":["lex:DeleteSession","lex:RecognizeText"],"Resource":"arn:aws:lex:eu-west-2:444455556666:bot-alias/FLOWERSBOT/TSTALIASID"}]}
}
