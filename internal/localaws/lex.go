package localaws

import (
	"encoding/base64"
	"encoding/json"
	"fmt"
	"net/http"
	"regexp"
	"strings"
	"sync"
)

// Lex V2 runtime emulation: scripted bots whose intents are matched by
// utterance, slots elicited one by one, and sessions kept per (account,
// region, bot, alias, locale, session ID). It serves the REST-JSON paths
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

// LexBot is a scripted Lex V2 bot alias, registered with
// [Account.CreateLexBot]. It is a plain value; the server copies it.
type LexBot struct {
	// ID is the bot ID (10 upper-case letters and digits). Required.
	ID string
	// AliasID is the alias ID. Optional; default "TSTALIASID", Lex's test alias.
	AliasID string
	// Locales are the locales the alias serves. Optional; default ["en_US"].
	Locales []string
	// Region is where the bot lives. Optional; default the server's region.
	Region string
	// Intents are matched in order against each utterance. Required.
	Intents []LexIntent
	// FallbackMessage answers utterances no intent matches. Optional;
	// default "Sorry, I did not understand that."
	FallbackMessage string
}

// LexIntent is one scripted intent.
type LexIntent struct {
	// Name is the intent name ("OrderFlowers"). Required.
	Name string
	// Utterances are sample utterances, matched case-insensitively against
	// the whole input with punctuation ignored; "{Slot}" captures the slot's
	// value ("I want {Count} roses"). Required.
	Utterances []string
	// Slots are elicited in order while empty. Optional.
	Slots []LexSlot
	// Fulfillment is the closing message; "{Slot}" is replaced by the slot's
	// value. Optional; default "Done."
	Fulfillment string
}

// LexSlot is a slot an intent needs.
type LexSlot struct {
	// Name is the slot name. Required.
	Name string
	// Prompt asks the user for the value. Required.
	Prompt string
}

// Lex limits and formats from the Lex V2 runtime API reference.
var (
	lexBotIDPattern     = regexp.MustCompile(`^[0-9A-Z]{10}$`)
	lexSessionIDPattern = regexp.MustCompile(`^[0-9a-zA-Z._:-]{2,100}$`)
	lexLocalePattern    = regexp.MustCompile(`^[a-z]{2}_[A-Z]{2}$`)
	lexPathPattern      = regexp.MustCompile(`^/bots/([^/]+)/botAliases/([^/]+)/botLocales/([^/]+)/sessions/([^/]+)(/text)?$`)
	lexPunctuation      = regexp.MustCompile(`[^\p{L}\p{N}{}' ]+`)
)

const lexMaxText = 1024

// CreateLexBot registers a scripted bot alias in account a.
func (a *Account) CreateLexBot(bot LexBot) error {
	if !lexBotIDPattern.MatchString(bot.ID) {
		return fmt.Errorf("localaws: Lex bot ID %q must be 10 upper-case letters and digits", bot.ID)
	}
	if bot.AliasID == "" {
		bot.AliasID = "TSTALIASID"
	}
	if !lexBotIDPattern.MatchString(bot.AliasID) {
		return fmt.Errorf("localaws: Lex alias ID %q must be 10 upper-case letters and digits", bot.AliasID)
	}
	if len(bot.Locales) == 0 {
		bot.Locales = []string{"en_US"}
	}
	if bot.Region == "" {
		bot.Region = a.server.opts.Region
	}
	if bot.FallbackMessage == "" {
		bot.FallbackMessage = "Sorry, I did not understand that."
	}
	if len(bot.Intents) == 0 {
		return fmt.Errorf("localaws: Lex bot %s needs at least one intent", bot.ID)
	}
	compiled := make([]lexCompiledIntent, len(bot.Intents))
	for i, in := range bot.Intents {
		if in.Name == "" || len(in.Utterances) == 0 {
			return fmt.Errorf("localaws: Lex bot %s: intent %d needs a name and utterances", bot.ID, i)
		}
		compiled[i] = lexCompiledIntent{LexIntent: in}
		for _, u := range in.Utterances {
			re, slots := compileUtterance(u)
			compiled[i].patterns = append(compiled[i].patterns, lexPattern{re: re, slots: slots})
		}
	}
	h := a.server.routes["lex"].handler.(*lexService)
	h.mu.Lock()
	defer h.mu.Unlock()
	h.bots[lexBotKey{a.id, bot.Region, bot.ID, bot.AliasID}] = &lexBotState{LexBot: bot, intents: compiled}
	return nil
}

// compileUtterance turns "I want {Count} roses" into an anchored,
// case-insensitive pattern capturing Count.
func compileUtterance(u string) (*regexp.Regexp, []string) {
	var b strings.Builder
	var slots []string
	b.WriteString(`^`)
	rest := normalizeUtterance(u)
	for {
		i := strings.IndexByte(rest, '{')
		j := strings.IndexByte(rest, '}')
		if i < 0 || j < i {
			b.WriteString(regexp.QuoteMeta(rest))
			break
		}
		b.WriteString(regexp.QuoteMeta(rest[:i]))
		b.WriteString(`(.+?)`)
		slots = append(slots, rest[i+1:j])
		rest = rest[j+1:]
	}
	b.WriteString(`$`)
	return regexp.MustCompile(b.String()), slots
}

// normalizeUtterance lower-cases and drops punctuation, keeping slot braces
// (whose names keep their case).
func normalizeUtterance(s string) string {
	s = lexPunctuation.ReplaceAllString(s, " ")
	var b strings.Builder
	inSlot := false
	for _, r := range s {
		switch {
		case r == '{':
			inSlot = true
		case r == '}':
			inSlot = false
		case !inSlot:
			r = []rune(strings.ToLower(string(r)))[0]
		}
		b.WriteRune(r)
	}
	return strings.Join(strings.Fields(b.String()), " ")
}

type lexBotKey struct{ account, region, bot, alias string }

type lexSessionKey struct {
	lexBotKey
	locale, session string
}

type lexPattern struct {
	re    *regexp.Regexp
	slots []string
}

type lexCompiledIntent struct {
	LexIntent
	patterns []lexPattern
}

type lexBotState struct {
	LexBot
	intents []lexCompiledIntent
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

func newLexService(s *Server) *lexService {
	return &lexService{server: s, bots: map[lexBotKey]*lexBotState{}, sessions: map[lexSessionKey]*lexSession{}}
}

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

func (h *lexService) serve(w http.ResponseWriter, r *http.Request, c *call) {
	m := lexPathPattern.FindStringSubmatch(r.URL.Path)
	if m == nil || c.operation == "" {
		c.writeError(w, r, newError(http.StatusNotFound, "UnknownOperationException", "Unknown operation "+r.Method+" "+r.URL.Path))
		return
	}
	region := h.server.opts.Region
	if a, err := parseAuthorization(r.Header.Get("Authorization")); err == nil {
		region = a.region
	}
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
	if !ok || !lexContains(bot.Locales, key.locale) {
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
		lexWriteJSON(w, sess)
	case "PutSession":
		h.putSession(w, r, c, key)
	case "DeleteSession":
		if _, ok := h.sessions[key]; !ok {
			c.writeError(w, r, newError(http.StatusNotFound, "ResourceNotFoundException", "Session "+key.session+" not found"))
			return
		}
		delete(h.sessions, key)
		lexWriteJSON(w, map[string]string{"botId": key.bot, "botAliasId": key.alias, "localeId": key.locale, "sessionId": key.session})
	}
}

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

func (h *lexService) recognizeText(w http.ResponseWriter, r *http.Request, c *call, key lexSessionKey, bot *lexBotState) {
	var in struct {
		Text              string            `json:"text"`
		SessionState      *lexSessionState  `json:"sessionState"`
		RequestAttributes map[string]string `json:"requestAttributes"`
	}
	if err := json.Unmarshal(c.body, &in); err != nil {
		c.writeError(w, r, c.errorf(errValidation, "the request body is not valid JSON: %v", err))
		return
	}
	if n := len([]rune(in.Text)); n < 1 || n > lexMaxText {
		c.writeError(w, r, c.errorf(errValidation, "1 validation error detected: Value at 'text' failed to satisfy constraint: Member must have length between 1 and %d", lexMaxText))
		return
	}
	sess := h.sessions[key]
	if sess == nil {
		sess = &lexSession{SessionID: key.session}
	}
	if in.SessionState != nil {
		sess.SessionState = *in.SessionState
	}
	sess.SessionState.OriginatingRequestID = c.requestID
	text := normalizeUtterance(in.Text)
	st := &sess.SessionState

	// An intent waiting for a slot takes the utterance as the slot's value.
	if da := st.DialogAction; da != nil && da.Type == "ElicitSlot" && st.Intent != nil && st.Intent.State == "InProgress" {
		if intent := bot.intent(st.Intent.Name); intent != nil {
			setLexSlot(st.Intent, da.SlotToElicit, in.Text)
			h.advance(sess, intent)
			h.sessions[key] = sess
			writeRecognizeText(w, sess, in.RequestAttributes)
			return
		}
	}
	for i := range bot.intents {
		intent := &bot.intents[i]
		for _, p := range intent.patterns {
			m := p.re.FindStringSubmatch(text)
			if m == nil {
				continue
			}
			st.Intent = &lexIntentState{Name: intent.Name, Slots: map[string]*lexSlot{}, ConfirmationState: "None"}
			for _, s := range intent.Slots {
				st.Intent.Slots[s.Name] = nil
			}
			for j, name := range p.slots {
				setLexSlot(st.Intent, name, m[j+1])
			}
			h.advance(sess, intent)
			h.sessions[key] = sess
			writeRecognizeText(w, sess, in.RequestAttributes)
			return
		}
	}
	st.Intent = &lexIntentState{Name: "FallbackIntent", State: "ReadyForFulfillment", ConfirmationState: "None"}
	st.DialogAction = &lexDialogAction{Type: "Close"}
	sess.Messages = []lexMessage{{Content: bot.FallbackMessage, ContentType: "PlainText"}}
	sess.Interpretations = []lexInterpretation{{Intent: st.Intent, InterpretationSource: "Lex"}}
	h.sessions[key] = sess
	writeRecognizeText(w, sess, in.RequestAttributes)
}

// advance elicits the first empty slot or fulfils the intent.
func (h *lexService) advance(sess *lexSession, intent *lexCompiledIntent) {
	st := &sess.SessionState
	for _, s := range intent.Slots {
		if slot := st.Intent.Slots[s.Name]; slot == nil || slot.Value == nil {
			st.Intent.State = "InProgress"
			st.DialogAction = &lexDialogAction{Type: "ElicitSlot", SlotToElicit: s.Name}
			sess.Messages = []lexMessage{{Content: s.Prompt, ContentType: "PlainText"}}
			sess.Interpretations = h.interpretations(st.Intent)
			return
		}
	}
	msg := intent.Fulfillment
	if msg == "" {
		msg = "Done."
	}
	for name, slot := range st.Intent.Slots {
		if slot != nil && slot.Value != nil {
			msg = strings.ReplaceAll(msg, "{"+name+"}", slot.Value.InterpretedValue)
		}
	}
	st.Intent.State = "Fulfilled"
	st.DialogAction = &lexDialogAction{Type: "Close"}
	sess.Messages = []lexMessage{{Content: msg, ContentType: "PlainText"}}
	sess.Interpretations = h.interpretations(st.Intent)
}

func (h *lexService) interpretations(in *lexIntentState) []lexInterpretation {
	return []lexInterpretation{
		{Intent: in, NluConfidence: &lexConfidence{Score: 1}, InterpretationSource: "Lex"},
		{Intent: &lexIntentState{Name: "FallbackIntent"}, InterpretationSource: "Lex"},
	}
}

func setLexSlot(in *lexIntentState, name, value string) {
	if in.Slots == nil {
		in.Slots = map[string]*lexSlot{}
	}
	v := strings.TrimSpace(value)
	in.Slots[name] = &lexSlot{Value: &lexSlotValue{OriginalValue: v, InterpretedValue: v, ResolvedValues: []string{v}}}
}

func (b *lexBotState) intent(name string) *lexCompiledIntent {
	for i := range b.intents {
		if b.intents[i].Name == name {
			return &b.intents[i]
		}
	}
	return nil
}

func writeRecognizeText(w http.ResponseWriter, sess *lexSession, attrs map[string]string) {
	lexWriteJSON(w, struct {
		Messages          []lexMessage        `json:"messages,omitempty"`
		SessionState      lexSessionState     `json:"sessionState"`
		Interpretations   []lexInterpretation `json:"interpretations,omitempty"`
		RequestAttributes map[string]string   `json:"requestAttributes,omitempty"`
		SessionID         string              `json:"sessionId"`
	}{sess.Messages, sess.SessionState, sess.Interpretations, attrs, sess.SessionID})
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

func lexBase64JSON(v any) string {
	b, _ := json.Marshal(v)
	return base64.StdEncoding.EncodeToString(b)
}

func lexWriteJSON(w http.ResponseWriter, v any) {
	w.Header().Set("Content-Type", "application/json")
	_ = json.NewEncoder(w).Encode(v)
}

func lexContains(list []string, s string) bool {
	for _, v := range list {
		if v == s {
			return true
		}
	}
	return false
}
