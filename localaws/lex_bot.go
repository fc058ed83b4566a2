package localaws

import (
	"fmt"
	"regexp"
	"strings"
)

// Scripted Lex bots: what tests register and how their sample utterances
// are compiled for matching.

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
	lexBotIDPattern = regexp.MustCompile(`^[0-9A-Z]{10}$`)
	// lexPunctuation is what utterance matching ignores.
	lexPunctuation = regexp.MustCompile(`[^\p{L}\p{N}{}' ]+`)
)

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

// lexBotKey names a bot alias: bots live in one account and region.
type lexBotKey struct{ account, region, bot, alias string }

// lexPattern is one compiled sample utterance and the slots its groups
// capture, in order.
type lexPattern struct {
	re    *regexp.Regexp
	slots []string
}

// lexCompiledIntent is an intent with its utterances compiled once, at
// CreateLexBot, rather than per request.
type lexCompiledIntent struct {
	LexIntent
	patterns []lexPattern
}

// lexBotState is a registered bot alias as the service matches against it.
type lexBotState struct {
	LexBot
	intents []lexCompiledIntent
}

// intent finds the bot's intent by name, nil if it has none.
func (b *lexBotState) intent(name string) *lexCompiledIntent {
	for i := range b.intents {
		if b.intents[i].Name == name {
			return &b.intents[i]
		}
	}
	return nil
}
