package localaws

import (
	"encoding/base64"
	"encoding/json"
	"fmt"
	"net/http"
	"regexp"
	"slices"
	"sync"
)

// Lex V2 runtime emulation: scripted bots (lex_bot.go) whose intents are
// matched by utterance and whose slots are elicited one by one
// (lex_dialog.go), with sessions kept per (account, region, bot, alias,
// locale, session ID). It serves the REST-JSON paths
//
//	POST   /bots/{botId}/botAliases/{botAliasId}/botLocales/{localeId}/sessions/{sessionId}/text  RecognizeText
//	GET    /bots/{botId}/botAliases/{botAliasId}/botLocales/{localeId}/sessions/{sessionId}       GetSession
//	POST   /bots/{botId}/botAliases/{botAliasId}/botLocales/{localeId}/sessions/{sessionId}       PutSession
//	DELETE /bots/{botId}/botAliases/{botAliasId}/botLocales/{localeId}/sessions/{sessionId}       DeleteSession
//
// authorising lex:<Operation> on arn:aws:lex:REGION:ACCOUNT:bot-alias/BOT/ALIAS.

func init() {
	registerService(serviceSpec{
		name:       "lex",
		protocol:   protocolRESTJSON,
		newHandler: func(s *Server) serviceHandler { return newLexService(s) },
	})
}

// Lex V2 runtime request formats, from the API reference.
var (
	lexSessionIDPattern = regexp.MustCompile(`^[0-9a-zA-Z._:-]{2,100}$`)
	lexLocalePattern    = regexp.MustCompile(`^[a-z]{2}_[A-Z]{2}$`)
	lexPathPattern      = regexp.MustCompile(`^/bots/([^/]+)/botAliases/([^/]+)/botLocales/([^/]+)/sessions/([^/]+)(/text)?$`)
)

// lexMaxText is RecognizeText's longest input, in characters.
const lexMaxText = 1024

// lexSessionKey names a conversation: Lex keeps one per bot alias, locale
// and caller-chosen session ID.
type lexSessionKey struct {
	lexBotKey
	locale, session string
}

// lexSession is what GetSession returns.
type lexSession struct {
	SessionID       string              `json:"sessionId"`
	Messages        []lexMessage        `json:"messages,omitempty"`
	Interpretations []lexInterpretation `json:"interpretations,omitempty"`
	SessionState    lexSessionState     `json:"sessionState"`
}

type lexMessage struct {
	Content     string `json:"content,omitempty"`
	ContentType string `json:"contentType"`
}

type lexInterpretation struct {
	Intent               *lexIntentState `json:"intent,omitempty"`
	NluConfidence        *lexConfidence  `json:"nluConfidence,omitempty"`
	InterpretationSource string          `json:"interpretationSource,omitempty"`
}

type lexConfidence struct {
	Score float64 `json:"score"`
}

type lexSessionState struct {
	DialogAction         *lexDialogAction  `json:"dialogAction,omitempty"`
	Intent               *lexIntentState   `json:"intent,omitempty"`
	SessionAttributes    map[string]string `json:"sessionAttributes,omitempty"`
	OriginatingRequestID string            `json:"originatingRequestId,omitempty"`
}

type lexDialogAction struct {
	Type         string `json:"type"`
	SlotToElicit string `json:"slotToElicit,omitempty"`
}

type lexIntentState struct {
	Name              string              `json:"name"`
	Slots             map[string]*lexSlot `json:"slots,omitempty"`
	State             string              `json:"state,omitempty"`
	ConfirmationState string              `json:"confirmationState,omitempty"`
}

type lexSlot struct {
	Value *lexSlotValue `json:"value,omitempty"`
}

type lexSlotValue struct {
	OriginalValue    string   `json:"originalValue,omitempty"`
	InterpretedValue string   `json:"interpretedValue,omitempty"`
	ResolvedValues   []string `json:"resolvedValues,omitempty"`
}

// lexService serves the Lex V2 runtime.
type lexService struct {
	server   *Server
	mu       sync.Mutex // guards bots and sessions
	bots     map[lexBotKey]*lexBotState
	sessions map[lexSessionKey]*lexSession
}

// newLexService builds the service with no bots and no sessions.
func newLexService(s *Server) *lexService {
	return &lexService{server: s, bots: map[lexBotKey]*lexBotState{}, sessions: map[lexSessionKey]*lexSession{}}
}

// operation names the call from the path and method alone.
func (h *lexService) operation(r *http.Request, _ []byte) string {
	m := lexPathPattern.FindStringSubmatch(r.URL.Path)
	if m == nil {
		return ""
	}
	switch {
	case m[5] != "" && r.Method == http.MethodPost:
		return "RecognizeText"
	case m[5] != "":
		return ""
	case r.Method == http.MethodGet:
		return "GetSession"
	case r.Method == http.MethodPost:
		return "PutSession"
	case r.Method == http.MethodDelete:
		return "DeleteSession"
	}
	return ""
}

// serve authorises lex:<Operation> on the bot alias, finds the bot and
// dispatches; sessions are read and written under h.mu.
func (h *lexService) serve(w http.ResponseWriter, r *http.Request, c *call) {
	m := lexPathPattern.FindStringSubmatch(r.URL.Path)
	if m == nil || c.operation == "" {
		c.writeError(w, r, newError(http.StatusNotFound, "UnknownOperationException", "Unknown operation "+r.Method+" "+r.URL.Path))
		return
	}
	region := c.region
	key := lexSessionKey{lexBotKey{c.caller.AccountID, region, m[1], m[2]}, m[3], m[4]}
	if err := validateLexKey(key); err != nil {
		c.writeError(w, r, c.errorf(errValidation, "%s", err))
		return
	}
	arn := fmt.Sprintf("arn:aws:lex:%s:%s:bot-alias/%s/%s", region, c.caller.AccountID, key.bot, key.alias)
	if err := c.authorize("lex:"+c.operation, arn, nil); err != nil {
		c.writeError(w, r, err)
		return
	}
	h.mu.Lock()
	defer h.mu.Unlock()
	bot, ok := h.bots[key.lexBotKey]
	if !ok || !slices.Contains(bot.Locales, key.locale) {
		c.writeError(w, r, newError(http.StatusNotFound, "ResourceNotFoundException",
			fmt.Sprintf("Could not find bot alias %s/%s with locale %s in %s", key.bot, key.alias, key.locale, region)))
		return
	}
	switch c.operation {
	case "RecognizeText":
		h.recognizeText(w, r, c, key, bot)
	case "GetSession":
		sess, ok := h.sessions[key]
		if !ok {
			c.writeError(w, r, newError(http.StatusNotFound, "ResourceNotFoundException", "Session "+key.session+" not found"))
			return
		}
		writeJSON(w, http.StatusOK, sess)
	case "PutSession":
		h.putSession(w, r, c, key)
	case "DeleteSession":
		if _, ok := h.sessions[key]; !ok {
			c.writeError(w, r, newError(http.StatusNotFound, "ResourceNotFoundException", "Session "+key.session+" not found"))
			return
		}
		delete(h.sessions, key)
		writeJSON(w, http.StatusOK, map[string]string{"botId": key.bot, "botAliasId": key.alias, "localeId": key.locale, "sessionId": key.session})
	}
}

// validateLexKey checks the path's IDs with Lex's own validation messages.
func validateLexKey(k lexSessionKey) error {
	switch {
	case !lexBotIDPattern.MatchString(k.bot):
		return fmt.Errorf("1 validation error detected: Value '%s' at 'botId' failed to satisfy constraint: Member must satisfy regular expression pattern: ^[0-9a-zA-Z]+$ and have length 10", k.bot)
	case !lexBotIDPattern.MatchString(k.alias):
		return fmt.Errorf("1 validation error detected: Value '%s' at 'botAliasId' failed to satisfy constraint: Member must have length 10", k.alias)
	case !lexLocalePattern.MatchString(k.locale):
		return fmt.Errorf("1 validation error detected: Value '%s' at 'localeId' failed to satisfy constraint: Member must be a locale such as en_US", k.locale)
	case !lexSessionIDPattern.MatchString(k.session):
		return fmt.Errorf("1 validation error detected: Value '%s' at 'sessionId' failed to satisfy constraint: Member must satisfy regular expression pattern: [0-9a-zA-Z._:-]+ with length 2-100", k.session)
	}
	return nil
}

// putSession replaces the session's state. Lex answers in headers, each a
// base64-encoded JSON document, with the (here empty) audio as the body.
func (h *lexService) putSession(w http.ResponseWriter, r *http.Request, c *call, key lexSessionKey) {
	var in struct {
		SessionState      *lexSessionState  `json:"sessionState"`
		Messages          []lexMessage      `json:"messages"`
		RequestAttributes map[string]string `json:"requestAttributes"`
	}
	if err := json.Unmarshal(c.body, &in); err != nil {
		c.writeError(w, r, c.errorf(errValidation, "the request body is not valid JSON: %v", err))
		return
	}
	if in.SessionState == nil {
		c.writeError(w, r, c.errorf(errValidation, "1 validation error detected: Value null at 'sessionState' failed to satisfy constraint: Member must not be null"))
		return
	}
	sess := &lexSession{SessionID: key.session, Messages: in.Messages, SessionState: *in.SessionState}
	h.sessions[key] = sess
	hdr := w.Header()
	hdr.Set("Content-Type", "text/plain; charset=utf-8")
	hdr.Set("X-Amz-Lex-Session-Id", key.session)
	hdr.Set("X-Amz-Lex-Session-State", lexBase64JSON(sess.SessionState))
	if len(in.Messages) > 0 {
		hdr.Set("X-Amz-Lex-Messages", lexBase64JSON(in.Messages))
	}
	if len(in.RequestAttributes) > 0 {
		hdr.Set("X-Amz-Lex-Request-Attributes", lexBase64JSON(in.RequestAttributes))
	}
	w.WriteHeader(http.StatusOK)
}

// lexBase64JSON encodes v as PutSession's headers carry it.
func lexBase64JSON(v any) string {
	b, _ := json.Marshal(v)
	return base64.StdEncoding.EncodeToString(b)
}
