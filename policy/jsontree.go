package policy

import (
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"strconv"

	"github.com/awsconnect/awsconnect/internal/echo"
)

// maxDepth bounds JSON nesting; a valid policy nests at most five levels, so
// anything deeper is rejected before it can exhaust the stack.
const maxDepth = 32

// node is a JSON value that remembers key order, so that errors follow the
// document and duplicate keys can be refused (encoding/json keeps the last).
type node struct {
	kind kind
	text string // string value, number literal, or "true"/"false"
	keys []string
	vals []*node
	dup  string // the first key that appears twice, if any
}

type kind int

const (
	kindObject kind = iota
	kindArray
	kindString
	kindNumber
	kindBool
	kindNull
)

func (k kind) String() string {
	return [...]string{"an object", "an array", "a string", "a number", "a boolean", "null"}[k]
}

func readNode(dec *json.Decoder, depth int) (*node, error) {
	if depth > maxDepth {
		return nil, errors.New("nested too deeply")
	}
	tok, err := dec.Token()
	if err != nil {
		if err == io.EOF {
			return nil, errors.New("unexpected end of input")
		}
		return nil, err
	}
	switch t := tok.(type) {
	case json.Delim:
		switch t {
		case '{':
			n := &node{kind: kindObject}
			seen := map[string]bool{}
			for dec.More() {
				kt, err := dec.Token()
				if err != nil {
					return nil, err
				}
				k := kt.(string) // the decoder only yields strings in key position
				if seen[k] && n.dup == "" {
					// Reported by the element parser, which knows the
					// statement and element to name.
					n.dup = k
				}
				seen[k] = true
				v, err := readNode(dec, depth+1)
				if err != nil {
					return nil, err
				}
				n.keys = append(n.keys, k)
				n.vals = append(n.vals, v)
			}
			if _, err := dec.Token(); err != nil {
				return nil, err
			}
			return n, nil
		case '[':
			n := &node{kind: kindArray}
			for dec.More() {
				v, err := readNode(dec, depth+1)
				if err != nil {
					return nil, err
				}
				n.vals = append(n.vals, v)
			}
			if _, err := dec.Token(); err != nil {
				return nil, err
			}
			return n, nil
		}
		return nil, fmt.Errorf("unexpected %s", fmt.Sprintf("%q", t))
	case string:
		return &node{kind: kindString, text: t}, nil
	case json.Number:
		return &node{kind: kindNumber, text: t.String()}, nil
	case bool:
		return &node{kind: kindBool, text: strconv.FormatBool(t)}, nil
	default:
		return &node{kind: kindNull}, nil
	}
}

// dupDetail is the message for a key that appears twice in one object.
func dupDetail(key string) string {
	return fmt.Sprintf("key %s appears twice in one object; IAM would keep only one of them, so merge them", echo.Quote(key))
}
