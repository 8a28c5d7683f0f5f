package investigate

import (
	"fmt"
	"slices"
	"strings"
	"testing"
	"time"
)

// A push-fatigue burst is the attacker's when it comes from outside the
// user's own /24s, even through the user's own ISP; from the user's own
// /24, or over a baseline too thin to judge, it stays unmarked and the
// summary still names the denied prompts.
func TestFatigueMarking(t *testing.T) {
	start := mustTime("2026-06-01T10:00:00Z")
	tests := []struct {
		name     string
		days     int
		ip       string
		marked   bool
		summary  string
		disposed string
	}{
		{"same ISP, another /24", 20, "198.51.7.66", true, "among them 4 MFA prompts",
			TruePositive},
		{"the user's own /24", 20, "198.51.100.66", false, "Every sign-in in the window",
			BenignPositive},
		{"thin baseline", 2, "198.51.7.66", false, "The baseline is too thin",
			TruePositive},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			base := baselineRecs(victim, "198.51.100.10", "PT", 38.72, -9.14, start, tt.days)
			for _, r := range base {
				r["autonomousSystemNumber"] = 64500
			}
			c := runCase(t, setOf(t, map[string]string{
				"signins.json": array(t, base, pushes(start, push{0, tt.ip, "deny"},
					push{6, tt.ip, "deny"}, push{12, tt.ip, "deny"}, push{18, tt.ip, "deny"},
					push{27, tt.ip, "ok"})),
			}), victim)

			n := 0
			for _, e := range c.Timeline {
				if e.IP != tt.ip {
					continue
				}
				n++
				if e.Suspicious != tt.marked {
					t.Errorf("%s at %s: suspicious %v, want %v", e.ID, e.Time, e.Suspicious,
						tt.marked)
				}
			}
			if n != 5 {
				t.Errorf("%d timeline entries from %s, want 5", n, tt.ip)
			}
			if !strings.Contains(c.Verdict.Summary, tt.summary) ||
				!strings.Contains(c.Verdict.Summary, "denied or left unanswered") {
				t.Errorf("summary %q lacks %q or the denied prompts", c.Verdict.Summary,
					tt.summary)
			}
			if c.Verdict.Disposition != tt.disposed {
				t.Errorf("verdict %s, want %s", c.Verdict.Label, tt.disposed)
			}
			// The approval is the fatigue's proof, not a second one.
			for _, sg := range c.Verdict.Signals {
				if strings.Contains(sg.Text, "attacker session") {
					t.Errorf("the approval counted again as a session: %s", sg.Text)
				}
			}
		})
	}
}

// proxyASN is the autonomous system of proxies rented away from the
// user's provider (64500).
const proxyASN = 9009

// push is one sign-in of a fatigue scenario: minutes after the start,
// the address (all in the user's autonomous system), and whether it was a
// denied prompt, a success, or a success on the user's managed device.
type push struct {
	min  int
	ip   string
	kind string // deny, ok, device, refresh (a non-interactive token refresh)
}

func pushes(start time.Time, ps ...push) []rec {
	var out []rec
	for i, p := range ps {
		r := signIn(fmt.Sprintf("p%02d", i), start.Add(time.Duration(p.min)*time.Minute),
			victim, p.ip, "PT", 38.72, -9.14, 0).with("autonomousSystemNumber", 64500)
		switch p.kind {
		case "deny":
			r = r.with("status", map[string]any{"errorCode": 500121}).
				with("authenticationDetails", []any{
					map[string]any{"authenticationMethod": "Mobile app notification",
						"succeeded":                      false,
						"authenticationStepResultDetail": "MFA denied; user did not respond"}})
		case "device":
			r = r.with("deviceDetail", map[string]any{"deviceId": "dev-" + victim[:6],
				"isManaged": true, "isCompliant": true})
		case "refresh":
			r = r.with("isInteractive", false).
				with("signInEventTypes", []string{"nonInteractiveUser"})
		}
		out = append(out, r)
	}
	return out
}

// TestFatigueBursts: the burst judged is the one that worked, whatever
// other bursts the window holds and in every run; an approval or an
// address the user's own device explains is the user's.
func TestFatigueBursts(t *testing.T) {
	const own, other, third = "198.51.100.66", "198.51.7.66", "198.51.8.66"
	const fourth, fifth = "198.51.9.66", "198.51.10.66"
	// Proxies on another provider than the user's (proxyASN).
	const p1, p2, p3, p4, p5 = "203.0.113.5", "192.0.2.7", "198.18.0.9", "198.18.1.9",
		"198.18.2.9"
	// A proxy provider's /24 block.
	const b1, b2, b3, b4, b5 = "203.0.114.5", "203.0.114.6", "203.0.114.7", "203.0.114.8",
		"203.0.114.9"
	// A phone's IPv6 privacy addresses in one /64 of another provider.
	const v6a, v6b, v6c, v6d = "2001:db8:7:1::a1", "2001:db8:7:1::b2", "2001:db8:7:1::c3",
		"2001:db8:7:1::d4"
	deny := func(min int, ip string) push { return push{min, ip, "deny"} }
	tests := []struct {
		name        string
		ps          []push
		disposition string
		outcome     string
		marked      []string // record ids marked suspicious, exactly
		says        string   // in the summary, when set
	}{{
		// Three timeouts at home and three from another /24 that then got
		// in: the second burst is the attack, in every run.
		name: "tie with the user's own burst",
		ps: []push{deny(0, own), deny(6, own), deny(12, own), deny(2, other),
			deny(8, other), deny(14, other), {30, other, "ok"}},
		disposition: TruePositive, outcome: OutcomeCompromised,
		marked: []string{"p03", "p04", "p05", "p06"},
	}, {
		name: "a longer burst at home before the attack",
		ps: []push{deny(0, own), deny(6, own), deny(12, own), deny(18, own),
			deny(70, other), deny(76, other), deny(82, other), {90, other, "ok"}},
		disposition: TruePositive, outcome: OutcomeCompromised,
		marked: []string{"p04", "p05", "p06", "p07"},
	}, {
		name: "the attacker rotates addresses",
		ps: []push{deny(0, other), deny(6, other), deny(12, other), deny(18, other),
			deny(30, third), deny(36, third), deny(42, third), {50, third, "ok"}},
		disposition: TruePositive, outcome: OutcomeCompromised,
		marked: []string{"p04", "p05", "p06", "p07"},
	}, {
		// The session after the approval is the attacker's too.
		name: "the attacker stays",
		ps: []push{deny(0, other), deny(6, other), deny(12, other), {20, other, "ok"},
			{40, other, "ok"}, {65, other, "ok"}},
		disposition: TruePositive, outcome: OutcomeCompromised,
		marked: []string{"p00", "p01", "p02", "p03", "p04", "p05"},
	}, {
		// The user answering late at home does not hide the attack, however
		// the bursts compare (a reviewer's cases).
		name: "a longer approved burst at home beside the attack",
		ps: []push{deny(0, own), deny(5, own), deny(10, own), deny(15, own), deny(20, own),
			{25, own, "ok"}, deny(2, other), deny(7, other), deny(12, other), {30, other, "ok"}},
		disposition: TruePositive, outcome: OutcomeCompromised,
		marked: []string{"p06", "p07", "p08", "p09"},
	}, {
		name: "the attack first, then the user answering late at home",
		ps: []push{deny(0, other), deny(4, other), deny(8, other), {12, other, "ok"},
			deny(20, own), deny(25, own), deny(30, own), {35, own, "ok"}},
		disposition: TruePositive, outcome: OutcomeCompromised,
		marked: []string{"p00", "p01", "p02", "p03"},
	}, {
		// The user's device on that address hours later (a hotel's NAT)
		// neither clears the attack nor is marked itself.
		name: "the user's device on the address hours later",
		ps: []push{deny(2, other), deny(7, other), deny(12, other), {30, other, "ok"},
			{200, other, "device"}},
		disposition: TruePositive, outcome: OutcomeCompromised,
		marked: []string{"p00", "p01", "p02", "p03"},
	}, {
		// Missed prompts on a new address the user's own device then signs
		// in from: the address is the user's.
		name: "the user's device on the burst's address",
		ps: []push{deny(0, other), deny(6, other), deny(12, other),
			{20, other, "device"}},
		disposition: BenignPositive,
	}, {
		name:        "missed prompts on a new address, no approval",
		ps:          []push{deny(0, other), deny(6, other), deny(12, other)},
		disposition: Undetermined,
	}, {
		// The attacker prompts once more after the approval: the approval
		// still ends the burst (a reviewer's case).
		name: "one more prompt after the approval",
		ps: []push{deny(0, other), deny(5, other), deny(10, other), {12, other, "ok"},
			deny(20, other)},
		disposition: TruePositive, outcome: OutcomeCompromised,
		marked: []string{"p00", "p01", "p02", "p03", "p04"},
	}, {
		// A new proxy on another provider for every prompt, and another for
		// the approval: no address makes a burst alone.
		name: "one prompt from each proxy",
		ps: []push{deny(0, p1), deny(6, p2), deny(12, p3), deny(18, p4), {25, p5, "ok"},
			{40, p5, "ok"}},
		disposition: TruePositive, outcome: OutcomeCompromised,
		marked: []string{"p00", "p01", "p02", "p03", "p04", "p05"},
	}, {
		name:        "proxies, approved from one of them",
		ps:          []push{deny(0, p1), deny(6, p2), deny(12, p1), {20, p2, "ok"}},
		disposition: TruePositive, outcome: OutcomeCompromised,
		marked: []string{"p00", "p01", "p02", "p03"},
	}, {
		name: "proxies, approved, then one more prompt",
		ps: []push{deny(0, p1), deny(5, p2), deny(10, p3), {12, p4, "ok"},
			deny(20, p5)},
		disposition: TruePositive, outcome: OutcomeCompromised,
		marked: []string{"p00", "p01", "p02", "p03", "p04"},
	}, {
		// Every prompt refused: someone else holds the password.
		name: "proxies, no approval", ps: []push{deny(0, p1), deny(6, p2), deny(12, p3)},
		disposition: TruePositive, outcome: OutcomeBlocked,
		marked: []string{"p00", "p01", "p02"},
	}, {
		// The user's own sign-in at home is no answer to the prompts, nor is
		// a token refreshed in the background (a reviewer's cases).
		name: "proxies, then the user signs in at home",
		ps: []push{deny(0, p1), deny(6, p2), deny(12, p3), deny(18, p4),
			{30, own, "ok"}},
		disposition: TruePositive, outcome: OutcomeBlocked,
		marked: []string{"p00", "p01", "p02", "p03"},
	}, {
		name: "proxies, then a token refresh",
		ps: []push{deny(0, p1), deny(6, p2), deny(12, p3), deny(18, p4),
			{30, other, "refresh"}},
		disposition: TruePositive, outcome: OutcomeBlocked,
		marked: []string{"p00", "p01", "p02", "p03"},
	}, {
		// The user's managed device signing in is the user, not an answer to
		// prompts that came from elsewhere without it.
		name: "proxies, then the user's device on a new address",
		ps: []push{deny(0, p1), deny(6, p2), deny(12, p3),
			{20, p4, "device"}},
		disposition: TruePositive, outcome: OutcomeBlocked,
		marked: []string{"p00", "p01", "p02"},
	}, {
		// A rotated attack approved first, a single-address one later:
		// the earlier compromise is the one the case names and marks.
		name: "a rotated attack before a single-address one",
		ps: []push{deny(0, p1), deny(5, p2), deny(10, p3), {15, p4, "ok"},
			deny(90, other), deny(95, other), deny(100, other), {105, other, "ok"}},
		disposition: TruePositive, outcome: OutcomeCompromised,
		marked: []string{"p00", "p01", "p02", "p03"},
	}, {
		// A phone on the user's own carrier changes address per request;
		// three missed prompts and the approval on a fourth address are the
		// user's provider, not rotating proxies (a reviewer's case).
		name:        "a phone on the carrier's NAT",
		ps:          []push{deny(0, other), deny(3, third), deny(6, fourth), {9, fifth, "ok"}},
		disposition: FalsePositive,
	}, {
		// Records without an address say nothing of where prompts came
		// from: one known proxy is no rotation, and its prompt alone is a
		// weak signal.
		name:        "prompts without an address",
		ps:          []push{deny(0, ""), deny(5, p1), deny(10, ""), {15, "", "ok"}},
		disposition: Undetermined, marked: []string{"p01"},
	}, {
		// One more prompt from a second address of the user's provider does
		// not turn the unanswered burst into the user answering at home
		// (a reviewer's case).
		name: "a burst, one prompt more elsewhere, then home",
		ps: []push{deny(0, other), deny(6, other), deny(12, other), deny(18, third),
			{25, own, "ok"}},
		disposition: Undetermined,
	}, {
		// Prompts missed at home are not the ones the case names beside a
		// rotated burst (a reviewer's case).
		name: "missed at home, then rotated proxies",
		ps: []push{deny(0, own), deny(3, own), deny(6, own), deny(20, p1), deny(24, p2),
			deny(28, p3), deny(32, p4)},
		disposition: TruePositive, outcome: OutcomeBlocked,
		marked: []string{"p03", "p04", "p05", "p06"},
		says:   "4 MFA prompts from 203.0.113.5, 192.0.2.7, 198.18.0.9, 198.18.1.9",
	}, {
		// Three prompts from one proxy, the approval through another (a
		// second reviewer's cases, as the next five).
		name:        "one proxy, approved through another",
		ps:          []push{deny(0, p1), deny(5, p1), deny(10, p1), {15, p2, "ok"}},
		disposition: TruePositive, outcome: OutcomeCompromised,
		marked: []string{"p00", "p01", "p02", "p03"},
	}, {
		name:        "approved after the second prompt, prompted again",
		ps:          []push{deny(0, p1), deny(5, p2), {7, p4, "ok"}, deny(10, p3)},
		disposition: TruePositive, outcome: OutcomeCompromised,
		marked: []string{"p00", "p01", "p02", "p03"},
	}, {
		// A token refreshed at one of the burst's addresses is the
		// attacker's session.
		name:        "proxies, then a token refreshed at one of them",
		ps:          []push{deny(0, p1), deny(6, p2), deny(12, p3), {30, p2, "refresh"}},
		disposition: TruePositive, outcome: OutcomeCompromised,
		marked: []string{"p00", "p01", "p02", "p03"},
	}, {
		name:        "proxies, approved through the user's own ISP",
		ps:          []push{deny(0, p1), deny(6, p2), deny(12, p3), {20, other, "ok"}},
		disposition: TruePositive, outcome: OutcomeCompromised,
		marked: []string{"p00", "p01", "p02", "p03"},
	}, {
		name: "answered late at home, then unanswered proxies",
		ps: []push{deny(0, own), deny(5, own), deny(10, own), {15, own, "ok"}, deny(30, p1),
			deny(35, p2), deny(40, p3)},
		disposition: TruePositive, outcome: OutcomeBlocked,
		marked: []string{"p04", "p05", "p06"},
	}, {
		// Proxies from one provider's /24 block: four addresses, then a
		// fifth approves (a third reviewer's case).
		name:        "proxies of one /24 block",
		ps:          []push{deny(0, b1), deny(4, b2), deny(8, b3), deny(12, b4), {20, b5, "ok"}},
		disposition: TruePositive, outcome: OutcomeCompromised,
		marked: []string{"p00", "p01", "p02", "p03", "p04"},
	}, {
		// One device's IPv6 privacy addresses on another provider (a phone
		// abroad) are one network: no rotation.
		name:        "IPv6 privacy addresses of one /64",
		ps:          []push{deny(0, v6a), deny(4, v6b), deny(8, v6c), {12, v6d, "ok"}},
		disposition: Undetermined, marked: []string{"p00", "p01", "p02"},
	}, {
		// Prompts missed at home count for nothing: two foreign ones are
		// no burst, whoever signs in after.
		name:        "two at home, one away, then a success away",
		ps:          []push{deny(0, own), deny(6, own), deny(12, other), {20, other, "ok"}},
		disposition: FalsePositive,
	}}
	start := mustTime("2026-06-01T10:00:00Z")
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			base := baselineRecs(victim, "198.51.100.10", "PT", 38.72, -9.14, start, 20)
			for _, r := range base {
				r["autonomousSystemNumber"] = 64500
			}
			for run := range 5 {
				ps := pushes(start, tt.ps...)
				for _, r := range ps {
					if slices.Contains([]string{p1, p2, p3, p4, p5, b1, b2, b3, b4, b5, v6a, v6b,
						v6c, v6d}, r["ipAddress"].(string)) {
						r["autonomousSystemNumber"] = proxyASN
					}
				}
				c := runCase(t, setOf(t, map[string]string{
					"signins.json": array(t, base, ps),
				}), victim)
				var marked []string
				for _, e := range c.Timeline {
					if e.Suspicious {
						marked = append(marked, e.ID)
					}
				}
				v := c.Verdict
				if v.Disposition != tt.disposition || v.Outcome != tt.outcome ||
					strings.Join(marked, " ") != strings.Join(tt.marked, " ") ||
					!strings.Contains(v.Summary, tt.says) {
					t.Fatalf("run %d: verdict %s (%s), marked %v; want %s/%s, marked %v\n%s",
						run, v.Label, v.Rule, marked, tt.disposition, tt.outcome, tt.marked,
						v.Summary)
				}
			}
		})
	}
}

// TestFatigueUnknownProvider: without the provider of the addresses (no
// autonomous system in the records, no database), prompts from changing
// addresses may be a phone on a carrier's NAT, so they make no rotated
// burst: three missed prompts and an approval on four new /24s of the
// user's carrier are no compromise (a second reviewer's case).
func TestFatigueUnknownProvider(t *testing.T) {
	start := mustTime("2026-06-01T10:00:00Z")
	base := baselineRecs(victim, "198.51.100.10", "PT", 38.72, -9.14, start, 20)
	for _, r := range base {
		r["autonomousSystemNumber"] = 64500
	}
	ps := pushes(start, push{0, "198.51.7.66", "deny"}, push{3, "198.51.8.66", "deny"},
		push{6, "198.51.9.66", "deny"}, push{9, "198.51.10.66", "ok"})
	for _, r := range ps {
		delete(r, "autonomousSystemNumber")
	}
	c := runCase(t, setOf(t, map[string]string{"signins.json": array(t, base, ps)}), victim)
	if v := c.Verdict; v.Outcome == OutcomeCompromised {
		t.Errorf("verdict %s (%s), want no compromise\n%s", v.Label, v.Rule, v.Summary)
	}
}
