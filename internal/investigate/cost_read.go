package investigate

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"strings"
)

// maxCostModel bounds a cost model file: the embedded one is under 2 KB.
const maxCostModel = 1 << 20

// ReadCostModel reads a model in the shape of the embedded costmodel.json
// from r; name is the file name for errors, which give the line and
// column of what is wrong. A field the shape does not know, and a number
// or name left out, are errors, so a misspelt or forgotten number cannot
// silently count as zero.
func ReadCostModel(r io.Reader, name string) (CostModel, error) {
	var m CostModel
	data, err := io.ReadAll(io.LimitReader(r, maxCostModel+1))
	if err != nil {
		return m, fmt.Errorf("read cost model %s: %w", name, err)
	}
	if len(data) > maxCostModel {
		return m, fmt.Errorf("read cost model %s: over %d bytes; a model is a few lines",
			name, maxCostModel)
	}

	// A byte-order mark, which Windows editors write first, is no JSON.
	data = bytes.TrimPrefix(data, []byte("\xef\xbb\xbf"))
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&m); err != nil {
		return m, fmt.Errorf("read cost model %s: %s%w", name, decodeWhere(data, err), err)
	}
	end := int(dec.InputOffset())
	if rest := bytes.TrimLeft(data[end:], " \t\r\n"); len(rest) > 0 {
		off := len(data) - len(rest)
		return m, fmt.Errorf("read cost model %s: %s: more after the model's closing brace",
			name, lineCol(data, off))
	}

	err = m.Validate()
	if err == nil {
		err = checkCostKeys(data)
	}
	if err != nil {
		var fe *fieldError
		if errors.As(err, &fe) {
			if off := keyOffset(data, fe.key); off >= 0 {
				return m, fmt.Errorf("read cost model %s: %s: %w", name, lineCol(data, off), err)
			}
		}
		return m, fmt.Errorf("read cost model %s: %w", name, err)
	}
	return m, nil
}

// fieldError is a value Validate refuses, with the key that holds it.
type fieldError struct {
	key string
	msg string
}

func (e *fieldError) Error() string { return e.msg }

// decodeWhere is "line L, column C: " for a decoding error that has a
// place: bad syntax, a value of the wrong type, a field the shape does
// not know; "" when it has none.
func decodeWhere(data []byte, err error) string {
	var syn *json.SyntaxError
	var typ *json.UnmarshalTypeError
	off := -1
	switch {
	case errors.As(err, &syn):
		off = int(syn.Offset) - 1 // the decoder has read the bad byte
	case errors.As(err, &typ):
		if off = keyOffset(data, typ.Field); off < 0 {
			off = int(typ.Offset)
		}
	case strings.HasPrefix(err.Error(), "json: unknown field "):
		key := strings.Trim(strings.TrimPrefix(err.Error(), "json: unknown field "), `"`)
		off = keyOffset(data, key)
	}
	if off < 0 {
		return ""
	}
	return lineCol(data, off) + ": "
}

// keyOffset is the offset of the first member named key in data, or -1.
func keyOffset(data []byte, key string) int {
	quoted, _ := json.Marshal(key)
	for from := 0; ; {
		i := bytes.Index(data[from:], quoted)
		if i < 0 {
			return -1
		}
		at := from + i
		rest := bytes.TrimLeft(data[at+len(quoted):], " \t\r\n")
		if len(rest) > 0 && rest[0] == ':' {
			return at
		}
		from = at + len(quoted)
	}
}

// lineCol is "line L, column C" of byte offset off in data, both from 1.
func lineCol(data []byte, off int) string {
	off = min(max(off, 0), len(data))
	line := 1 + bytes.Count(data[:off], []byte("\n"))
	col := off - (bytes.LastIndexByte(data[:off], '\n') + 1) + 1
	return fmt.Sprintf("line %d, column %d", line, col)
}
