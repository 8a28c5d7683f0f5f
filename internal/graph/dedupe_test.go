package graph

import "testing"

func TestSeen(t *testing.T) {
	s := seen{}
	steps := []struct {
		name string
		raw  string
		want verdict
	}{
		{"first", `{"id":"a","createdDateTime":"2026-11-17T10:00:00Z"}`, keep},
		{"again, as an overlapping page serves it", `{"id":"a","createdDateTime":` +
			`"2026-11-17T10:00:00Z"}`, duplicate},
		{"again, laid out otherwise", "{ \"id\": \"a\",\n \"createdDateTime\": " +
			"\"2026-11-17T10:00:00Z\" }", duplicate},
		{"same id, other policies: a split sign-in", `{"id":"a","createdDateTime":` +
			`"2026-11-17T10:00:00Z","appliedConditionalAccessPolicies":[{"id":"p2"}]}`, splitRow},
		{"that split row again", `{"id":"a","createdDateTime":"2026-11-17T10:00:00Z",` +
			`"appliedConditionalAccessPolicies":[{"id":"p2"}]}`, duplicate},
		{"another id", `{"id":"b"}`, keep},
		{"no id", `{"createdDateTime":"2026-11-17T10:00:00Z"}`, anonymous},
		{"no id, again", `{"createdDateTime":"2026-11-17T10:00:00Z"}`, anonymous},
		{"empty id", `{"id":""}`, anonymous},
		{"not an object", `[1,2]`, anonymous},
	}
	for _, st := range steps {
		if got := s.check([]byte(st.raw)); got != st.want {
			t.Errorf("%s: verdict %d, want %d", st.name, got, st.want)
		}
	}
}
