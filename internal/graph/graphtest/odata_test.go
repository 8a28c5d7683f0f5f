package graphtest

import (
	"errors"
	"testing"
	"time"
)

func TestParseFilter(t *testing.T) {
	tests := []struct {
		name   string
		kind   kind
		filter string
		want   int // clauses, or -1 for Graph's "Invalid filter clause"
	}{
		{"interactive sign-ins", kindSignIn, "createdDateTime ge 2026-10-19T12:01:00Z and " +
			"createdDateTime le 2026-11-18T12:00:00Z and userId eq 'u1' and " +
			"signInEventTypes/any(t: t eq 'interactiveUser')", 4},
		{"audits initiated", kindAudit, "activityDateTime ge 2026-10-19T12:01:00Z and " +
			"initiatedBy/user/id eq 'u1'", 2},
		{"audits targeting", kindAudit, "targetResources/any(t: t/id eq 'u1')", 1},
		{"risk detections", kindRisk, "userId eq 'u1' and detectedDateTime ge " +
			"2026-10-19T12:00:00.5Z", 2},
		{"users at risk", kindRiskyUser, "riskState eq 'atRisk'", 1},
		{"users at risk since", kindRiskyUser, "riskState eq 'atRisk' and " +
			"riskLastUpdatedDateTime ge 2026-11-18T11:45:00Z", 2},
		{"quote in a name", kindRiskyUser, "userPrincipalName eq 'o''brien@example.com'", 1},
		{"no filter", kindSignIn, "", 0},
		// BR-28: what a locale-formatted or quoted time gets.
		{"Finnish separators", kindSignIn, "createdDateTime ge 2025-09-01 10.00.00", -1},
		{"space instead of T", kindSignIn, "createdDateTime ge 2025-09-01 10:00:00", -1},
		{"no zone", kindSignIn, "createdDateTime ge 2025-09-01T10:00:00", -1},
		{"quoted time", kindSignIn, "createdDateTime ge '2025-09-01T10:00:00Z'", -1},
		{"offset instead of Z", kindSignIn, "createdDateTime ge 2025-09-01T10:00:00+03:00", -1},
		{"field the endpoint lacks", kindAudit, "userId eq 'u1'", -1},
		{"operator the field lacks", kindSignIn, "userId ge 'u1'", -1},
		{"any() on the wrong path", kindAudit, "targetResources/any(t: t eq 'u1')", -1},
		{"or is not sent", kindAudit, "initiatedBy/user/id eq 'u1' or " +
			"targetResources/any(t: t/id eq 'u1')", -1},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			cs, err := parseFilter(tt.kind, tt.filter)
			if tt.want < 0 {
				if !errors.Is(err, errFilter) {
					t.Errorf("err = %v, want %v", err, errFilter)
				}
				return
			}
			if err != nil || len(cs) != tt.want {
				t.Errorf("%d clauses, err %v; want %d", len(cs), err, tt.want)
			}
		})
	}
}

func TestMatch(t *testing.T) {
	at := time.Date(2026, 11, 17, 10, 0, 0, 0, time.UTC)
	r := &record{kind: kindAudit, at: at, initiator: "u1", targets: []string{"u2", "U3"},
		upn: "Ana@Example.com"}
	tests := []struct {
		filter string
		want   bool
	}{
		{"activityDateTime ge 2026-11-17T10:00:00Z", true},
		{"activityDateTime ge 2026-11-17T10:00:01Z", false},
		{"activityDateTime le 2026-11-17T10:00:00Z", true},
		{"initiatedBy/user/id eq 'u1'", true},
		{"initiatedBy/user/id eq 'u2'", false},
		{"targetResources/any(t: t/id eq 'u3')", true},
		{"initiatedBy/user/userPrincipalName eq 'ana@example.com'", true},
	}
	for _, tt := range tests {
		cs, err := parseFilter(kindAudit, tt.filter)
		if err != nil {
			t.Fatal(err)
		}
		if got := r.matches(cs); got != tt.want {
			t.Errorf("%s: %v, want %v", tt.filter, got, tt.want)
		}
	}
}

func TestSkipToken(t *testing.T) {
	for _, off := range []int{0, 7, 1000} {
		if got, ok := skipOffset(skipToken(off)); !ok || got != off {
			t.Errorf("offset %d came back as %d (%v)", off, got, ok)
		}
	}
	if _, ok := skipOffset("not-a-token!"); ok {
		t.Error("a bad skip token was read")
	}
}
