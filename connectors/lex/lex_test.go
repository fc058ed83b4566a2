package lex_test

import (
	"bytes"
	"compress/gzip"
	"context"
	"encoding/base64"
	"errors"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/awsconnect/awsconnect/connectors/lex"
	"github.com/awsconnect/awsconnect/internal/connectortest"
)

func TestConversation(t *testing.T) {
	e := newEnv(t)
	c := e.connector(t)
	ctx := context.Background()
	ref := lex.Ref{SessionID: "customer-42"}

	out, err := c.RecognizeText(ctx, ref, "I would like to order flowers", func(o *lex.RecognizeOptions) {
		o.RequestAttributes = map[string]string{"channel": "web"}
	})
	require.NoError(t, err)
	require.Equal(t, "customer-42", out.SessionID)
	require.Equal(t, "OrderFlowers", out.SessionState.Intent.Name)
	require.Equal(t, "InProgress", out.SessionState.Intent.State)
	require.Equal(t, "ElicitSlot", out.SessionState.DialogAction.Type)
	require.Equal(t, "FlowerType", out.SessionState.DialogAction.SlotToElicit)
	require.Equal(t, "What type of flowers?", out.Messages[0].Content)
	require.Equal(t, "PlainText", out.Messages[0].ContentType)
	require.Equal(t, "web", out.RequestAttributes["channel"])
	require.NotEmpty(t, out.RequestID)
	require.Equal(t, 1.0, out.Interpretations[0].NluConfidence.Score)

	_, err = c.RecognizeText(ctx, ref, "roses")
	require.NoError(t, err)
	out, err = c.RecognizeText(ctx, ref, "12")
	require.NoError(t, err)
	require.Equal(t, "Fulfilled", out.SessionState.Intent.State)
	require.Equal(t, "roses", out.SessionState.Intent.SlotValue("FlowerType"))
	require.Equal(t, "12", out.SessionState.Intent.SlotValue("Count"))
	require.Equal(t, "Ordered 12 roses.", out.Messages[0].Content)

	sess, err := c.GetSession(ctx, ref)
	require.NoError(t, err)
	require.Equal(t, "Fulfilled", sess.SessionState.Intent.State)
	require.Equal(t, "Ordered 12 roses.", sess.Messages[0].Content)

	put, err := c.PutSession(ctx, lex.Ref{SessionID: "customer-43"}, lex.SessionState{
		DialogAction:      &lex.DialogAction{Type: "ElicitIntent"},
		SessionAttributes: map[string]string{"tier": "gold"},
	}, func(o *lex.PutSessionOptions) {
		o.Messages = []lex.Message{{Content: "Welcome back", ContentType: "PlainText"}}
		o.RequestAttributes = map[string]string{"channel": "web"}
	})
	require.NoError(t, err)
	require.Equal(t, "customer-43", put.SessionID)
	require.Equal(t, "gold", put.SessionState.SessionAttributes["tier"])
	require.Equal(t, "Welcome back", put.Messages[0].Content)
	require.Equal(t, "web", put.RequestAttributes["channel"])

	sess, err = c.GetSession(ctx, lex.Ref{SessionID: "customer-43"})
	require.NoError(t, err)
	require.Equal(t, "gold", sess.SessionState.SessionAttributes["tier"])

	require.NoError(t, c.DeleteSession(ctx, lex.Ref{SessionID: "customer-43"}))
	_, err = c.GetSession(ctx, lex.Ref{SessionID: "customer-43"})
	var le *lex.Error
	require.ErrorAs(t, err, &le)
	require.Equal(t, "ResourceNotFoundException", le.Code)
	require.Equal(t, 404, le.HTTPStatusCode())
	require.Equal(t, "GetSession", le.Op)
	err = c.DeleteSession(ctx, lex.Ref{SessionID: "customer-43"})
	require.ErrorAs(t, err, &le)
	require.Equal(t, "ResourceNotFoundException", le.Code)
}

func TestRefusedBeforeSending(t *testing.T) {
	e := newEnv(t)
	c := e.connector(t)
	ctx := context.Background()
	tests := []struct {
		name string
		call func() error
		msg  string
	}{
		{"short session", func() error { _, err := c.GetSession(ctx, lex.Ref{SessionID: "x"}); return err }, "session ID"},
		{"parent-directory session", func() error { return c.DeleteSession(ctx, lex.Ref{SessionID: ".."}) }, "only dots"},
		{"dots-only session", func() error { _, err := c.RecognizeText(ctx, lex.Ref{SessionID: "..."}, "hi"); return err }, "only dots"},
		{"bad bot", func() error { _, err := c.RecognizeText(ctx, lex.Ref{BotID: "bot", SessionID: "s1"}, "hi"); return err }, "bot ID"},
		{"bad alias", func() error { return c.DeleteSession(ctx, lex.Ref{BotAliasID: "alias", SessionID: "s1"}) }, "bot alias ID"},
		{"bad locale", func() error {
			_, err := c.PutSession(ctx, lex.Ref{LocaleID: "english", SessionID: "s1"}, lex.SessionState{})
			return err
		}, "locale ID"},
		{"empty text", func() error { _, err := c.RecognizeText(ctx, lex.Ref{SessionID: "s1"}, ""); return err }, "1-1024"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			e.Server.ResetRequests()
			err := tt.call()
			require.ErrorIs(t, err, lex.ErrInvalidInput)
			require.ErrorContains(t, err, tt.msg)
			require.Empty(t, e.Server.Requests())
		})
	}
}

func TestAccessDeniedIsTyped(t *testing.T) {
	e := newEnv(t, func(o *connectortest.Options) {
		o.Permissions = lex.Requirements([]lex.Operation{lex.OpGetSession}, "us-east-1", connectortest.CustomerAccountID, botID, lex.DefaultAliasID)
	})
	c := e.connector(t)
	_, err := c.RecognizeText(context.Background(), lex.Ref{SessionID: "s1"}, "hello")
	var le *lex.Error
	require.True(t, errors.As(err, &le))
	require.Equal(t, "AccessDeniedException", le.ErrorCode())
	require.Contains(t, le.ErrorMessage(), "lex:RecognizeText")
	require.Contains(t, le.Error(), "lex: RecognizeText: AccessDeniedException")
}

func TestDecodeHeader(t *testing.T) {
	var gz bytes.Buffer
	w := gzip.NewWriter(&gz)
	_, _ = w.Write([]byte(`{"sessionAttributes":{"a":"b"}}`))
	require.NoError(t, w.Close())
	tests := []struct {
		name, value, err string
	}{
		{"plain", base64.StdEncoding.EncodeToString([]byte(`{"sessionAttributes":{"a":"b"}}`)), ""},
		{"gzip", base64.StdEncoding.EncodeToString(gz.Bytes()), ""},
		{"not base64", "%%%", "not base64"},
		{"not JSON", base64.StdEncoding.EncodeToString([]byte("nope")), "not JSON"},
		{"broken gzip", base64.StdEncoding.EncodeToString([]byte{0x1f, 0x8b, 1}), "not gzip"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var s lex.SessionState
			err := lex.DecodeHeader(tt.value, &s)
			if tt.err != "" {
				require.ErrorContains(t, err, tt.err)
				return
			}
			require.NoError(t, err)
			require.Equal(t, "b", s.SessionAttributes["a"])
		})
	}
}

func FuzzDecodeHeader(f *testing.F) {
	f.Add(base64.StdEncoding.EncodeToString([]byte(`{"dialogAction":{"type":"Close"}}`)))
	f.Add("H4sIAAAAAAAA")
	f.Fuzz(func(t *testing.T, value string) {
		var s lex.SessionState
		_ = lex.DecodeHeader(value, &s) // must not panic or allocate without bound
	})
}
