package localaws

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"encoding/json"
	"net/http"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	v4 "github.com/aws/aws-sdk-go-v2/aws/signer/v4"
	"github.com/stretchr/testify/require"

	"github.com/awsconnect/awsconnect/policy"
)

const lexSessionsPath = "/bots/FLOWERSBOT/botAliases/TSTALIASID/botLocales/en_US/sessions/"

var flowersBot = LexBot{
	ID: "FLOWERSBOT",
	Intents: []LexIntent{
		{Name: "OrderFlowers", Utterances: []string{"I would like to order flowers", "I want {Count} {FlowerType}"},
			Slots:       []LexSlot{{Name: "FlowerType", Prompt: "What type of flowers?"}, {Name: "Count", Prompt: "How many?"}},
			Fulfillment: "Ordered {Count} {FlowerType}."},
		{Name: "Greeting", Utterances: []string{"hello", "hi there"}, Fulfillment: "Hello!"},
	},
}

// lexDo signs and sends one Lex request with the SDK's signer, as a client
// without the (unavailable) lexruntimev2 module does.
func lexDo(t *testing.T, s *Server, creds aws.Credentials, region, method, path string, body any) (int, http.Header, map[string]any) {
	t.Helper()
	var raw []byte
	if body != nil {
		var err error
		raw, err = json.Marshal(body)
		require.NoError(t, err)
	}
	req, err := http.NewRequest(method, s.URL()+path, bytes.NewReader(raw))
	require.NoError(t, err)
	req.Header.Set("Content-Type", "application/json")
	sum := sha256.Sum256(raw)
	require.NoError(t, v4.NewSigner().SignHTTP(context.Background(), creds, req, hex.EncodeToString(sum[:]), "lex", region, time.Now()))
	resp, data := sendRaw(t, s, req)
	var out map[string]any
	if len(data) > 0 {
		require.NoError(t, json.Unmarshal(data, &out), "%s", data)
	}
	return resp.StatusCode, resp.Header, out
}

// lexPolicy allows every Lex action on every bot, except those denied.
func lexPolicy(t *testing.T, deny ...string) *policy.Document {
	doc := `{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"lex:*","Resource":"*"}`
	for _, a := range deny {
		doc += `,{"Effect":"Deny","Action":"` + a + `","Resource":"*"}`
	}
	d, err := policy.Parse([]byte(doc + `]}`))
	require.NoError(t, err)
	return d
}

func lexServer(t *testing.T, doc *policy.Document) (*Server, aws.Credentials) {
	s := startServer(t)
	require.NoError(t, s.Platform().CreateLexBot(flowersBot))
	require.NoError(t, s.Platform().PutUserPolicy(PlatformUserName, "lex", doc))
	return s, s.PlatformCredentials()
}

func TestLexConversation(t *testing.T) {
	s, creds := lexServer(t, lexPolicy(t))
	turns := []struct {
		text, intent, state, dialog, slot, message string
	}{
		{"I would like to order flowers!", "OrderFlowers", "InProgress", "ElicitSlot", "FlowerType", "What type of flowers?"},
		{"roses", "OrderFlowers", "InProgress", "ElicitSlot", "Count", "How many?"},
		{"12", "OrderFlowers", "Fulfilled", "Close", "", "Ordered 12 roses."},
		{"Hi there", "Greeting", "Fulfilled", "Close", "", "Hello!"},
		{"I want 3 tulips", "OrderFlowers", "Fulfilled", "Close", "", "Ordered 3 tulips."},
		{"what is the weather", "FallbackIntent", "ReadyForFulfillment", "Close", "", "Sorry, I did not understand that."},
	}
	for _, turn := range turns {
		t.Run(turn.text, func(t *testing.T) {
			status, _, out := lexDo(t, s, creds, "us-east-1", http.MethodPost, lexSessionsPath+"s-1/text", map[string]any{"text": turn.text})
			require.Equal(t, http.StatusOK, status, "%v", out)
			state := out["sessionState"].(map[string]any)
			intent := state["intent"].(map[string]any)
			require.Equal(t, turn.intent, intent["name"])
			require.Equal(t, turn.state, intent["state"])
			da := state["dialogAction"].(map[string]any)
			require.Equal(t, turn.dialog, da["type"])
			if turn.slot != "" {
				require.Equal(t, turn.slot, da["slotToElicit"])
			}
			msgs := out["messages"].([]any)
			require.Equal(t, turn.message, msgs[0].(map[string]any)["content"])
			require.Equal(t, "s-1", out["sessionId"])
		})
	}
}

func TestLexSessions(t *testing.T) {
	s, creds := lexServer(t, lexPolicy(t))
	status, _, out := lexDo(t, s, creds, "us-east-1", http.MethodGet, lexSessionsPath+"s-2", nil)
	require.Equal(t, http.StatusNotFound, status)
	require.Contains(t, out["message"], "not found")

	state := map[string]any{"sessionAttributes": map[string]string{"customer": "42"},
		"dialogAction": map[string]any{"type": "ElicitIntent"}}
	status, hdr, _ := lexDo(t, s, creds, "us-east-1", http.MethodPost, lexSessionsPath+"s-2",
		map[string]any{"sessionState": state, "messages": []map[string]string{{"content": "Welcome back", "contentType": "PlainText"}}})
	require.Equal(t, http.StatusOK, status)
	require.Equal(t, "s-2", hdr.Get("X-Amz-Lex-Session-Id"))
	decoded, err := base64.StdEncoding.DecodeString(hdr.Get("X-Amz-Lex-Session-State"))
	require.NoError(t, err)
	require.Contains(t, string(decoded), `"customer":"42"`)

	status, _, out = lexDo(t, s, creds, "us-east-1", http.MethodGet, lexSessionsPath+"s-2", nil)
	require.Equal(t, http.StatusOK, status)
	require.Equal(t, "42", out["sessionState"].(map[string]any)["sessionAttributes"].(map[string]any)["customer"])

	status, _, out = lexDo(t, s, creds, "us-east-1", http.MethodDelete, lexSessionsPath+"s-2", nil)
	require.Equal(t, http.StatusOK, status)
	require.Equal(t, "FLOWERSBOT", out["botId"])
	status, _, _ = lexDo(t, s, creds, "us-east-1", http.MethodGet, lexSessionsPath+"s-2", nil)
	require.Equal(t, http.StatusNotFound, status)
}

func TestLexErrors(t *testing.T) {
	tests := []struct {
		name, region, method, path string
		body                       any
		deny                       []string
		status                     int
		code, message              string
	}{
		{name: "access denied names action and bot alias", region: "us-east-1", method: http.MethodPost, path: lexSessionsPath + "s1/text",
			body: map[string]any{"text": "hi"}, deny: []string{"lex:RecognizeText"},
			status: 403, code: "AccessDeniedException", message: "lex:RecognizeText on resource: arn:aws:lex:us-east-1:" + DefaultPlatformAccountID + ":bot-alias/FLOWERSBOT/TSTALIASID"},
		{name: "unknown bot", region: "us-east-1", method: http.MethodPost, path: "/bots/UNKNOWNBOT/botAliases/TSTALIASID/botLocales/en_US/sessions/s1/text",
			body: map[string]any{"text": "hi"}, status: 404, code: "ResourceNotFoundException"},
		{name: "bot in another region", region: "eu-west-1", method: http.MethodPost, path: lexSessionsPath + "s1/text",
			body: map[string]any{"text": "hi"}, status: 404, code: "ResourceNotFoundException", message: "eu-west-1"},
		{name: "unserved locale", region: "us-east-1", method: http.MethodPost, path: "/bots/FLOWERSBOT/botAliases/TSTALIASID/botLocales/fr_FR/sessions/s1/text",
			body: map[string]any{"text": "hi"}, status: 404, code: "ResourceNotFoundException"},
		{name: "empty text", region: "us-east-1", method: http.MethodPost, path: lexSessionsPath + "s1/text",
			body: map[string]any{"text": ""}, status: 400, code: "ValidationException", message: "'text'"},
		{name: "bad session ID", region: "us-east-1", method: http.MethodPost, path: lexSessionsPath + "x/text",
			body: map[string]any{"text": "hi"}, status: 400, code: "ValidationException", message: "sessionId"},
		{name: "PutSession without state", region: "us-east-1", method: http.MethodPost, path: lexSessionsPath + "s3",
			body: map[string]any{}, status: 400, code: "ValidationException", message: "sessionState"},
		{name: "unknown operation", region: "us-east-1", method: http.MethodPut, path: lexSessionsPath + "s3/text",
			status: 404, code: "UnknownOperationException"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s, creds := lexServer(t, lexPolicy(t, tt.deny...))
			status, hdr, out := lexDo(t, s, creds, tt.region, tt.method, tt.path, tt.body)
			require.Equal(t, tt.status, status, "%v", out)
			require.Equal(t, tt.code, hdr.Get("X-Amzn-Errortype"))
			if tt.message != "" {
				require.Contains(t, out["message"], tt.message)
			}
		})
	}
}

func TestCreateLexBotRejects(t *testing.T) {
	s := startServer(t)
	for name, bot := range map[string]LexBot{
		"bad ID":        {ID: "bot", Intents: flowersBot.Intents},
		"bad alias":     {ID: "FLOWERSBOT", AliasID: "x", Intents: flowersBot.Intents},
		"no intents":    {ID: "FLOWERSBOT"},
		"unnamed":       {ID: "FLOWERSBOT", Intents: []LexIntent{{Utterances: []string{"x"}}}},
		"no utterances": {ID: "FLOWERSBOT", Intents: []LexIntent{{Name: "X"}}},
	} {
		t.Run(name, func(t *testing.T) {
			require.Error(t, s.Platform().CreateLexBot(bot))
		})
	}
}

func FuzzLexUtterance(f *testing.F) {
	for _, u := range []string{"I want {Count} {FlowerType}", "hello!", "{", "}{", "a {b", "Çà ÉTÉ {X}?"} {
		f.Add(u, "I want 3 roses")
	}
	f.Fuzz(func(t *testing.T, utterance, input string) {
		re, slots := compileUtterance(utterance)
		m := re.FindStringSubmatch(normalizeUtterance(input))
		if m != nil && len(m) != len(slots)+1 {
			t.Fatalf("pattern %s captured %d values for %d slots", re, len(m)-1, len(slots))
		}
		if !bytes.ContainsAny([]byte(utterance), "{}") && !re.MatchString(normalizeUtterance(utterance)) {
			t.Fatalf("utterance %q does not match itself (%s)", utterance, re)
		}
	})
}
