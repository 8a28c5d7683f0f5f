package ingest

import (
	"math"
	"strconv"
	"strings"

	"github.com/idtriage/idtriage/internal/jsonx"
)

// rec is one record being normalised. env is the object as read; body is
// the payload: the "properties" member of an Event Hub record, else env
// itself. kind prefixes warning keys ("signin.location: ...").
type rec struct {
	f      *fileState
	env    *obj
	body   *obj
	kind   string
	off    int // byte offset of the record in the decoded text
	index  int // 1-based ordinal in the file
	utc    map[string]bool
	raw    map[string]string
	reject *Error
}

// warn counts an oddity of field under the record's kind.
func (r *rec) warn(field, what string) {
	r.f.warn(r.kind + "." + field + ": " + what)
}

// fail rejects the record, naming the field at fault.
func (r *rec) fail(field, msg string) {
	if r.reject == nil {
		line, col := r.f.lines.pos(r.off)
		r.reject = &Error{File: r.f.name, Line: line, Column: col, Record: r.index,
			Field: field, Msg: msg}
	}
}

// unexpected keeps the JSON of a value whose type the field does not take,
// and counts it: the record is kept (BR-01).
func (r *rec) unexpected(field string, v any) {
	r.warn(field, "unexpected "+typeName(v)+" kept raw")
	if b, err := jsonx.Marshal(v); err == nil {
		r.keepRaw(field, string(b))
	}
}

func (r *rec) keepRaw(field, text string) {
	if r.raw == nil {
		r.raw = map[string]string{}
	}
	r.raw[field] = text
}

// first returns the value at the first of keys present in body, then env.
func (r *rec) first(keys ...string) (*obj, string, bool) {
	for _, o := range r.scopes() {
		for _, k := range keys {
			if o.has(k) {
				return o, k, true
			}
		}
	}
	return nil, "", false
}

// scopes returns body, then env when it is a different object.
func (r *rec) scopes() []*obj {
	if r.env == r.body {
		return []*obj{r.body}
	}
	return []*obj{r.body, r.env}
}

// str returns the string at key ("" when absent or null). Numbers and
// booleans are formatted; an object or list is kept raw and counted.
func (r *rec) str(o *obj, key string) string {
	v, ok := o.get(key)
	if !ok || v == nil {
		return ""
	}
	switch x := v.(type) {
	case string:
		return x
	case float64:
		return strconv.FormatFloat(x, 'f', -1, 64)
	case bool:
		return strconv.FormatBool(x)
	}
	r.unexpected(o.child(key), v)
	return ""
}

// anyStr returns the first non-empty string among keys in body, then env.
func (r *rec) anyStr(keys ...string) string {
	if o, k, ok := r.first(keys...); ok {
		return r.str(o, k)
	}
	return ""
}

// num returns the number at key: a JSON number or a numeric string. ok is
// false when the key is absent, null or empty; any other value is counted.
func (r *rec) num(o *obj, key string) (float64, bool) {
	v, ok := o.get(key)
	if !ok || v == nil {
		return 0, false
	}
	switch x := v.(type) {
	case float64:
		return x, true
	case string:
		s := strings.TrimSpace(x)
		if s == "" {
			return 0, false
		}
		if n, err := strconv.ParseFloat(s, 64); err == nil && !math.IsInf(n, 0) && !math.IsNaN(n) {
			return n, true
		}
	}
	r.warn(o.child(key), "not a number")
	return 0, false
}

// integer is num restricted to whole numbers that fit an int.
func (r *rec) integer(o *obj, key string) (int, bool) {
	n, ok := r.num(o, key)
	if !ok {
		return 0, false
	}
	if n != math.Trunc(n) || math.Abs(n) > 1<<52 {
		r.warn(o.child(key), "not a whole number")
		return 0, false
	}
	return int(n), true
}

// flag returns the boolean at key. Strings "true"/"false" in any case are
// read, as Log Analytics and PowerShell write them ("TRUE", "False"); the
// documentation placeholder "Boolean" reads as false and is counted.
func (r *rec) flag(o *obj, key string) (val, ok bool) {
	v, present := o.get(key)
	if !present || v == nil {
		return false, false
	}
	switch x := v.(type) {
	case bool:
		return x, true
	case float64:
		if x == 0 || x == 1 {
			return x == 1, true
		}
	case string:
		switch strings.ToLower(strings.TrimSpace(x)) {
		case "true", "1", "yes":
			return true, true
		case "false", "0", "no":
			return false, true
		case "":
			return false, false
		case "boolean":
			r.warn(o.child(key), "placeholder read as false")
			return false, true
		}
	}
	r.warn(o.child(key), "not a boolean")
	return false, false
}

func typeName(v any) string {
	switch v.(type) {
	case map[string]any:
		return "object"
	case []any:
		return "list"
	case string:
		return "string"
	case float64:
		return "number"
	case bool:
		return "boolean"
	}
	return "value"
}
