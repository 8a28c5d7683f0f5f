package investigate

import (
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

const (
	objID   = "11111111-2222-4333-8444-555555555555"
	otherID = "99999999-2222-4333-8444-555555555555"
	upnAna  = "ana@contoso.com"
)

// signIns writes n Graph sign-ins a minute apart from start for userID and
// upn (either may be ""), failing with errorCode when it is not 0.
func signIns(t *testing.T, prefix, start string, n int, userID, upn string, errorCode int) string {
	t.Helper()
	var out []map[string]any
	for i := range n {
		r := map[string]any{
			"id":              fmt.Sprintf("%s-%d", prefix, i),
			"createdDateTime": fmt.Sprintf("%s:%02d:00Z", start, i),
			"appDisplayName":  "Office 365 Exchange Online", "ipAddress": "203.0.113.7",
			"clientAppUsed": "Browser", "isInteractive": true,
			"status": map[string]any{"errorCode": errorCode},
		}
		if userID != "" {
			r["userId"] = userID
		}
		if upn != "" {
			r["userPrincipalName"] = upn
		}
		out = append(out, r)
	}
	b, err := json.Marshal(map[string]any{"value": out})
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

func TestKeyOf(t *testing.T) {
	tests := []struct{ name, in, want string }{
		{"principal name is folded", " Ana@Contoso.COM ", upnAna},
		{"hunt's id key", "id:" + objID, "id:" + objID},
		{"id key in capitals", "ID:" + "11111111-2222-4333-8444-55555555555A", "id:" +
			"11111111-2222-4333-8444-55555555555a"},
		{"bare object id", objID, "id:" + objID},
		{"bare non-GUID stays a name", "svc-backup", "svc-backup"},
		{"the zero GUID names nobody", "00000000-0000-0000-0000-000000000000", ""},
		{"placeholder names nobody", "Not Available", ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := keyOf(tt.in); got != tt.want {
				t.Errorf("keyOf(%q) = %q, want %q", tt.in, got, tt.want)
			}
		})
	}
}

func TestSelectUserByObjectID(t *testing.T) {
	idOnly := signIns(t, "f", "2026-11-17T10", 3, objID, "", 50126)
	twoIDs := idOnly + "\n" + signIns(t, "g", "2026-11-17T11", 2, otherID, "", 50126)
	// Ana signs in with her name and id, and some rows carry only the id.
	tied := signIns(t, "s", "2026-11-17T09", 2, objID, upnAna, 0) + "\n" + idOnly
	app := signIns(t, "a", "2026-11-17T09", 1, otherID, "backup-job", 0)

	tests := []struct {
		name, input, want, wantUser string
		wantErr                     error
	}{
		{"only user is the id", idOnly, "", "id:" + objID, nil},
		{"id key as hunt prints it", idOnly, "id:" + objID, "id:" + objID, nil},
		{"bare object id", idOnly, objID, "id:" + objID, nil},
		{"an id not in the input", idOnly, "id:" + otherID, "", &UnknownUserError{}},
		{"a name not in the input", idOnly, upnAna, "", &UnknownUserError{}},
		{"two ids and no choice", twoIDs, "", "", &AmbiguousUserError{}},
		{"two ids, one chosen", twoIDs, otherID, "id:" + otherID, nil},
		{"id tied to a name is one person", tied, "", upnAna, nil},
		{"tied id given keeps its key", tied, "id:" + objID, "id:" + objID, nil},
		{"application names are no one", app, "", "", ErrNoUser},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			set := setOf(t, map[string]string{"signins.ndjson": tt.input})
			got, err := selectUser(set, tt.want)
			switch e := tt.wantErr.(type) {
			case nil:
				if err != nil {
					t.Fatalf("selectUser(%q) error %v", tt.want, err)
				}
			case *UnknownUserError:
				if !errors.As(err, &e) {
					t.Fatalf("selectUser(%q) error %v, want an unknown user", tt.want, err)
				}
			case *AmbiguousUserError:
				if !isAmbiguous(err) {
					t.Fatalf("selectUser(%q) error %v, want ambiguity", tt.want, err)
				}
			default:
				if !errors.Is(err, tt.wantErr) {
					t.Fatalf("selectUser(%q) error %v, want %v", tt.want, err, tt.wantErr)
				}
			}
			if got != tt.wantUser {
				t.Errorf("selectUser(%q) = %q, want %q", tt.want, got, tt.wantUser)
			}
		})
	}
}

func TestUsersPresentListsEachPersonOnce(t *testing.T) {
	set := setOf(t, map[string]string{"signins.ndjson": signIns(t, "s", "2026-11-17T09", 1,
		objID, upnAna, 0) + "\n" + signIns(t, "f", "2026-11-17T10", 1, objID, "", 50126) + "\n" +
		signIns(t, "g", "2026-11-17T10", 1, otherID, "", 50126)})
	got := usersPresent(set, newDirectory(set))
	if diff := cmp.Diff([]string{upnAna, "id:" + otherID}, got); diff != "" {
		t.Errorf("usersPresent (-want +got):\n%s", diff)
	}
}

// TestIDOnlyRecordsJoinTheirName: rows that carry only the object id of a
// user whose other rows carry the name and the id are that user's, under
// either key, and so is the brute force they show; a row with another name
// under the same id is matched by its name, as before.
func TestIDOnlyRecordsJoinTheirName(t *testing.T) {
	set := setOf(t, map[string]string{"signins.ndjson": signIns(t, "s", "2026-11-16T09", 6,
		objID, upnAna, 0) + "\n" + signIns(t, "f", "2026-11-17T10", 12, objID, "", 50126) +
		"\n" + signIns(t, "r", "2026-11-17T12", 1, objID, "ana.renamed@contoso.com", 0)})

	tests := []struct {
		user        string
		wantSignIns int
	}{
		{upnAna, 6 + 12},
		{"id:" + objID, 6 + 12 + 1},
	}
	for _, tt := range tests {
		t.Run(tt.user, func(t *testing.T) {
			c := runCase(t, set, tt.user)
			if c.User != tt.user {
				t.Errorf("case user = %q, want the key as given %q", c.User, tt.user)
			}
			if c.Sources.SignIns != tt.wantSignIns {
				t.Errorf("sign-ins = %d, want %d", c.Sources.SignIns, tt.wantSignIns)
			}
			if !hasDetection(c, "ENTRA-BRUTE-FORCE") {
				t.Errorf("the id-only failures' brute force is missing: %+v", c.Detections)
			}
		})
	}
}

// TestRulesCountIDOnlyRowsWithNamedOnes: two Conditional Access blocks that
// name the user and three that give only her object id count together for
// the rules, five in a day: the case ties the id to her name before the
// rules run, whichever key the case is opened under.
func TestRulesCountIDOnlyRowsWithNamedOnes(t *testing.T) {
	set := setOf(t, map[string]string{"signins.ndjson": signIns(t, "s", "2026-11-16T09", 6,
		objID, upnAna, 0) + "\n" + signIns(t, "b", "2026-11-17T10", 2, objID, upnAna, 53003) +
		"\n" + signIns(t, "c", "2026-11-17T11", 3, objID, "", 53003)})
	for _, user := range []string{upnAna, "id:" + objID} {
		c := runCase(t, set, user)
		if !hasDetection(c, "ENTRA-CA-BLOCK-BURST") {
			t.Errorf("%s: the five blocks' alert is missing: %v", user, detectionIDs(c))
		}
	}
}

// TestAmbiguousAlertSaysWhom: when risk detections name several users and
// none is chosen, the error says the alerts name them, not that they are
// everyone present.
func TestAmbiguousAlertSaysWhom(t *testing.T) {
	risk := func(id, upn string) string {
		return `{"id":"` + id + `","riskEventType":"unfamiliarFeatures","riskLevel":"medium",` +
			`"riskState":"atRisk","activityDateTime":"2026-11-17T10:00:00Z",` +
			`"userPrincipalName":"` + upn + `"}`
	}
	set := setOf(t, map[string]string{
		"signins.ndjson": signIns(t, "s", "2026-11-17T09", 1, "", "a@example.com", 0) + "\n" +
			signIns(t, "t", "2026-11-17T09", 1, "", "b@example.com", 0) + "\n" +
			signIns(t, "u", "2026-11-17T09", 1, "", "c@example.com", 0),
		"risk.ndjson": risk("r1", "a@example.com") + "\n" + risk("r2", "b@example.com"),
	})
	_, err := selectUser(set, "")
	if err == nil || !strings.Contains(err.Error(), "the alerts (risky users or risk "+
		"detections) name 2 users") || !strings.Contains(err.Error(), "b@example.com") {
		t.Errorf("selectUser error = %v", err)
	}
}
