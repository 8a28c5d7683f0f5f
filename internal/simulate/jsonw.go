package simulate

import (
	"strconv"
	"time"
	"unicode/utf8"
)

// jw appends compact JSON to a buffer. Records are written field by field
// in the order Graph writes them, which a struct and encoding/json would
// not keep as cheaply; about a billion bytes go through here for a
// million-sign-in tenant.
type jw struct {
	b     []byte
	comma bool // a member or element was written at this level
}

func (w *jw) sep() {
	if w.comma {
		w.b = append(w.b, ',')
	}
	w.comma = true
}

func (w *jw) key(k string) {
	w.sep()
	w.b = append(w.b, '"')
	w.b = append(w.b, k...)
	w.b = append(w.b, '"', ':')
	w.comma = false
}

func (w *jw) open(c byte)  { w.sep(); w.b = append(w.b, c); w.comma = false }
func (w *jw) close(c byte) { w.b = append(w.b, c); w.comma = true }

// obj opens an object member k.
func (w *jw) obj(k string) { w.key(k); w.open('{') }

// arr opens an array member k.
func (w *jw) arr(k string) { w.key(k); w.open('[') }

func (w *jw) str(k, v string)     { w.key(k); w.strVal(v) }
func (w *jw) num(k string, n int) { w.key(k); w.numVal(n) }
func (w *jw) null(k string)       { w.key(k); w.sep(); w.b = append(w.b, "null"...) }
func (w *jw) boolean(k string, v bool) {
	w.key(k)
	w.sep()
	w.b = strconv.AppendBool(w.b, v)
}

func (w *jw) float(k string, f float64) {
	w.key(k)
	w.sep()
	w.b = strconv.AppendFloat(w.b, f, 'f', -1, 64)
}

func (w *jw) numVal(n int) {
	w.sep()
	w.b = strconv.AppendInt(w.b, int64(n), 10)
}

// time writes a Graph timestamp: UTC with seven fraction digits.
func (w *jw) time(k string, t time.Time) {
	w.key(k)
	w.sep()
	w.b = append(w.b, '"')
	w.b = t.UTC().AppendFormat(w.b, "2006-01-02T15:04:05.0000000Z")
	w.b = append(w.b, '"')
}

// strs writes a list of strings.
func (w *jw) strs(k string, vs ...string) {
	w.arr(k)
	for _, v := range vs {
		w.strVal(v)
	}
	w.close(']')
}

// strVal writes a JSON string, escaping what JSON requires.
func (w *jw) strVal(s string) {
	w.sep()
	w.b = append(w.b, '"')
	for i := 0; i < len(s); {
		c := s[i]
		switch {
		case c == '"' || c == '\\':
			w.b = append(w.b, '\\', c)
			i++
		case c < 0x20:
			w.b = append(w.b, `\u00`...)
			w.b = append(w.b, "0123456789abcdef"[c>>4], "0123456789abcdef"[c&15])
			i++
		case c < utf8.RuneSelf:
			w.b = append(w.b, c)
			i++
		default:
			_, n := utf8.DecodeRuneInString(s[i:])
			w.b = append(w.b, s[i:i+n]...)
			i += n
		}
	}
	w.b = append(w.b, '"')
}
