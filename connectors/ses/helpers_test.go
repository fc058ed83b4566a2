package ses

import (
	"bytes"
	"encoding/base64"
)

func decodeBase64Lines(b []byte) ([]byte, error) {
	return base64.StdEncoding.DecodeString(string(bytes.ReplaceAll(b, []byte("\r\n"), nil)))
}
