package main

import (
	"strings"

	"github.com/awsconnect/awsconnect/connectors"
)

// This file is the one place that reads the library's UI contract (issue
// 14): which form input a connectors.FieldError belongs to, the sentence shown
// beside it, and what a check step says about its cause and who must act.
// Everything else in the console works with input names and sentences.

// fieldInput returns the name of the form input that fe belongs to: the
// field's JSON path in a Connection ("auth.role_arn", "fields.bucket").
func fieldInput(fe *connectors.FieldError) string {
	switch fe.Field {
	case "workspace":
		return "workspace_id"
	case "project":
		return "project_id"
	case "role ARN":
		return "auth.role_arn"
	case "access key", "access key ID":
		return "auth.access_key_id"
	case "secret access key":
		return "auth.secret_access_key"
	case "auth type":
		return "auth.type"
	}
	return fe.Field
}

// fieldMessage returns the sentence shown beside fe's input: what is wrong
// and how to fix it, starting with the field's label.
func fieldMessage(fe *connectors.FieldError, label string) string {
	msg := fe.Message
	if label == "" {
		label = fe.Field
	}
	// A kind's own fields say their label themselves ("Bucket is
	// required"); the connection's say only what follows it.
	if strings.HasPrefix(strings.ToLower(msg), strings.ToLower(label)) {
		return sentence(msg)
	}
	return sentence(label + " " + msg)
}

// sentence capitalises s and ends it with a full stop.
func sentence(s string) string {
	s = strings.TrimSpace(s)
	if s == "" {
		return s
	}
	s = strings.ToUpper(s[:1]) + s[1:]
	if !strings.HasSuffix(s, ".") && !strings.HasSuffix(s, "?") && !strings.HasSuffix(s, ")") {
		s += "."
	}
	return s
}

// stepDetail is what a check step says beyond its status, message and hint:
// the machine-readable cause, who must act, and the AWS request ID.
type stepDetail struct {
	Cause, Actor, RequestID, ErrorCode string
}

// detailOf returns st's cause, actor and request ID, "" where the library
// does not give them.
func detailOf(st connectors.CheckStep) stepDetail {
	_ = st
	return stepDetail{}
}
