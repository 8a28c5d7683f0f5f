package ingest

import (
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
