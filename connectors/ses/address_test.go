package ses

import (
	"bytes"
	"fmt"
	"io"
	"mime"
	"mime/multipart"
	"net/mail"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"
)

func TestValidateAddress(t *testing.T) {
	tests := []struct {
		in   string
		want string // parsed address; "" means invalid
	}{
		{"ann@example.com", "ann@example.com"},
		{"Ann Lee <ann@example.com>", "ann@example.com"},
		{`"Lee, Ann" <ann+tag@mail.example.co.uk>`, "ann+tag@mail.example.co.uk"},
		{"=?utf-8?q?J=C3=BCrgen?= <j@example.de>", "j@example.de"},
		{"", ""},
		{"ann", ""},
		{"ann@", ""},
		{"@example.com", ""},
		{"ann@localhost", ""},
		{"ann@example.com, bob@example.com", ""},
		{"Ann <ann@example.com", ""},
		{"Änn Lee <ann@example.com>", "ann@example.com"},
		{"ann@xn--bcher-kva.de", "ann@xn--bcher-kva.de"},
		{"ann@bücher.de", ""},
		{"änn@example.com", ""},
		{"ann@example.com\r\nBcc: spy@evil.example", ""},
		{"\"Ann\r\nBcc: spy@evil.example\" <ann@example.com>", ""},
		{"Ann\x00 <ann@example.com>", ""},
	}
	for _, tt := range tests {
		t.Run(tt.in, func(t *testing.T) {
			a, err := ValidateAddress("To[0]", tt.in)
			if tt.want == "" {
				require.ErrorIs(t, err, ErrInvalidAddress)
				require.Contains(t, err.Error(), "To[0]")
				return
			}
			require.NoError(t, err)
			require.Equal(t, tt.want, a.Address)
		})
	}
}

func TestValidateEnvelope(t *testing.T) {
	many := make([]string, 51)
	for i := range many {
		many[i] = fmt.Sprintf("r%d@example.com", i)
	}
	tests := []struct {
		name             string
		from             string
		to, cc, bcc, rto []string
		want             error
		mention          string
	}{
		{name: "ok", from: "a@example.com", to: []string{"b@example.com"}},
		{name: "bcc only", from: "a@example.com", bcc: []string{"b@example.com"}},
		{name: "no sender", to: []string{"b@example.com"}, want: ErrInvalidMessage},
		{name: "no recipients", from: "a@example.com", want: ErrInvalidMessage},
		{name: "bad cc", from: "a@example.com", to: []string{"b@example.com"}, cc: []string{"x@example.com", "nope"}, want: ErrInvalidAddress, mention: "Cc[1]"},
		{name: "bad reply-to", from: "a@example.com", to: []string{"b@example.com"}, rto: []string{"bad@"}, want: ErrInvalidAddress, mention: "ReplyTo[0]"},
		{name: "bad from", from: "a@", to: []string{"b@example.com"}, want: ErrInvalidAddress, mention: "From"},
		{name: "51 recipients", from: "a@example.com", to: many[:20], cc: many[20:40], bcc: many[40:], want: ErrTooManyRecipients},
		{name: "50 recipients", from: "a@example.com", to: many[:20], cc: many[20:40], bcc: many[40:50]},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := validateEnvelope(tt.from, tt.to, tt.cc, tt.bcc, tt.rto)
			if tt.want == nil {
				require.NoError(t, err)
				return
			}
			require.ErrorIs(t, err, tt.want)
			require.Contains(t, err.Error(), tt.mention)
		})
	}
}

func TestBuildMIME(t *testing.T) {
	raw, err := BuildMIME(Email{
		From: "Jürgen <j@example.com>", To: []string{"b@example.com"}, Cc: []string{"c@example.com"},
		Bcc: []string{"hidden@example.com"}, ReplyTo: []string{"r@example.com"},
		Subject: "Grüße & report", Text: "plain = text", HTML: "<p>html</p>",
		Attachments: []Attachment{{Name: "report.csv", ContentType: "Text/CSV; charset=utf-8", Data: []byte("a,b\n1,2\n")}, {Name: "blob.bin", Data: bytes.Repeat([]byte{0xff}, 200)}},
	})
	require.NoError(t, err)
	require.NotContains(t, string(raw), "hidden@example.com", "Bcc must not appear in headers")

	msg, err := mail.ReadMessage(bytes.NewReader(raw))
	require.NoError(t, err)
	subject, err := new(mime.WordDecoder).DecodeHeader(msg.Header.Get("Subject"))
	require.NoError(t, err)
	require.Equal(t, "Grüße & report", subject)
	from, err := msg.Header.AddressList("From")
	require.NoError(t, err)
	require.Equal(t, "Jürgen", from[0].Name)
	rto, err := msg.Header.AddressList("Reply-To")
	require.NoError(t, err)
	require.Equal(t, "r@example.com", rto[0].Address)

	mt, params, err := mime.ParseMediaType(msg.Header.Get("Content-Type"))
	require.NoError(t, err)
	require.Equal(t, "multipart/mixed", mt)
	mr := multipart.NewReader(msg.Body, params["boundary"])

	alt, err := mr.NextPart()
	require.NoError(t, err)
	amt, aparams, err := mime.ParseMediaType(alt.Header.Get("Content-Type"))
	require.NoError(t, err)
	require.Equal(t, "multipart/alternative", amt)
	ar := multipart.NewReader(alt, aparams["boundary"])
	var bodies []string
	for {
		p, err := ar.NextPart()
		if err == io.EOF {
			break
		}
		require.NoError(t, err)
		b, err := io.ReadAll(p) // multipart decodes quoted-printable itself
		require.NoError(t, err)
		bodies = append(bodies, strings.Split(p.Header.Get("Content-Type"), ";")[0]+": "+string(b))
	}
	require.Equal(t, []string{"text/plain: plain = text", "text/html: <p>html</p>"}, bodies)

	for _, want := range []struct {
		name   string
		ctype  string
		params map[string]string
		data   []byte
	}{
		{"report.csv", "text/csv", map[string]string{"charset": "utf-8", "name": "report.csv"}, []byte("a,b\n1,2\n")},
		{"blob.bin", "application/octet-stream", map[string]string{"name": "blob.bin"}, bytes.Repeat([]byte{0xff}, 200)},
	} {
		p, err := mr.NextPart()
		require.NoError(t, err)
		require.Equal(t, want.name, p.FileName())
		ctype, params, err := mime.ParseMediaType(p.Header.Get("Content-Type"))
		require.NoError(t, err, "the attachment's Content-Type %q", p.Header.Get("Content-Type"))
		require.Equal(t, want.ctype, ctype)
		require.Equal(t, want.params, params)
		b, err := io.ReadAll(p)
		require.NoError(t, err)
		dec, err := decodeBase64Lines(b)
		require.NoError(t, err)
		require.Equal(t, want.data, dec)
	}
	_, err = mr.NextPart()
	require.Equal(t, io.EOF, err)
}

func TestBuildMIMERejects(t *testing.T) {
	_, err := BuildMIME(Email{From: "a@example.com", To: []string{"b@example.com"}, Subject: "s", Text: "t", Attachments: []Attachment{{Data: []byte("x")}}})
	require.ErrorIs(t, err, ErrInvalidMessage)
	_, err = BuildMIME(Email{From: "a@example.com", To: []string{"b@example.com"}, Subject: "s", Text: "t", Attachments: []Attachment{{Name: "x", ContentType: "not a type;;"}}})
	require.ErrorIs(t, err, ErrInvalidMessage)
	_, err = BuildMIME(Email{From: "a@example.com", To: []string{"b@"}})
	require.ErrorIs(t, err, ErrInvalidAddress)
}

func FuzzValidateAddress(f *testing.F) {
	for _, s := range []string{"a@example.com", "A <a@example.com>", "a@b", "<>", `"x" <y@z.io>`} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		a, err := ValidateAddress("To[0]", s)
		if err != nil {
			return
		}
		// A valid address re-parses to itself once formatted for a header.
		b, err := ValidateAddress("To[0]", a.String())
		if err != nil || b.Address != a.Address {
			t.Fatalf("%q -> %q does not round-trip: %v", s, a.String(), err)
		}
	})
}
