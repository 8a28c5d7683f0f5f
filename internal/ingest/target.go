package ingest

import (
	"strings"

	"github.com/idtriage/idtriage/internal/entra"
	"github.com/idtriage/idtriage/internal/jsonx"
)

// targets reads targetResources ("type" or "Type", as the docs spell it
// both ways) and their modifiedProperties.
func (r *rec) targets() []entra.Target {
	var out []entra.Target
	for _, o := range r.objects(r.body, "targetResources") {
		t := entra.Target{
			ID:                r.str(o, "id"),
			DisplayName:       r.str(o, "displayName"),
			Type:              r.str(o, "type"),
			UserPrincipalName: r.str(o, "userPrincipalName"),
		}
		t.Modified = r.modified(o, "modifiedProperties")
		out = append(out, t)
	}
	return out
}

// modified reads a list of changed properties: displayName, oldValue and
// newValue in the current schema, Name, OldValue and NewValue in 2018's.
func (r *rec) modified(o *obj, key string) []entra.ModifiedProperty {
	var out []entra.ModifiedProperty
	for _, p := range r.objects(o, key) {
		name := r.str(p, "displayName")
		if name == "" {
			name = r.str(p, "name")
		}
		out = append(out, entra.ModifiedProperty{
			Name: name,
			Old:  r.value(p, "oldValue"),
			New:  r.value(p, "newValue"),
		})
	}
	return out
}

// value reads one side of a modified property. The service writes JSON
// inside a string ("\"True\"", "[\"Mail.Read\"]"); it is decoded once,
// with "True"/"False" strings read as booleans, and the raw text kept
// (BR-23). Text that is not JSON keeps Decoded nil.
func (r *rec) value(o *obj, key string) entra.Value {
	v, ok := o.get(key)
	if !ok || v == nil {
		return entra.Value{}
	}
	s, isStr := v.(string)
	if !isStr {
		raw, _ := jsonx.Marshal(v)
		return entra.Value{Raw: string(raw), Decoded: boolify(v)}
	}
	out := entra.Value{Raw: s}
	if t := strings.TrimSpace(s); t != "" {
		if d, err := decodeText(t); err == nil {
			out.Decoded = boolify(d)
		}
	}
	return out
}

// boolify reads "True"/"False" strings, in any case, as booleans, in a
// value or the items of a list.
func boolify(v any) any {
	switch x := v.(type) {
	case string:
		switch strings.ToLower(x) {
		case "true":
			return true
		case "false":
			return false
		}
	case []any:
		out := make([]any, len(x))
		for i, e := range x {
			out[i] = boolify(e)
		}
		return out
	}
	return v
}

// legacyTarget rebuilds the target of a 2018-schema event, which packs it
// into two "__"-joined strings: targetResourceType names the parts
// ("UPN__TenantContextID__PUID__ObjectID__ObjectClass") and
// targetResourceName holds them. targetUpdatedProperties are its changes.
func (r *rec) legacyTarget() []entra.Target {
	b := r.body
	names := strings.Split(r.str(b, "targetResourceType"), "__")
	values := strings.Split(r.str(b, "targetResourceName"), "__")
	if len(values) == 0 || values[0] == "" {
		return nil
	}
	var t entra.Target
	for i, v := range values {
		name := ""
		if i < len(names) {
			name = strings.ToLower(names[i])
		}
		switch name {
		case "upn":
			t.UserPrincipalName = v
		case "objectid":
			t.ID = v
		case "objectclass":
			t.Type = v
		case "name":
			t.DisplayName = v
		}
	}
	if t.UserPrincipalName == "" && t.ID == "" && t.DisplayName == "" {
		t.DisplayName = values[0]
	}
	t.Modified = r.modified(b, "targetUpdatedProperties")
	return []entra.Target{t}
}
