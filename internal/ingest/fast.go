package ingest

import (
	"bytes"
	"errors"
	"math"
	"strconv"
	"strings"
	"unsafe"
)

// The fast path decodes a sign-in straight into typed structs (fast_signin.go)
// instead of a generic map. The small types here read the fields whose type
// varies between exports. Each one accepts only what the general decoder
// reads without a warning, and fails the decode otherwise: a record the fast
// path cannot read exactly as the general decoder would is handed to the
// general decoder, so that both give the same records, warnings and errors.

// errDecline fails a fast decode; the record then goes to the general decoder.
var errDecline = errors.New("ingest: not for the fast path")

// isNull reports whether b is the JSON literal null.
func isNull(b []byte) bool { return len(b) == 4 && string(b) == "null" }

// plainString returns the content of a JSON string without escapes; ok is
// false for anything else, including a string with an escape.
func plainString(b []byte) (string, bool) {
	if len(b) < 2 || b[0] != '"' || b[len(b)-1] != '"' {
		return "", false
	}
	in := b[1 : len(b)-1]
	if bytes.IndexByte(in, '\\') >= 0 {
		return "", false
	}
	return unsafe.String(unsafe.SliceData(in), len(in)), true
}

// parseFloat parses a number as the general decoder does (strconv), without
// copying b; the text must not outlive the call.
func parseFloat(b []byte) (float64, bool) {
	if len(b) == 0 {
		return 0, false
	}
	f, err := strconv.ParseFloat(unsafe.String(unsafe.SliceData(b), len(b)), 64)
	return f, err == nil
}

// jnum is a number that may arrive as a JSON number or as a numeric string
// ("0", as Event Hub writes durationMs). Set is false when the field was
// absent, null or an empty string.
type jnum struct {
	v   float64
	set bool
}

// UnmarshalJSON reads a number or a numeric string; anything else declines.
func (n *jnum) UnmarshalJSON(b []byte) error {
	if isNull(b) {
		return nil
	}
	if b[0] == '"' {
		s, ok := plainString(b)
		if !ok {
			return errDecline
		}
		s = strings.TrimSpace(s)
		if s == "" {
			return nil
		}
		f, ok := parseFloat([]byte(s))
		if !ok || math.IsInf(f, 0) || math.IsNaN(f) {
			return errDecline
		}
		n.v, n.set = f, true
		return nil
	}
	if b[0] != '-' && (b[0] < '0' || b[0] > '9') {
		return errDecline
	}
	f, ok := parseFloat(b)
	if !ok {
		return errDecline
	}
	n.v, n.set = f, true
	return nil
}

// whole returns the number as an int when it is a whole number the general
// decoder accepts; ok is false when it was not set. A fraction or a value
// beyond 2^52 declines (the general decoder warns about it).
func (n jnum) whole() (v int, ok bool, decline bool) {
	if !n.set {
		return 0, false, false
	}
	if n.v != math.Trunc(n.v) || math.Abs(n.v) > 1<<52 {
		return 0, false, true
	}
	return int(n.v), true, false
}

// jcode is resultType: a number, or a string holding an integer ("50126").
// A word ("Success") declines; an empty string or null leaves it unset.
type jcode struct {
	v   int
	set bool
}

// UnmarshalJSON reads a code as the general decoder's resultType does.
func (c *jcode) UnmarshalJSON(b []byte) error {
	if isNull(b) {
		return nil
	}
	if b[0] == '"' {
		s, ok := plainString(b)
		if !ok {
			return errDecline
		}
		s = strings.TrimSpace(s)
		if s == "" {
			return nil
		}
		v, err := strconv.Atoi(s)
		if err != nil {
			return errDecline
		}
		c.v, c.set = v, true
		return nil
	}
	var n jnum
	if err := n.UnmarshalJSON(b); err != nil {
		return err
	}
	v, ok, decline := n.whole()
	if decline || !ok {
		return errDecline
	}
	c.v, c.set = v, true
	return nil
}

// jflag is a boolean that remembers whether it was given (isInteractive
// decides the source only when present).
type jflag struct {
	v, set bool
}

// UnmarshalJSON reads true, false or null; anything else declines.
func (f *jflag) UnmarshalJSON(b []byte) error {
	switch string(b) {
	case "null":
	case "true":
		f.v, f.set = true, true
	case "false":
		f.v, f.set = false, true
	default:
		return errDecline
	}
	return nil
}

// present notes a field the fast path does not read but whose presence
// changes how the general decoder classifies or reads the record. It is set
// as the general decoder's "has" is: any value but null or a blank string.
// A string with an escape counts as present, which only sends more records
// to the general decoder.
type present bool

// UnmarshalJSON marks the field present.
func (p *present) UnmarshalJSON(b []byte) error {
	if isNull(b) {
		return nil
	}
	if s, ok := plainString(b); ok && strings.TrimSpace(s) == "" {
		return nil
	}
	*p = true
	return nil
}

// arrayFlag is set when a field holds an array: a "value" or "records"
// array makes the object a page or Event Hub wrapper, not a record.
type arrayFlag bool

// UnmarshalJSON marks an array.
func (a *arrayFlag) UnmarshalJSON(b []byte) error {
	*a = len(b) > 0 && b[0] == '['
	return nil
}

// Runes that Unicode folds to an ASCII letter: the JSON decoder matches keys
// by Unicode folding, the general decoder by ASCII folding only, so a key
// spelled with one of them ("ſtatus") could match a field on one path only.
var (
	longS  = []byte("\u017f")
	kelvin = []byte("\u212a")
)

// fastCandidate reports whether b may go to the fast path: a JSON object
// nested no deeper than the general decoder allows (brackets are counted,
// even in strings, so the test is cheap and errs towards the general
// decoder) with no key that only Unicode folding would match.
func fastCandidate(b []byte) bool {
	if len(b) < 2 || b[0] != '{' || b[len(b)-1] != '}' {
		return false
	}
	if bytes.Count(b, []byte{'{'})+bytes.Count(b, []byte{'['}) > maxDepth {
		return false
	}
	return !bytes.Contains(b, longS) && !bytes.Contains(b, kelvin)
}
