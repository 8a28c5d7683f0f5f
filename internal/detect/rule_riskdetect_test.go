package detect

import (
	"fmt"
	"net/netip"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/idtriage/idtriage/internal/entra"
	"github.com/idtriage/idtriage/internal/ingest"
)

const riskRule = "ENTRA-RISK-DETECTION-SUCCESS"

// riskSample reads a sample of the risk rule with its corpus records.
func riskSample(t *testing.T, name string) *ingest.Set {
	t.Helper()
	s := loadSample(t, filepath.Join("testdata", "samples", riskRule, name))
	set := &ingest.Set{}
	ingest.Decode("records", s.Records, set)
	for _, f := range s.Corpus {
		real, err := ingest.Read([]string{filepath.Join(corpusDir, f)}, ingest.Options{})
		if err != nil {
			t.Fatal(err)
		}
		set.SignIns = append(set.SignIns, real.SignIns...)
		set.Risks = append(set.Risks, real.Risks...)
	}
	return set
}

// riskAlerts runs only the risk rule, with change applied to its
// parameters, and returns its alerts as "user severity: reason [records]".
func riskAlerts(t *testing.T, set *ingest.Set, change func(*RiskDetectionParams)) []string {
	t.Helper()
	p := only(t, riskRule)
	if change != nil {
		change(&p.RiskDetection)
	}
	if err := p.Validate(); err != nil {
		t.Fatal(err)
	}
	en := NewEngine(p, Options{})
	for i := range set.SignIns {
		en.SignIn(&set.SignIns[i])
	}
	for i := range set.Risks {
		en.Risk(&set.Risks[i])
	}
	out := []string{}
	for _, a := range en.Close() {
		out = append(out, fmt.Sprintf("%s %s: %s %v", a.User, a.Severity, a.Reason, a.Records))
	}
	return out
}

// TestRiskDetectionReasons pins the reason and records of each kind of
// tie, and what each parameter changes.
func TestRiskDetectionReasons(t *testing.T) {
	tests := []struct {
		name, sample string
		change       func(*RiskDetectionParams)
		want         []string
	}{{
		name: "by request", sample: "same-request-success.json",
		want: []string{"ana.reyes@example.com high: high unfamiliarFeatures detection " +
			"(atRisk, realtime) on a successful sign-in to Office 365 Exchange Online from " +
			"88.26.241.112 (ES): same request [00000000-0000-0000-0000-000000000702 " +
			"f0a1b2c3d4e5f60718293a4b5c6d7e8f90a1b2c3d4e5f60718293a4b5c6d7e8f]"},
	}, {
		name: "by address, before and after", sample: "theft-by-address.json",
		want: []string{
			"bo.lin@example.com critical: high anomalousToken detection (atRisk, offline) on " +
				"a successful sign-in to Office 365 SharePoint Online from 45.133.1.20 (NL): " +
				"same address, sign-in 25 min later [rd-theft-1 " +
				"00000000-0000-0000-0000-000000000711]",
			"cy.diaz@example.com critical: medium unfamiliarFeatures detection " +
				"(confirmedCompromised, offline) on a successful sign-in to Microsoft Teams " +
				"from 103.77.8.9 (ID): same address, sign-in 40 min earlier " +
				"[00000000-0000-0000-0000-000000000712 rd-confirmed-1]",
			"di.okafor@example.com high: hidden generic detection (atRisk, realtime) on a " +
				"successful sign-in to Azure Portal from 196.12.4.4 (NG): same request " +
				"[00000000-0000-0000-0000-000000000713 rd-hidden-1]",
		},
	}, {
		name:   "an interrupt settles nothing; a request ties across user keys",
		sample: "interrupt-then-success.json",
		want: []string{
			"dana@example.com high: medium unfamiliarFeatures detection (atRisk, realtime) " +
				"on a successful sign-in to Office 365 Exchange Online from 198.51.100.40 " +
				"(US): same address, sign-in 2 min later [rd-interrupt " +
				"33333333-0000-4000-8000-000000000002]",
			"eli@example.com high: medium unfamiliarFeatures detection (atRisk, realtime) on " +
				"a successful sign-in to Office 365 Exchange Online from 198.51.100.41 (US): " +
				"same request [rd-by-id 33333333-0000-4000-8000-000000000011]",
		},
	}, {
		name: "a narrower window and no hidden levels", sample: "theft-by-address.json",
		change: func(p *RiskDetectionParams) {
			p.Before, p.After, p.Hidden = Duration(30*time.Minute), Duration(30*time.Minute), false
		},
		want: []string{"bo.lin@example.com critical: high anomalousToken detection " +
			"(atRisk, offline) on a successful sign-in to Office 365 SharePoint Online from " +
			"45.133.1.20 (NL): same address, sign-in 25 min later [rd-theft-1 " +
			"00000000-0000-0000-0000-000000000711]"},
	}, {
		name: "low level counts when asked", sample: "settled-low-failed-or-far.json",
		change: func(p *RiskDetectionParams) { p.MinLevel = "low" },
		want: []string{"fa.ruiz@example.com high: low unfamiliarFeatures detection " +
			"(atRisk, realtime) on a successful sign-in to Microsoft Teams from 190.5.6.7 " +
			"(MX): same request [00000000-0000-0000-0000-000000000722 rd-low]"},
	}, {
		name: "a two-hour window reaches the late success", sample: "settled-low-failed-or-far.json",
		change: func(p *RiskDetectionParams) { p.After = Duration(2 * time.Hour) },
		want: []string{"ha.kim@example.com high: high maliciousIPAddress detection " +
			"(atRisk, offline) on a successful sign-in to Microsoft Teams from 45.9.9.9 (RU): " +
			"same address, sign-in 2 h later [rd-far 00000000-0000-0000-0000-000000000725]"},
	}, {
		name:   "the dismissed row counts once no state is excluded",
		sample: "settled-low-failed-or-far.json",
		change: func(p *RiskDetectionParams) { p.ExcludeStates = []string{"remediated"} },
		want: []string{"ed.park@example.com high: high unlikelyTravel detection " +
			"(dismissed, offline) on a successful sign-in to Microsoft Teams from 81.2.69.160 " +
			"(GB): same request [00000000-0000-0000-0000-000000000721 rd-dismissed]"},
	}}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := riskAlerts(t, riskSample(t, tt.sample), tt.change)
			if diff := cmp.Diff(tt.want, got); diff != "" {
				t.Errorf("alerts differ (-want +got):\n%s", diff)
			}
		})
	}
}

// TestRiskDetectionRealShapes: the real detections of the negative corpus
// sample fire once their state is open, so that the sample's negative
// rests on the state alone; the detection of joel.miller, whose sign-in
// failed, fires once that sign-in succeeds.
func TestRiskDetectionRealShapes(t *testing.T) {
	tests := []struct {
		name, sample, user string
		open               func(*ingest.Set)
	}{
		{"remediated Graph detection", "corpus-graph-remediated.json", "olack@adatum.com",
			func(s *ingest.Set) { s.Risks[0].RiskState = "atRisk" }},
		{"Event Hub detection of a failed sign-in", "corpus-userriskevents.json",
			"joel.miller@mauriziobrancaoutlook.onmicrosoft.com",
			func(s *ingest.Set) {
				for i := range s.SignIns {
					if strings.HasPrefix(s.SignIns[i].UserPrincipalName, "joel.") {
						s.SignIns[i].ErrorCode = 0
					}
				}
			}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			set := riskSample(t, tt.sample)
			for _, a := range riskAlerts(t, set, nil) {
				if strings.HasPrefix(a, tt.user+" ") {
					t.Fatalf("fired before the change: %s", a)
				}
			}
			tt.open(set)
			fired := false
			for _, a := range riskAlerts(t, set, nil) {
				fired = fired || strings.HasPrefix(a, tt.user+" ")
			}
			if !fired {
				t.Errorf("no alert for %s once opened", tt.user)
			}
		})
	}
}

// TestRiskDetectionSkipped: with the rule disabled the engine reads no
// detection, and a service principal's detection is never read.
func TestRiskDetectionSkipped(t *testing.T) {
	set := riskSample(t, "same-request-success.json")
	sp := set.Risks[0]
	sp.ID, sp.ServicePrincipalID = "sp-detection", "7d2f0a0e-0000-4000-8000-000000000001"
	for _, tt := range []struct {
		name        string
		p           Params
		reads       bool
		wantSkipped int
	}{
		{"enabled", DefaultParams(), true, 1},
		{"disabled", only(t, "ENTRA-CA-BLOCK-BURST"), false, 2},
	} {
		t.Run(tt.name, func(t *testing.T) {
			en := NewEngine(tt.p, Options{})
			if en.ReadsRisk() != tt.reads {
				t.Errorf("ReadsRisk = %v, want %v", en.ReadsRisk(), tt.reads)
			}
			en.Risk(&set.Risks[0])
			en.Risk(&sp)
			if st := en.Stats(); st.Risks != 2 || st.RisksSkipped != tt.wantSkipped ||
				st.Skipped != 0 {
				t.Errorf("stats %+v, want 2 risks and %d of them skipped", st, tt.wantSkipped)
			}
		})
	}
}

// TestRiskDetectionStateBounded: a user signing in from many addresses
// keeps maxRecent sign-ins, and nothing once the window has passed.
func TestRiskDetectionStateBounded(t *testing.T) {
	p := DefaultParams()
	r := &riskDetection{p.RiskDetection}
	st := r.newState().(*riskDetectState)
	en := NewEngine(p, Options{})
	c := en.evalCtx(en.group(scopeUser, "u@example.com"))
	c.rule = r
	t0 := time.Date(2026, 3, 2, 9, 0, 0, 0, time.UTC)
	for i := range 3 * maxRecent {
		st.observe(c, &event{kind: kindSignIn, id: fmt.Sprint(i), t: t0.Add(time.Duration(i) *
			time.Second), ip: fmt.Sprintf("198.51.100.%d", i), class: entra.ClassSuccess})
	}
	// The same address again replaces its entry rather than adding one.
	st.observe(c, &event{kind: kindSignIn, id: "again", t: t0.Add(time.Minute),
		ip: fmt.Sprintf("198.51.100.%d", 3*maxRecent-1), class: entra.ClassSuccess})
	if st.n != maxRecent || st.recent[st.n-1].ev.id != "again" {
		t.Errorf("%d sign-ins kept, the last %q; want %d, the last \"again\"", st.n,
			st.recent[st.n-1].ev.id, maxRecent)
	}
	st.advance(c, t0.Add(2*time.Hour))
	if !st.empty() {
		t.Errorf("state holds %d sign-ins and %d detections two hours later", st.n,
			len(st.waiting))
	}
}

// TestLeanRiskKeepsAlerts: every sample of the rule gives the same alerts
// when its detections are reduced to LeanRisk's copies, as hunt's sort on
// disk keeps them.
func TestLeanRiskKeepsAlerts(t *testing.T) {
	files, _ := filepath.Glob(filepath.Join("testdata", "samples", riskRule, "*.json"))
	if len(files) == 0 {
		t.Fatal("no samples")
	}
	for _, f := range files {
		t.Run(filepath.Base(f), func(t *testing.T) {
			set := riskSample(t, filepath.Base(f))
			want := riskAlerts(t, set, nil)
			for i := range set.Risks {
				set.Risks[i] = *LeanRisk(&set.Risks[i])
			}
			if diff := cmp.Diff(want, riskAlerts(t, set, nil)); diff != "" {
				t.Errorf("alerts differ with lean detections (-full +lean):\n%s", diff)
			}
		})
	}
}

// riskAt is a detection of u at t from ip naming request (may be empty).
func riskAt(id, u, ip, request, level, eventType string, t time.Time) *entra.RiskDetection {
	return &entra.RiskDetection{ID: id, RequestID: request, EventType: eventType,
		RiskLevel: level, RiskState: "atRisk", TimingType: "offline", IPRaw: ip,
		IP: netip.MustParseAddr(ip), ActivityTime: t, LastUpdated: t, UserPrincipalName: u}
}

// TestRiskDetectionWaitingFull: a user's list of detections waiting for a
// later sign-in holds maxWaiting; past that, detections whose request's
// sign-in failed give way first, then the least severe, and the dropped
// ones that had not failed are counted.
func TestRiskDetectionWaitingFull(t *testing.T) {
	t0 := time.Date(2026, 11, 18, 10, 0, 0, 0, time.UTC)
	const u = "gil@example.com"
	// fill gives maxWaiting+extra detections from 192.0.2.x after t0, each
	// with its own request, whose sign-ins fail when failed is set.
	fill := func(en *Engine, extra int, level, eventType string, failed bool) {
		for i := range maxWaiting + extra {
			at := t0.Add(time.Duration(i+1) * time.Second)
			ip, req := fmt.Sprintf("192.0.2.%d", i+1), fmt.Sprintf("req-%02d", i)
			en.Risk(riskAt(fmt.Sprintf("rd-%02d", i), u, ip, req, level, eventType, at))
			if failed {
				en.SignIn(signIn(req, u, ip, at.Add(300*time.Millisecond), 50126))
			}
		}
	}
	tests := []struct {
		name string
		// feed gives the records but the success at 10:30 from 45.133.1.21.
		feed        func(en *Engine)
		wantDropped int
		want        []string // severity and first record of each alert
	}{{
		name: "failed ones give way to the token detection before them",
		feed: func(en *Engine) {
			en.Risk(riskAt("rd-token", u, "45.133.1.21", "", "high", "anomalousToken", t0))
			fill(en, 8, "medium", "unfamiliarFeatures", true)
		},
		want: []string{"critical rd-token"},
	}, {
		name: "the token detection outranks open medium ones after it",
		feed: func(en *Engine) {
			en.Risk(riskAt("rd-token", u, "45.133.1.21", "", "high", "anomalousToken", t0))
			fill(en, 0, "medium", "unfamiliarFeatures", false)
		},
		wantDropped: 1, want: []string{"critical rd-token"},
	}, {
		name: "a medium detection after as many critical ones is the one dropped",
		feed: func(en *Engine) {
			fill(en, 0, "high", "anomalousToken", false)
			en.Risk(riskAt("rd-medium", u, "45.133.1.21", "", "medium", "unfamiliarFeatures",
				t0.Add(time.Minute)))
		},
		wantDropped: 1, want: []string{},
	}}
	for _, tt := range tests {
		for _, ordered := range []bool{false, true} {
			t.Run(fmt.Sprintf("%s/ordered=%v", tt.name, ordered), func(t *testing.T) {
				en := NewEngine(only(t, riskRule), Options{Ordered: ordered})
				tt.feed(en)
				en.SignIn(signIn("ok-1", u, "45.133.1.21", t0.Add(30*time.Minute), 0))
				got := []string{}
				for _, a := range en.Close() {
					got = append(got, a.Severity+" "+a.Records[0])
				}
				if diff := cmp.Diff(tt.want, got); diff != "" {
					t.Errorf("alerts differ (-want +got):\n%s", diff)
				}
				if d := en.Stats().RisksDropped; d != tt.wantDropped {
					t.Errorf("RisksDropped = %d, want %d", d, tt.wantDropped)
				}
			})
		}
	}
}

// TestRequestBookBounded: the engine's book of sign-ins by request holds,
// in ordered mode, the window before a detection plus the lateness, and at
// most two generations of that and a sweep's step, whatever the input's
// length; without a rule that reads detections there is no book.
func TestRequestBookBounded(t *testing.T) {
	t0 := time.Date(2026, 11, 18, 0, 0, 0, 0, time.UTC)
	tests := []struct {
		name    string
		p       Params
		wantNil bool
	}{
		{"rule enabled", DefaultParams(), false},
		{"rule disabled", only(t, "ENTRA-CA-BLOCK-BURST"), true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			en := NewEngine(tt.p, Options{Ordered: true})
			if (en.reqs == nil) != tt.wantNil {
				t.Fatalf("book %v, want nil %v", en.reqs, tt.wantNil)
			}
			// A sign-in every 10 s for 12 hours, a detection every minute.
			peak := 0
			for i := range 12 * 360 {
				at := t0.Add(time.Duration(i) * 10 * time.Second)
				u := fmt.Sprintf("u%d@example.com", i%50)
				en.SignIn(signIn(fmt.Sprintf("s-%d", i), u, "198.51.100.7", at, 0))
				if i%6 == 0 {
					en.Risk(riskAt(fmt.Sprintf("rd-%d", i), u, "198.51.100.7",
						fmt.Sprintf("s-%d", i), "low", "unfamiliarFeatures", at))
				}
				if en.reqs != nil {
					s, r := en.reqs.size()
					peak = max(peak, s+r)
				}
			}
			// Sign-ins of Before plus the lateness, and detections of After
			// plus the lateness (75 minutes each), at most twice that and a
			// sweep's step: six sign-ins and one detection a minute.
			low, high := 75*7, 160*7+2
			if tt.wantNil {
				low, high = 0, 0
			}
			if peak < low || peak > high {
				t.Errorf("book held at most %d entries, want from %d to %d", peak, low, high)
			}
		})
	}
}
