package ingest

import (
	"os"
	"path/filepath"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"

	"github.com/idtriage/idtriage/internal/entra"
	"github.com/idtriage/idtriage/internal/simulate"
)

// streamSet runs Stream over paths and gathers what it gave into a Set, in
// the order the records came, as Decode would have added them.
func streamSet(t *testing.T, paths ...string) (*Set, *Summary) {
	t.Helper()
	set := &Set{}
	sum, err := Stream(paths, Options{}, func(r Record) error {
		switch r.Kind {
		case KindSignIn:
			set.SignIns = append(set.SignIns, *r.SignIn)
		case KindAudit:
			set.Audits = append(set.Audits, *r.Audit)
		case KindRisk:
			set.Risks = append(set.Risks, *r.Risk)
		case KindRiskyUser:
			set.RiskyUsers = append(set.RiskyUsers, *r.RiskyUser)
		case KindUser:
			set.Users = append(set.Users, *r.User)
		case KindIPInfo:
			set.IPs = append(set.IPs, *r.IP)
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	set.Files, set.Problems, set.Warnings = sum.Files, sum.Problems, sum.Warnings
	return set, sum
}

// decodeSet decodes each file with the general decoder, unfinished.
func decodeSet(t *testing.T, paths ...string) *Set {
	t.Helper()
	files, err := collect(paths)
	if err != nil {
		t.Fatal(err)
	}
	set := &Set{}
	for _, p := range files {
		data, err := os.ReadFile(p)
		if err != nil {
			t.Fatal(err)
		}
		Decode(p, data, set)
	}
	return set
}

var setOpts = cmp.Options{addrComparer, cmpopts.EquateEmpty()}

// compareStream checks that Stream gives, for paths, exactly what the
// general decoder gives: the same records in the same order, reports,
// problems and warnings; and, once finished, what Read gives.
func compareStream(t *testing.T, paths ...string) *Summary {
	t.Helper()
	got, sum := streamSet(t, paths...)
	want := decodeSet(t, paths...)
	if diff := cmp.Diff(want, got, setOpts); diff != "" {
		t.Errorf("Stream differs from Decode (-decode +stream):\n%s", diff)
	}
	read, err := Read(paths, Options{})
	if err != nil {
		t.Fatal(err)
	}
	got.Finish()
	if diff := cmp.Diff(read, got, setOpts); diff != "" {
		t.Errorf("Stream then Finish differs from Read (-read +stream):\n%s", diff)
	}
	return sum
}

// withBlockSize runs f with a smaller block, so that records cross blocks.
func withBlockSize(t *testing.T, n int, f func()) {
	t.Helper()
	old := blockSize
	blockSize = n
	defer func() { blockSize = old }()
	f()
}

// TestStreamMatchesRead runs every corpus file, the field-report inputs
// and the example through Stream and the general decoder, with the usual
// block size and with blocks smaller than one record.
func TestStreamMatchesRead(t *testing.T) {
	requireCorpus(t)
	inputs := []string{corpusDir, filepath.Join("testdata", "fieldreports"),
		filepath.Join("..", "..", "examples", "sspr-takeover")}
	for _, size := range []int{4 << 20, 512, 61} {
		withBlockSize(t, size, func() {
			for _, in := range inputs {
				files, err := collect([]string{in})
				if err != nil {
					t.Fatal(err)
				}
				for _, f := range files {
					compareStream(t, f)
				}
				compareStream(t, in)
			}
		})
	}
	sum := compareStream(t, filepath.Join("..", "..", "examples", "sspr-takeover"))
	if sum.Fast < 82 {
		t.Errorf("the fast path read %d of the example's sign-ins, want all 82", sum.Fast)
	}
}

// smallTenant generates a small synthetic tenant and returns its logs.
func smallTenant(t *testing.T) string {
	t.Helper()
	out := t.TempDir()
	if _, err := simulate.Run(simulate.Config{Users: 40, Days: 2, Seed: 3, Out: out}); err != nil {
		t.Fatal(err)
	}
	return filepath.Join(out, simulate.LogsDir)
}

// TestStreamMatchesReadOnSimulated checks a generated tenant, whose
// sign-ins the fast path reads all of (audits go to the general decoder).
func TestStreamMatchesReadOnSimulated(t *testing.T) {
	sum := compareStream(t, smallTenant(t))
	if slow := sum.Counts[KindSignIn] - sum.Fast; slow > 0 {
		t.Errorf("the general decoder read %d of %d sign-ins; want all on the fast path",
			slow, sum.Counts[KindSignIn])
	}
}

// lean keeps the fields of s that LeanFields names.
func lean(s entra.SignIn) entra.SignIn {
	out := entra.SignIn{ID: s.ID, OriginalRequestID: s.OriginalRequestID, Time: s.Time,
		TimeApprox: s.TimeApprox, UserID: s.UserID, UserPrincipalName: s.UserPrincipalName,
		ServicePrincipalID: s.ServicePrincipalID, AppID: s.AppID,
		AppDisplayName: s.AppDisplayName, ResourceDisplayName: s.ResourceDisplayName,
		ClientAppUsed: s.ClientAppUsed, UserAgent: s.UserAgent, IP: s.IP, IPRaw: s.IPRaw,
		ASN: s.ASN, NetworkNames: s.NetworkNames, TrustedNetwork: s.TrustedNetwork,
		ErrorCode: s.ErrorCode, HasCode: s.HasCode, AdditionalDetails: s.AdditionalDetails,
		AuthProtocol: s.AuthProtocol, AuthProtocolRaw: s.AuthProtocolRaw,
		IsInteractive: s.IsInteractive, EventTypes: s.EventTypes, Source: s.Source,
		RiskLevelDuringSignIn: s.RiskLevelDuringSignIn,
		RiskLevelAggregated:   s.RiskLevelAggregated, RiskState: s.RiskState,
		RiskEventTypes: s.RiskEventTypes, Rows: s.Rows, Pos: s.Pos}
	out.Location = entra.Location{City: s.Location.City, Country: s.Location.Country,
		Lat: s.Location.Lat, Lon: s.Location.Lon, HasCoords: s.Location.HasCoords}
	out.Device = entra.Device{ID: s.Device.ID, IsCompliant: s.Device.IsCompliant,
		IsManaged: s.Device.IsManaged}
	for _, st := range s.AuthSteps {
		out.AuthSteps = append(out.AuthSteps,
			entra.AuthStep{Succeeded: st.Succeeded, ResultDetail: st.ResultDetail})
	}
	return out
}

// TestStreamLean checks that a lean stream gives every record a full one
// gives, with the lean fields equal.
func TestStreamLean(t *testing.T) {
	paths := []string{smallTenant(t), corpusDir, filepath.Join("..", "..", "examples")}
	var full, thin []Record
	for _, l := range []bool{false, true} {
		if _, err := Stream(paths, Options{Lean: l}, func(r Record) error {
			if l {
				thin = append(thin, r)
			} else {
				full = append(full, r)
			}
			return nil
		}); err != nil {
			t.Fatal(err)
		}
	}
	if len(full) != len(thin) {
		t.Fatalf("lean stream gave %d records, full %d", len(thin), len(full))
	}
	for i := range full {
		if full[i].SignIn == nil {
			continue
		}
		want, got := lean(*full[i].SignIn), lean(*thin[i].SignIn)
		if diff := cmp.Diff(want, got, setOpts); diff != "" {
			t.Fatalf("record %v: lean differs (-full +lean):\n%s", full[i].Pos, diff)
		}
	}
}
