package detect

import (
	"testing"
	"time"
)

// TestPeopleKeys: rows of one person count under one key whether they give
// the object id, the principal name or both, in the order a stream brings
// them; the alert shows the latest name; different ids never join.
func TestPeopleKeys(t *testing.T) {
	const (
		id    = "6F2B0C1D-5E1A-4C2B-9A11-00000000D0A1"
		idKey = "id:6f2b0c1d-5e1a-4c2b-9a11-00000000d0a1"
		other = "6f2b0c1d-5e1a-4c2b-9a11-00000000e0b2"
	)
	at := time.Date(2026, 3, 14, 8, 0, 0, 0, time.UTC)
	type row struct {
		id, upn string
		min     int // minutes after at
		want    string
	}
	tests := []struct {
		name string
		rows []row
		show string // what display gives the last row's key
	}{
		{"name only", []row{{"", " Dana.Kim@Example.com ", 0, "dana.kim@example.com"}},
			"dana.kim@example.com"},
		{"id only is the id", []row{{id, "", 0, idKey}}, idKey},
		{"id and name: the id, shown by the name", []row{
			{id, "Dana.Kim@Example.com", 0, idKey},
			{id, "", 1, idKey},
			{id, "Not Available", 2, idKey},
		}, "dana.kim@example.com"},
		{"the id written as the name is no name", []row{
			{id, id, 0, idKey},
		}, idKey},
		{"a name tied to an id joins rows that give only the name", []row{
			{id, "dana.kim@example.com", 0, idKey},
			{"", "DANA.KIM@example.com", 1, idKey},
		}, "dana.kim@example.com"},
		{"a name before its tie stays a name", []row{
			{"", "dana.kim@example.com", 0, "dana.kim@example.com"},
			{id, "dana.kim@example.com", 1, idKey},
		}, "dana.kim@example.com"},
		{"renamed: the latest name shows", []row{
			{id, "dana.kim@example.com", 5, idKey},
			{id, "dana.lee@example.com", 9, idKey},
			{id, "dana.kim@example.com", 7, idKey},
		}, "dana.lee@example.com"},
		{"two names at one time: the smaller, in any order", []row{
			{id, "zoe@example.com", 5, idKey},
			{id, "dana@example.com", 5, idKey},
			{id, "zoe@example.com", 5, idKey},
		}, "dana@example.com"},
		{"different ids never join, even under one name", []row{
			{id, "", 0, idKey},
			{other, "", 1, "id:" + other},
		}, "id:" + other},
		{"no usable identity", []row{
			{"00000000-0000-0000-0000-000000000000", "N/A", 0, ""},
			{"", "", 1, ""},
		}, ""},
	}
	for _, tt := range tests {
		p := newPeople(newLexicon(DefaultParams()))
		var last string
		for i, r := range tt.rows {
			last = p.key(r.id, r.upn, at.Add(time.Duration(r.min)*time.Minute))
			if last != r.want {
				t.Errorf("%s: row %d: key = %q, want %q", tt.name, i, last, r.want)
			}
		}
		if got := p.display(last); got != tt.show {
			t.Errorf("%s: display(%q) = %q, want %q", tt.name, last, got, tt.show)
		}
	}
}
