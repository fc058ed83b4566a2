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
// field's JSON path in a Connection ("auth.role_arn", "fields.bucket"),
// which is how the form names its inputs.
func fieldInput(fe *connectors.FieldError) string { return fe.Path }

// fieldMessage returns the sentence shown beside fe's input: what is wrong
// and how to fix it, as the library words it.
func fieldMessage(fe *connectors.FieldError) string { return fe.Message }

// hidesValue reports whether the library withheld the value fe is about
// from its message (a secret access key pasted into the role ARN or the
// access key ID, an endpoint that may hold a password): the form then does
// not show that value again either.
func hidesValue(fe *connectors.FieldError) bool { return fe.Withheld }

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
// the machine-readable cause, who must act, AWS's error code and request ID,
// and the raw error text for support.
type stepDetail struct {
	Cause, Actor, ErrorCode, RequestID, Detail string
}

// detailOf returns st's cause, actor, error code, request ID and detail, ""
// where the step has none.
func detailOf(st connectors.CheckStep) stepDetail {
	return stepDetail{Cause: string(st.Cause), Actor: string(st.Actor), ErrorCode: st.ErrorCode,
		RequestID: st.RequestID, Detail: st.Detail}
}
