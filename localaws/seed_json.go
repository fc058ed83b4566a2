package localaws

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"reflect"
	"sort"
	"strings"

	"github.com/awsconnect/awsconnect/policy"
)

// position is a line and column in a seed file, both from 1.
type position struct{ line, col int }

// seedWalker checks a seed file's JSON against the Seed type before it is
// decoded, token by token, so that every error can name the file, line,
// column and field: encoding/json reports unknown fields without a
// position, and policy documents fail inside UnmarshalJSON with none. It
// records where each value starts, for the errors found later, when the
// seed is applied.
type seedWalker struct {
	name      string
	data      []byte
	dec       *json.Decoder
	positions map[string]position
}

var (
	documentType = reflect.TypeFor[*policy.Document]()
	rawType      = reflect.TypeFor[json.RawMessage]()
)

// checkSeedJSON walks data as a Seed and returns the position of every value.
func checkSeedJSON(name string, data []byte) (map[string]position, error) {
	w := &seedWalker{name: name, data: data, dec: json.NewDecoder(bytes.NewReader(data)), positions: map[string]position{}}
	w.dec.UseNumber()
	if err := w.value("", reflect.TypeFor[Seed]()); err != nil {
		return nil, err
	}
	end := w.offset()
	if _, err := w.dec.Token(); err != io.EOF {
		return nil, w.errorf(end, "", "unexpected data after the seed's closing brace")
	}
	return w.positions, nil
}

// offset is where the next token starts: after white space and the
// separators encoding/json consumes with the previous token.
func (w *seedWalker) offset() int {
	i := int(w.dec.InputOffset())
	for i < len(w.data) && strings.IndexByte(" \t\r\n,:", w.data[i]) >= 0 {
		i++
	}
	return i
}

// at turns a byte offset into a line and column.
func (w *seedWalker) at(offset int) position {
	if offset > len(w.data) {
		offset = len(w.data)
	}
	before := w.data[:offset]
	line := bytes.Count(before, []byte("\n")) + 1
	return position{line: line, col: offset - bytes.LastIndexByte(before, '\n')}
}

// errorf is an error at offset about path.
func (w *seedWalker) errorf(offset int, path, format string, args ...any) error {
	p := w.at(offset)
	where := ""
	if path != "" {
		where = " " + path + ":"
	}
	return fmt.Errorf("localaws: %s:%d:%d:%s %s", w.name, p.line, p.col, where, fmt.Sprintf(format, args...))
}

// syntax reports a token error at its offset.
func (w *seedWalker) syntax(offset int, path string, err error) error {
	var se *json.SyntaxError
	if errors.As(err, &se) {
		offset = int(se.Offset)
	}
	if errors.Is(err, io.EOF) || errors.Is(err, io.ErrUnexpectedEOF) {
		return w.errorf(len(w.data), path, "the file ends in the middle of the JSON")
	}
	return w.errorf(offset, path, "malformed JSON: %v", err)
}

// value walks one value of type t at path.
func (w *seedWalker) value(path string, t reflect.Type) error {
	start := w.offset()
	w.positions[path] = w.at(start)
	switch {
	case t == documentType:
		var raw json.RawMessage
		if err := w.dec.Decode(&raw); err != nil {
			return w.syntax(start, path, err)
		}
		if string(raw) == "null" {
			return nil
		}
		if _, err := policy.Parse(raw); err != nil {
			return w.errorf(start, path, "%v", err)
		}
		return nil
	case t == rawType:
		var raw json.RawMessage
		if err := w.dec.Decode(&raw); err != nil {
			return w.syntax(start, path, err)
		}
		return nil
	}
	switch t.Kind() {
	case reflect.Struct:
		return w.object(path, start, func(key string, keyAt int) error {
			f, ok := jsonField(t, key)
			if !ok {
				return w.errorf(keyAt, path, "unknown field %q; the fields are %s", key, strings.Join(jsonFields(t), ", "))
			}
			return w.value(join(path, key), f.Type)
		})
	case reflect.Map:
		return w.object(path, start, func(key string, _ int) error {
			return w.value(join(path, key), t.Elem())
		})
	case reflect.Slice:
		tok, err := w.dec.Token()
		if err != nil {
			return w.syntax(start, path, err)
		}
		if tok == nil {
			return nil
		}
		if d, ok := tok.(json.Delim); !ok || d != '[' {
			return w.errorf(start, path, "must be a list, not %s", describe(tok))
		}
		for i := 0; w.dec.More(); i++ {
			if err := w.value(fmt.Sprintf("%s[%d]", path, i), t.Elem()); err != nil {
				return err
			}
		}
		_, err = w.dec.Token() // ]
		if err != nil {
			return w.syntax(w.offset(), path, err)
		}
		return nil
	case reflect.String, reflect.Int:
		tok, err := w.dec.Token()
		if err != nil {
			return w.syntax(start, path, err)
		}
		switch v := tok.(type) {
		case string:
			if t.Kind() == reflect.String {
				return nil
			}
		case json.Number:
			if _, err := v.Int64(); err == nil && t.Kind() == reflect.Int {
				return nil
			}
		}
		want := "a string"
		if t.Kind() == reflect.Int {
			want = "a whole number"
		}
		return w.errorf(start, path, "must be %s, not %s", want, describe(tok))
	}
	return w.errorf(start, path, "localaws cannot read a %v here", t)
}

// object walks a JSON object, calling field for each key; null is an
// empty object.
func (w *seedWalker) object(path string, start int, field func(key string, keyAt int) error) error {
	tok, err := w.dec.Token()
	if err != nil {
		return w.syntax(start, path, err)
	}
	if tok == nil {
		return nil
	}
	if d, ok := tok.(json.Delim); !ok || d != '{' {
		return w.errorf(start, path, "must be an object, not %s", describe(tok))
	}
	seen := map[string]bool{}
	for w.dec.More() {
		keyAt := w.offset()
		tok, err := w.dec.Token()
		if err != nil {
			return w.syntax(keyAt, path, err)
		}
		key := tok.(string) // inside an object, encoding/json only yields string keys
		if seen[key] {
			return w.errorf(keyAt, path, "field %q appears twice", key)
		}
		seen[key] = true
		if err := field(key, keyAt); err != nil {
			return err
		}
	}
	if _, err := w.dec.Token(); err != nil { // }
		return w.syntax(w.offset(), path, err)
	}
	return nil
}

// join appends a field name to a path.
func join(path, key string) string {
	if path == "" {
		return key
	}
	return path + "." + key
}

// describe names a token's kind for an error message.
func describe(tok json.Token) string {
	switch v := tok.(type) {
	case json.Delim:
		if v == '{' {
			return "an object"
		}
		return "a list"
	case string:
		return fmt.Sprintf("the string %q", v)
	case json.Number:
		return "the number " + v.String()
	case bool:
		return fmt.Sprintf("%v", v)
	case nil:
		return "null"
	}
	return fmt.Sprint(tok)
}

// jsonField finds the struct field with JSON name key.
func jsonField(t reflect.Type, key string) (reflect.StructField, bool) {
	for i := range t.NumField() {
		f := t.Field(i)
		if name, _, _ := strings.Cut(f.Tag.Get("json"), ","); f.IsExported() && name == key {
			return f, true
		}
	}
	return reflect.StructField{}, false
}

// jsonFields lists a struct's JSON names, for "the fields are ...".
func jsonFields(t reflect.Type) []string {
	var names []string
	for i := range t.NumField() {
		f := t.Field(i)
		if name, _, _ := strings.Cut(f.Tag.Get("json"), ","); f.IsExported() && name != "" && name != "-" {
			names = append(names, name)
		}
	}
	sort.Strings(names)
	return names
}
