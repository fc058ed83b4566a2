package demo

import (
	"fmt"
	"io"
	"strings"

	"github.com/awsconnect/awsconnect/connectors"
	"github.com/awsconnect/awsconnect/policy"
)

// wrapWidth is where [Printer.Wrap] breaks lines: hints and messages are
// sentences, and a terminal's 100 columns keep them readable.
const wrapWidth = 100

// Printer writes an example's output: a title, numbered steps, and lines
// indented under them, with helpers for long sentences, check reports and
// policies. Every line below a step is indented three spaces, so that the
// steps stand out.
//
// A Printer holds only its writer; it is as safe for concurrent use as that
// writer is.
type Printer struct {
	w io.Writer
}

// NewPrinter returns a Printer writing to w.
func NewPrinter(w io.Writer) Printer { return Printer{w: w} }

// Title prints s underlined.
func (p Printer) Title(s string) {
	fmt.Fprintf(p.w, "%s\n%s\n", s, strings.Repeat("=", len(s)))
}

// Step prints the heading of step n after a blank line.
func (p Printer) Step(n int, format string, args ...any) {
	fmt.Fprintf(p.w, "\n%d. %s\n", n, fmt.Sprintf(format, args...))
}

// Line prints one indented line, without trailing spaces (an empty last
// field of a format leaves some).
func (p Printer) Line(format string, args ...any) {
	fmt.Fprintf(p.w, "   %s\n", strings.TrimRight(fmt.Sprintf(format, args...), " "))
}

// Block prints text, which may span several lines, indented as Lines are.
func (p Printer) Block(text string) {
	for _, l := range strings.Split(strings.TrimSuffix(text, "\n"), "\n") {
		p.Line("%s", l)
	}
}

// Wrap prints text after label, wrapped at 100 columns, with the following
// lines aligned under the text's start.
func (p Printer) Wrap(label, text string) {
	indent := strings.Repeat(" ", len(label))
	line := label
	for _, word := range strings.Fields(text) {
		// A word longer than the width stays on the label's line rather than
		// leaving the label alone.
		if len(line)+1+len(word) > wrapWidth && strings.TrimSpace(line) != strings.TrimSpace(label) {
			p.Line("%s", line)
			line = indent
		}
		if line != label && line != indent {
			line += " "
		}
		line += word
	}
	p.Line("%s", line)
}

// Report prints a check report's steps under label (none when label is ""),
// with the message, cause, hint and policy to add of each step that did not
// pass.
func (p Printer) Report(label string, r connectors.CheckReport) {
	if label != "" {
		p.Line("%s", label)
	}
	for _, st := range r.Steps {
		p.Line("  [%s] %s", st.Status, st.Title)
		if st.Status == connectors.Passed || st.Status == connectors.Skipped {
			continue
		}
		p.Wrap("      message: ", st.Message)
		if st.Cause != "" {
			p.Line("      cause:   %s (to act: %s)", st.Cause, st.Actor)
		}
		p.Wrap("      hint:    ", st.Hint)
		if st.PolicyToAdd != nil {
			p.Policy("      policy to add: ", st.PolicyToAdd)
		}
	}
}

// Policy prints d's indented JSON under label, one level deeper than the
// label's own indentation.
func (p Printer) Policy(label string, d *policy.Document) {
	b, err := d.Indented()
	if err != nil {
		p.Line("%s (cannot print: %v)", label, err)
		return
	}
	p.Line("%s", strings.TrimRight(label, " "))
	indent := strings.Repeat(" ", len(label)-len(strings.TrimLeft(label, " "))+2)
	for _, l := range strings.Split(string(b), "\n") {
		p.Line("%s%s", indent, l)
	}
}

// Done prints, after a blank line, the closing line of an example that ran
// against the local AWS: how many requests it served.
func (p Printer) Done(requests int) {
	fmt.Fprintln(p.w)
	p.Line("done: %d requests served by the local AWS, each signed, verified and checked against IAM policies.", requests)
}
