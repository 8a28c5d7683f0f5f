package ingest

import (
	"strings"

	"github.com/idtriage/idtriage/internal/jsonx"
)

// Nested fields (status, location, deviceDetail, policy lists) arrive as
// JSON values from Graph and Event Hub, but as JSON text inside a string
// from Log Analytics and in CSV cells (BR-04). The helpers here decode such
// text once and hand back the same shape either way.

// objectOr returns the object at key, decoding JSON text once. A plain
// string that is not JSON text is returned as s, for fields that also come
// as scalars (a "Failure" status, a "US" location).
func (r *rec) objectOr(o *obj, key string) (out *obj, s string) {
	v, ok := o.get(key)
	if !ok || v == nil {
		return nil, ""
	}
	path := o.child(key)
	switch x := v.(type) {
	case map[string]any:
		return newObj(x, path), ""
	case string:
		t := strings.TrimSpace(x)
		if !strings.HasPrefix(t, "{") {
			return nil, t
		}
		if m, ok := r.jsonText(path, t).(map[string]any); ok {
			return newObj(m, path), ""
		}
		return nil, ""
	}
	r.unexpected(path, v)
	return nil, ""
}

// object is objectOr for fields that are never scalars: a plain string is
// kept raw and counted.
func (r *rec) object(o *obj, key string) *obj {
	out, s := r.objectOr(o, key)
	if s != "" && !isNone(s) {
		r.warn(o.child(key), "unexpected string kept raw")
		r.keepRaw(o.child(key), s)
	}
	return out
}

// list returns the list at key, decoding JSON text once.
func (r *rec) list(o *obj, key string) []any {
	v, ok := o.get(key)
	if !ok || v == nil {
		return nil
	}
	path := o.child(key)
	switch x := v.(type) {
	case []any:
		return x
	case map[string]any:
		if len(x) == 0 {
			return nil // the 2018 schema writes {} for "none"
		}
	case string:
		t := strings.TrimSpace(x)
		if t == "" || isNone(t) {
			return nil
		}
		if strings.HasPrefix(t, "[") {
			l, _ := r.jsonText(path, t).([]any)
			return l
		}
		r.warn(path, "unexpected string kept raw")
		r.keepRaw(path, t)
		return nil
	}
	r.unexpected(path, v)
	return nil
}

// objects returns the objects of the list at key; other elements are
// counted and skipped.
func (r *rec) objects(o *obj, key string) []*obj {
	var out []*obj
	for _, e := range r.list(o, key) {
		m, ok := e.(map[string]any)
		if !ok {
			if e != nil {
				r.unexpected(o.child(key)+"[]", e)
			}
			continue
		}
		out = append(out, newObj(m, o.child(key)))
	}
	return out
}

// strs returns the list of strings at key. A plain string is read as a
// comma-separated list, which Graph beta uses for some enum sets.
func (r *rec) strs(o *obj, key string) []string {
	v, ok := o.get(key)
	if !ok || v == nil {
		return nil
	}
	var items []any
	switch x := v.(type) {
	case string:
		t := strings.TrimSpace(x)
		if strings.HasPrefix(t, "[") {
			items, _ = r.jsonText(o.child(key), t).([]any)
			break
		}
		for _, p := range strings.Split(t, ",") {
			if p = strings.TrimSpace(p); p != "" {
				items = append(items, p)
			}
		}
	case []any:
		items = x
	default:
		r.unexpected(o.child(key), v)
		return nil
	}
	var out []string
	for _, e := range items {
		if s, ok := e.(string); ok && s != "" {
			out = append(out, s)
		} else if e != nil && !ok {
			r.unexpected(o.child(key)+"[]", e)
		}
	}
	return out
}

// jsonText decodes JSON text found inside a string field. Text that does
// not parse is kept raw and counted; the record is kept.
func (r *rec) jsonText(path, text string) any {
	v, err := decodeText(text)
	if err != nil {
		r.warn(path, "invalid JSON text kept raw")
		r.keepRaw(path, text)
		return nil
	}
	r.warn(path, "JSON text decoded")
	return v
}

// decodeText decodes one JSON value held in a string. The text is checked
// first, which bounds its nesting before the decoder sees it.
func decodeText(text string) (any, error) {
	b := []byte(text)
	if e := checkJSON(b); e != nil {
		return nil, &syntaxErrorValue{e}
	}
	var v any
	if err := jsonx.Unmarshal(b, &v); err != nil {
		return nil, err
	}
	return v, nil
}

type syntaxErrorValue struct{ e *syntaxError }

func (s *syntaxErrorValue) Error() string { return s.e.msg }

// isNone reports the placeholders exports write for "no value".
func isNone(s string) bool {
	switch strings.ToLower(strings.TrimSpace(s)) {
	case "", "none", "null", "<null>", "n/a", "-":
		return true
	}
	return false
}
