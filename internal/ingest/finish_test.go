package ingest

import (
	"fmt"
	"slices"
	"testing"
)

func TestFinishKeepsRecordsWithoutID(t *testing.T) {
	row := `{"time":"2024-01-01T00:00:00Z","category":"SignInLogs"}`
	set := decodeString("stubs.ndjson", row+"\n"+row+"\n")
	if len(set.SignIns) != 2 || set.Duplicates != 0 {
		t.Errorf("%d sign-ins, %d duplicates; records without an id are never merged",
			len(set.SignIns), set.Duplicates)
	}
}

func TestFinishFillsMissingFields(t *testing.T) {
	eh := `{"time":"2024-08-01T10:00:30Z","category":"NonInteractiveUserSignInLogs","resultType":"0",` +
		`"properties":{"id":"f1","createdDateTime":"2024-08-01T10:00:05Z","status":{"errorCode":0}}}`
	graph := `{"id":"f1","createdDateTime":"2024-08-01T10:00:05Z","userPrincipalName":"u@example.com",` +
		`"ipAddress":"192.0.2.9","status":{"errorCode":0}}`
	set := decodeString("two.ndjson", eh+"\n"+graph+"\n")
	s := onlySignIn(t, set)
	if s.UserPrincipalName != "u@example.com" || s.IPRaw != "192.0.2.9" || !s.IP.IsValid() ||
		s.Source != "nonInteractive" || set.Duplicates != 1 || s.Rows != 1 {
		t.Errorf("merged %+v duplicates %d", s, set.Duplicates)
	}
}

func TestFinishIsIdempotent(t *testing.T) {
	set := decodeReports(t, "BR-11.json", "BR-12.json")
	n, d, m := len(set.SignIns), set.Duplicates, set.Merged
	set.Finish()
	if len(set.SignIns) != n || set.Duplicates != d || set.Merged != m {
		t.Errorf("second Finish changed the set: %d/%d/%d -> %d/%d/%d",
			n, d, m, len(set.SignIns), set.Duplicates, set.Merged)
	}
}

func TestFinishDedupesAudits(t *testing.T) {
	set := &Set{}
	Decode("a.json", fieldReport(t, "BR-37.json"), set)
	Decode("b.json", fieldReport(t, "BR-37.json"), set)
	set.Finish()
	if len(set.Audits) != 2 || set.Duplicates != 2 {
		t.Errorf("%d audits, %d duplicates; want 2, 2", len(set.Audits), set.Duplicates)
	}
}

// TestFinishRowsOfOneTimeInAnyOrder: rows of one sign-in logged at the
// same time merge to the same status whatever order they were read in: the
// row furthest along the flow (a success over a failure over an
// interrupt) ends it.
func TestFinishRowsOfOneTimeInAnyOrder(t *testing.T) {
	row := func(code int) string {
		return `{"id":"s1","createdDateTime":"2026-03-06T10:12:00Z",` +
			`"userPrincipalName":"u@example.com","status":{"errorCode":` + fmt.Sprint(code) + `}}`
	}
	for _, tc := range []struct {
		name  string
		codes []int
		want  int
	}{
		{"denied prompt, then success", []int{500121, 0}, 0},
		{"interrupt and failure", []int{50074, 50126}, 50126},
		{"three stages", []int{50074, 0, 50126}, 0},
		{"two failures", []int{50126, 53003}, 53003},
	} {
		var want *int
		for _, order := range [][]int{tc.codes, reversed(tc.codes)} {
			var lines string
			for _, c := range order {
				lines += row(c) + "\n"
			}
			s := onlySignIn(t, decodeString("rows.ndjson", lines))
			if s.ErrorCode != tc.want {
				t.Errorf("%s, rows %v: merged code %d, want %d", tc.name, order, s.ErrorCode,
					tc.want)
			}
			if want != nil && *want != s.ErrorCode {
				t.Errorf("%s: the two orders merged differently", tc.name)
			}
			want = &s.ErrorCode
		}
	}
}

func reversed(in []int) []int {
	out := slices.Clone(in)
	slices.Reverse(out)
	return out
}
