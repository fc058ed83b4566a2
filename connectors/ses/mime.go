package ses

import (
	"bytes"
	"encoding/base64"
	"fmt"
	"mime"
	"mime/multipart"
	"mime/quotedprintable"
	"net/textproto"
	"strings"

	"github.com/awsconnect/awsconnect/internal/echo"
)

// BuildMIME renders e as a MIME message (RFC 5322 with RFC 2045-2049
// bodies): multipart/mixed holding a multipart/alternative text and HTML
// part followed by one base64 part per attachment. Bcc recipients are not
// written into the headers; they travel only in the envelope.
func BuildMIME(e Email) ([]byte, error) {
	if err := validateEnvelope(e.From, e.To, e.Cc, e.Bcc, e.ReplyTo); err != nil {
		return nil, err
	}
	if err := subjectOneLine(e.Subject); err != nil {
		return nil, err
	}
	var buf bytes.Buffer
	header := func(k, v string) { fmt.Fprintf(&buf, "%s: %s\r\n", k, v) }
	header("From", formatAddress(e.From))
	if len(e.To) > 0 {
		header("To", formatList(e.To))
	}
	if len(e.Cc) > 0 {
		header("Cc", formatList(e.Cc))
	}
	if len(e.ReplyTo) > 0 {
		header("Reply-To", formatList(e.ReplyTo))
	}
	header("Subject", mime.QEncoding.Encode("utf-8", e.Subject))
	header("MIME-Version", "1.0")

	mixed := multipart.NewWriter(&buf)
	header("Content-Type", "multipart/mixed; boundary="+mixed.Boundary())
	buf.WriteString("\r\n")

	var alt bytes.Buffer
	altw := multipart.NewWriter(&alt)
	for _, p := range []struct{ body, ctype string }{{e.Text, "text/plain"}, {e.HTML, "text/html"}} {
		if p.body == "" {
			continue
		}
		w, err := altw.CreatePart(textproto.MIMEHeader{
			"Content-Type":              {p.ctype + "; charset=UTF-8"},
			"Content-Transfer-Encoding": {"quoted-printable"},
		})
		if err != nil {
			return nil, err
		}
		qp := quotedprintable.NewWriter(w)
		if _, err := qp.Write([]byte(p.body)); err != nil {
			return nil, err
		}
		if err := qp.Close(); err != nil {
			return nil, err
		}
	}
	if err := altw.Close(); err != nil {
		return nil, err
	}
	w, err := mixed.CreatePart(textproto.MIMEHeader{"Content-Type": {"multipart/alternative; boundary=" + altw.Boundary()}})
	if err != nil {
		return nil, err
	}
	if _, err := w.Write(alt.Bytes()); err != nil {
		return nil, err
	}

	for i, a := range e.Attachments {
		if a.Name == "" {
			return nil, fmt.Errorf("%w: Attachments[%d] has no name", ErrInvalidMessage, i)
		}
		ctype := a.ContentType
		if ctype == "" {
			ctype = "application/octet-stream"
		}
		// The type is rebuilt from its parsed form: FormatMediaType takes
		// the bare type, and parameters given with it ("; charset=utf-8")
		// would otherwise make it return an empty header.
		mt, params, err := mime.ParseMediaType(ctype)
		if err != nil {
			return nil, fmt.Errorf("%w: Attachments[%d] (%s): content type %s: %v", ErrInvalidMessage, i, echo.Quote(a.Name), echo.Quote(ctype), err)
		}
		params["name"] = a.Name
		w, err := mixed.CreatePart(textproto.MIMEHeader{
			"Content-Type":              {mime.FormatMediaType(mt, params)},
			"Content-Disposition":       {mime.FormatMediaType("attachment", map[string]string{"filename": a.Name})},
			"Content-Transfer-Encoding": {"base64"},
		})
		if err != nil {
			return nil, err
		}
		if err := writeBase64Lines(w, a.Data); err != nil {
			return nil, err
		}
	}
	if err := mixed.Close(); err != nil {
		return nil, err
	}
	return buf.Bytes(), nil
}

// writeBase64Lines writes data in base64 lines of 76 characters, the limit
// RFC 2045 sets.
func writeBase64Lines(w interface{ Write([]byte) (int, error) }, data []byte) error {
	enc := base64.StdEncoding.EncodeToString(data)
	for len(enc) > 0 {
		n := min(76, len(enc))
		if _, err := w.Write([]byte(enc[:n] + "\r\n")); err != nil {
			return err
		}
		enc = enc[n:]
	}
	return nil
}

func formatAddress(s string) string {
	a, err := ValidateAddress("", s)
	if err != nil {
		return s
	}
	return a.String() // encodes non-ASCII display names (RFC 2047)
}

func formatList(l []string) string {
	out := make([]string, len(l))
	for i, s := range l {
		out[i] = formatAddress(s)
	}
	return strings.Join(out, ", ")
}
