package ingest

import "fmt"

// maxDepth bounds the nesting of arrays and objects. Entra records nest
// five or six levels; anything deeper is rejected before it reaches the
// JSON decoder, so that hostile input cannot exhaust the stack.
const maxDepth = 1000

// syntaxError says where a JSON text stops being valid (a byte offset) and
// why.
type syntaxError struct {
	off int
	msg string
}

// checkJSON validates that b holds exactly one JSON value, optionally
// surrounded by white space, and returns the first problem with its offset.
// It exists to point at the fault (a trailing comma, an unclosed string)
// when the decoder rejects a record, because the decoder's own errors do not
// say where.
func checkJSON(b []byte) *syntaxError {
	c := checker{b: b}
	i, err := c.value(space(b, 0))
	if err != nil {
		return err
	}
	if i = space(b, i); i < len(b) {
		return &syntaxError{i, fmt.Sprintf("unexpected %s after the value", quoteChar(b[i]))}
	}
	return nil
}

type checker struct {
	b     []byte
	depth int
}

func (c *checker) value(i int) (int, *syntaxError) {
	if i >= len(c.b) {
		return i, eofError(i)
	}
	switch ch := c.b[i]; {
	case ch == '{':
		return c.object(i)
	case ch == '[':
		return c.array(i)
	case ch == '"':
		return skipString(c.b, i)
	case ch == '-' || ch >= '0' && ch <= '9':
		return c.number(i)
	case ch == 't':
		return c.literal(i, "true")
	case ch == 'f':
		return c.literal(i, "false")
	case ch == 'n':
		return c.literal(i, "null")
	default:
		msg := fmt.Sprintf("invalid character %s where a value should start", quoteChar(ch))
		return i, &syntaxError{i, msg}
	}
}

func (c *checker) object(i int) (int, *syntaxError) {
	if err := c.enter(i); err != nil {
		return i, err
	}
	defer c.leave()
	b := c.b
	if i = space(b, i+1); i < len(b) && b[i] == '}' {
		return i + 1, nil
	}
	for {
		if i >= len(b) || b[i] != '"' {
			return i, expected(b, i, "a quoted key")
		}
		var err *syntaxError
		if i, err = skipString(b, i); err != nil {
			return i, err
		}
		if i = space(b, i); i >= len(b) || b[i] != ':' {
			return i, expected(b, i, "':' after the key")
		}
		if i, err = c.value(space(b, i+1)); err != nil {
			return i, err
		}
		var closed bool
		if i, closed, err = c.after(space(b, i), '}'); err != nil || closed {
			return i, err
		}
	}
}

func (c *checker) array(i int) (int, *syntaxError) {
	if err := c.enter(i); err != nil {
		return i, err
	}
	defer c.leave()
	b := c.b
	if i = space(b, i+1); i < len(b) && b[i] == ']' {
		return i + 1, nil
	}
	for {
		var err *syntaxError
		if i, err = c.value(i); err != nil {
			return i, err
		}
		var closed bool
		if i, closed, err = c.after(space(b, i), ']'); err != nil || closed {
			return i, err
		}
	}
}

func (c *checker) enter(i int) *syntaxError {
	if c.depth++; c.depth > maxDepth {
		return &syntaxError{i, fmt.Sprintf("nesting deeper than %d levels", maxDepth)}
	}
	return nil
}

func (c *checker) leave() { c.depth-- }

// after reads what follows a member or element: either the closing bracket
// (closed is set and the offset is past it) or a comma and the start of the
// next one. A comma right before the closing bracket is the trailing-comma
// mistake found in Microsoft's samples; the error points at the comma.
func (c *checker) after(i int, closer byte) (next int, closed bool, err *syntaxError) {
	b := c.b
	switch {
	case i >= len(b):
		return i, false, eofError(i)
	case b[i] == closer:
		return i + 1, true, nil
	case b[i] == ',':
		j := space(b, i+1)
		if j < len(b) && (b[j] == '}' || b[j] == ']') {
			msg := fmt.Sprintf("trailing comma before %s", quoteChar(b[j]))
			return i, false, &syntaxError{i, msg}
		}
		return j, false, nil
	}
	return i, false, expected(b, i, fmt.Sprintf("',' or %s", quoteChar(closer)))
}

func (c *checker) number(i int) (int, *syntaxError) {
	end := numberEnd(c.b, i)
	if end < 0 {
		return i, &syntaxError{i, "malformed number"}
	}
	return end, nil
}

func (c *checker) literal(i int, word string) (int, *syntaxError) {
	if len(c.b)-i >= len(word) && string(c.b[i:i+len(word)]) == word {
		return i + len(word), nil
	}
	return i, &syntaxError{i, fmt.Sprintf("invalid literal, expected %s", word)}
}

func digits(b []byte, i int) int {
	for i < len(b) && b[i] >= '0' && b[i] <= '9' {
		i++
	}
	return i
}

func eofError(i int) *syntaxError {
	return &syntaxError{i, "unexpected end of input"}
}

func expected(b []byte, i int, what string) *syntaxError {
	if i >= len(b) {
		return eofError(i)
	}
	return &syntaxError{i, fmt.Sprintf("expected %s, found %s", what, quoteChar(b[i]))}
}

// quoteChar formats one byte for a message, escaping anything unprintable.
func quoteChar(c byte) string {
	if c >= 0x20 && c < 0x7f {
		return fmt.Sprintf("'%c'", c)
	}
	return fmt.Sprintf("byte 0x%02x", c)
}
