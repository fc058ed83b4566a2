package lex

// The Lex V2 runtime's data types, as its REST-JSON API spells them. They are
// plain values.

// Message is one message the bot sends the user.
//
// It is a plain value: safe to copy and to read from several goroutines.
type Message struct {
	// Content is the text (for PlainText and SSML).
	Content string `json:"content,omitempty"`
	// ContentType is PlainText, SSML, CustomPayload or ImageResponseCard.
	ContentType string `json:"contentType"`
	// ImageResponseCard is set for ContentType ImageResponseCard.
	ImageResponseCard *ImageResponseCard `json:"imageResponseCard,omitempty"`
}

// ImageResponseCard is a card with buttons.
//
// It is a plain value: safe to copy and to read from several goroutines.
type ImageResponseCard struct {
	// Title is the card's title.
	Title string `json:"title"`
	// Subtitle is shown under the title; "" when none.
	Subtitle string `json:"subtitle,omitempty"`
	// ImageURL is the card's image; "" when none.
	ImageURL string `json:"imageUrl,omitempty"`
	// Buttons are the answers the user can choose, in order.
	Buttons []Button `json:"buttons,omitempty"`
}

// Button is a card button.
//
// It is a plain value: safe to copy and to read from several goroutines.
type Button struct {
	// Text is what the button shows.
	Text string `json:"text"`
	// Value is what choosing the button sends to the bot.
	Value string `json:"value"`
}

// SessionState is the state of a conversation: the active intent, what the
// bot does next, and the session attributes.
//
// It is a plain value: safe to copy and to read from several goroutines.
type SessionState struct {
	// DialogAction is the bot's next step.
	DialogAction *DialogAction `json:"dialogAction,omitempty"`
	// Intent is the active intent.
	Intent *Intent `json:"intent,omitempty"`
	// ActiveContexts are the contexts set on the session.
	ActiveContexts []ActiveContext `json:"activeContexts,omitempty"`
	// SessionAttributes are application key/value pairs kept with the session.
	SessionAttributes map[string]string `json:"sessionAttributes,omitempty"`
	// OriginatingRequestID is the request that produced this state.
	OriginatingRequestID string `json:"originatingRequestId,omitempty"`
}

// DialogAction is the bot's next step.
//
// It is a plain value: safe to copy and to read from several goroutines.
type DialogAction struct {
	// Type is Close, ConfirmIntent, Delegate, ElicitIntent, ElicitSlot or None.
	Type string `json:"type"`
	// SlotToElicit names the slot asked for, with Type ElicitSlot.
	SlotToElicit string `json:"slotToElicit,omitempty"`
	// SlotElicitationStyle is Default, SpellByLetter or SpellByWord.
	SlotElicitationStyle string `json:"slotElicitationStyle,omitempty"`
}

// Intent is an intent and its slots.
//
// It is a plain value: safe to copy and to read from several goroutines.
type Intent struct {
	// Name is the intent name.
	Name string `json:"name"`
	// Slots are the intent's slots by name; a nil value is an unfilled slot.
	Slots map[string]*Slot `json:"slots,omitempty"`
	// State is Failed, Fulfilled, FulfillmentInProgress, InProgress,
	// ReadyForFulfillment or Waiting.
	State string `json:"state,omitempty"`
	// ConfirmationState is Confirmed, Denied or None.
	ConfirmationState string `json:"confirmationState,omitempty"`
}

// SlotValue returns the interpreted value of a filled slot, or "".
func (i *Intent) SlotValue(name string) string {
	if i == nil {
		return ""
	}
	if s := i.Slots[name]; s != nil && s.Value != nil {
		return s.Value.InterpretedValue
	}
	return ""
}

// Slot is a slot's value.
//
// It is a plain value: safe to copy and to read from several goroutines.
type Slot struct {
	// Value is the slot's value.
	Value *SlotValue `json:"value,omitempty"`
	// Shape is Scalar or List.
	Shape string `json:"shape,omitempty"`
	// Values are the values of a List slot.
	Values []Slot `json:"values,omitempty"`
}

// SlotValue is what the user said and what Lex made of it.
//
// It is a plain value: safe to copy and to read from several goroutines.
type SlotValue struct {
	// OriginalValue is the user's words for the slot.
	OriginalValue string `json:"originalValue,omitempty"`
	// InterpretedValue is the value Lex settled on, the one to act on.
	InterpretedValue string `json:"interpretedValue"`
	// ResolvedValues are the slot type's values the words may mean.
	ResolvedValues []string `json:"resolvedValues,omitempty"`
}

// ActiveContext is a context set on the session.
//
// It is a plain value: safe to copy and to read from several goroutines.
type ActiveContext struct {
	// Name is the context's name.
	Name string `json:"name"`
	// ContextAttributes are the context's key/value pairs.
	ContextAttributes map[string]string `json:"contextAttributes,omitempty"`
	// TimeToLive is how long the context stays active: seconds and
	// conversation turns, whichever runs out first.
	TimeToLive struct {
		TimeToLiveInSeconds int `json:"timeToLiveInSeconds"`
		TurnsToLive         int `json:"turnsToLive"`
	} `json:"timeToLive"`
}

// Interpretation is one intent Lex considered, with its confidence.
//
// It is a plain value: safe to copy and to read from several goroutines.
type Interpretation struct {
	// Intent is the intent considered, with the slots it would fill.
	Intent *Intent `json:"intent,omitempty"`
	// NluConfidence is how sure Lex is of Intent; nil for the fallback
	// intent.
	NluConfidence *Confidence `json:"nluConfidence,omitempty"`
	// InterpretationSource is Lex or Bedrock.
	InterpretationSource string `json:"interpretationSource,omitempty"`
}

// Confidence is Lex's confidence in an interpretation, 0 to 1.
//
// It is a plain value: safe to copy and to read from several goroutines.
type Confidence struct {
	// Score is the confidence, from 0 (none) to 1 (certain).
	Score float64 `json:"score"`
}

// RecognizeTextOutput is the bot's answer to an utterance.
//
// It is a plain value: safe to copy and to read from several goroutines.
type RecognizeTextOutput struct {
	// SessionID is the conversation.
	SessionID string `json:"sessionId"`
	// Messages are what the bot says.
	Messages []Message `json:"messages,omitempty"`
	// SessionState is the conversation's state after the utterance.
	SessionState SessionState `json:"sessionState"`
	// Interpretations are the intents considered, best first.
	Interpretations []Interpretation `json:"interpretations,omitempty"`
	// RequestAttributes echo the request's attributes.
	RequestAttributes map[string]string `json:"requestAttributes,omitempty"`
	// RequestID is AWS's request ID, for support cases.
	RequestID string `json:"-"`
}

// Session is a conversation's stored state.
//
// It is a plain value: safe to copy and to read from several goroutines.
type Session struct {
	// SessionID is the conversation.
	SessionID string `json:"sessionId"`
	// Messages are the bot's last messages.
	Messages []Message `json:"messages,omitempty"`
	// Interpretations are the intents considered at the last turn, best
	// first.
	Interpretations []Interpretation `json:"interpretations,omitempty"`
	// SessionState is the conversation's state.
	SessionState SessionState `json:"sessionState"`
}

// PutSessionOutput is Lex's answer to PutSession. It marshals with the
// names of Lex's own JSON, as its SessionState and Message do.
//
// It is a plain value: safe to copy and to read from several goroutines.
type PutSessionOutput struct {
	// SessionID is the conversation.
	SessionID string `json:"sessionId"`
	// SessionState is the state Lex stored; nil when it answered none.
	SessionState *SessionState `json:"sessionState,omitempty"`
	// Messages are what the bot says after the change.
	Messages []Message `json:"messages,omitempty"`
	// RequestAttributes echo the request's attributes.
	RequestAttributes map[string]string `json:"requestAttributes,omitempty"`
}
