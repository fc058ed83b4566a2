package localaws

import (
	"encoding/json"
	"net/http"
	"strings"
)

// recognizeText runs one turn of the dialog: an intent waiting for a slot
// takes the utterance as its value; otherwise the first intent with a
// matching utterance starts, and no match is the fallback intent. h.mu is
// held.
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

// interpretations is what Lex reports for a matched intent: the intent
// with full confidence, then the fallback.
func (h *lexService) interpretations(in *lexIntentState) []lexInterpretation {
	return []lexInterpretation{
		{Intent: in, NluConfidence: &lexConfidence{Score: 1}, InterpretationSource: "Lex"},
		{Intent: &lexIntentState{Name: "FallbackIntent"}, InterpretationSource: "Lex"},
	}
}

// setLexSlot fills a slot with the user's words, as Lex reports a value it
// took verbatim.
func setLexSlot(in *lexIntentState, name, value string) {
	if in.Slots == nil {
		in.Slots = map[string]*lexSlot{}
	}
	v := strings.TrimSpace(value)
	in.Slots[name] = &lexSlot{Value: &lexSlotValue{OriginalValue: v, InterpretedValue: v, ResolvedValues: []string{v}}}
}

// writeRecognizeText answers RecognizeText with the session's new state.
func writeRecognizeText(w http.ResponseWriter, sess *lexSession, attrs map[string]string) {
	writeJSON(w, http.StatusOK, struct {
		Messages          []lexMessage        `json:"messages,omitempty"`
		SessionState      lexSessionState     `json:"sessionState"`
		Interpretations   []lexInterpretation `json:"interpretations,omitempty"`
		RequestAttributes map[string]string   `json:"requestAttributes,omitempty"`
		SessionID         string              `json:"sessionId"`
	}{sess.Messages, sess.SessionState, sess.Interpretations, attrs, sess.SessionID})
}
