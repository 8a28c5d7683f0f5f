package investigate

import (
	"fmt"
	"testing"
	"time"
)

// sprayed is twelve users, the victim first, each with one wrong password
// from ip a minute apart.
func sprayed(ip, country string, start time.Time) []rec {
	var out []rec
	for i := range 12 {
		u := fmt.Sprintf("user%02d@example.com", i)
		if i == 0 {
			u = victim
		}
		out = append(out, signIn(fmt.Sprintf("spr%02d", i), start.Add(time.Duration(i)*
			time.Minute), u, ip, country, -23.5, -46.6, 50126))
	}
	return out
}

// TestSprayVerdicts: a spray target whose password held is a True
// Positive - Blocked, over a full or a thin baseline; the sprayer's later
// success from its address or /24 is a compromise; a spray from the
// user's own office and a password-expiry morning of typos at a shared
// address are no true positive.
func TestSprayVerdicts(t *testing.T) {
	start := mustTime("2026-06-01T10:00:00Z")
	ok := func(after time.Duration, ip, country string) []rec {
		return []rec{signIn("late-ok", start.Add(after), victim, ip, country, -23.5, -46.6, 0)}
	}
	// A password-expiry morning at a shared address: every user mistypes,
	// some twice, and gets in after a while.
	typos := func(wait time.Duration, twice bool) []rec {
		var out []rec
		for i := range 12 {
			u := fmt.Sprintf("user%02d@example.com", i)
			if i == 0 {
				u = victim
			}
			at := start.Add(time.Duration(i) * 3 * time.Minute)
			out = append(out, signIn(fmt.Sprintf("typo%02d", i), at, u, "192.0.2.10", "PT",
				38.7, -9.1, 50126))
			if twice {
				out = append(out, signIn(fmt.Sprintf("typo%02db", i), at.Add(4*time.Minute), u,
					"192.0.2.10", "PT", 38.7, -9.1, 50126))
			}
			out = append(out, signIn(fmt.Sprintf("ok%02d", i), at.Add(wait), u, "192.0.2.10",
				"PT", 38.7, -9.1, 0))
		}
		return out
	}
	tests := []struct {
		name        string
		baseline    bool
		recs        [][]rec
		disposition string
		outcome     string
	}{
		{"target, password held", true, [][]rec{sprayed("203.0.113.50", "BR", start)},
			TruePositive, OutcomeBlocked},
		{"target over a thin baseline", false, [][]rec{sprayed("203.0.113.50", "BR", start)},
			TruePositive, OutcomeBlocked},
		{"domestic spray, then its success 40 min later", true, [][]rec{
			sprayed("203.0.113.50", "PT", start), ok(40*time.Minute, "203.0.113.50", "PT")},
			TruePositive, OutcomeCompromised},
		{"domestic spray, then its success 2 h later", true, [][]rec{
			sprayed("203.0.113.50", "PT", start), ok(2*time.Hour, "203.0.113.50", "PT")},
			TruePositive, OutcomeCompromised},
		{"thin, then a success from the sprayer's /24", false, [][]rec{
			sprayed("203.0.113.50", "BR", start), ok(2*time.Hour, "203.0.113.77", "BR")},
			TruePositive, OutcomeCompromised},
		{"password-expiry typos at a new shared address", true,
			[][]rec{typos(time.Minute, false)}, "", ""},
		{"typos, each user in after six minutes", true, [][]rec{typos(6*time.Minute, false)},
			"", ""},
		{"typos, twice, then in", false, [][]rec{typos(8*time.Minute, true)}, "", ""},
		// The sprayer comes back with the password two minutes later: the
		// faster the hit, the surer, not the more benign.
		{"the sprayer's hit two minutes later", true, [][]rec{
			sprayed("203.0.113.50", "PT", start), ok(2*time.Minute, "203.0.113.50", "PT")},
			TruePositive, OutcomeCompromised},
		{"the sprayer's hit two minutes later, thin", false, [][]rec{
			sprayed("203.0.113.50", "BR", start), ok(2*time.Minute, "203.0.113.50", "BR")},
			TruePositive, OutcomeCompromised},
		{"spray from the user's own office", true, [][]rec{
			sprayed("198.51.100.10", "PT", start)}, "", ""},
		// The sprayer's own address days later is still the sprayer; its
		// /24 days later may be a carrier's pool the user now uses.
		{"the sprayer's address two days later", true, [][]rec{
			sprayed("203.0.113.50", "PT", start), ok(49*time.Hour, "203.0.113.50", "PT")},
			TruePositive, OutcomeCompromised},
		// The sprayer got in, then came back to spray again a day later: the
		// window must hold its session, not learn it as the user's (a
		// second reviewer's case).
		{"the sprayer got in, then sprayed again", true, [][]rec{
			sprayed("203.0.113.50", "PT", start), ok(2*time.Hour, "203.0.113.50", "PT"),
			respray("203.0.113.50", start.Add(30*time.Hour))},
			TruePositive, OutcomeCompromised},
		{"the sprayer came back, nobody got in", true, [][]rec{
			sprayed("203.0.113.50", "PT", start), respray("203.0.113.50", start.Add(30*time.Hour))},
			TruePositive, OutcomeBlocked},
		{"the sprayer's /24 two days later", true, [][]rec{
			sprayed("203.0.113.50", "PT", start), ok(49*time.Hour, "203.0.113.140", "PT")},
			TruePositive, OutcomeBlocked},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			v := sprayCase(t, start, tt.baseline, tt.recs).Verdict
			switch {
			case tt.disposition == "" && v.Disposition == TruePositive:
				t.Errorf("verdict %s (%s), want no true positive\n%s", v.Label, v.Rule,
					v.Summary)
			case tt.disposition != "" && (v.Disposition != tt.disposition ||
				v.Outcome != tt.outcome):
				t.Errorf("verdict %s (%s), want %s/%s\n%s", v.Label, v.Rule, tt.disposition,
					tt.outcome, v.Summary)
			}
		})
	}
}

// sprayCase investigates the victim over recs, after twenty days at home
// when baseline is set.
func sprayCase(t *testing.T, start time.Time, baseline bool, recs [][]rec) *Case {
	t.Helper()
	if baseline {
		recs = append([][]rec{home(t, start)}, recs...)
	}
	return runCase(t, setOf(t, map[string]string{"signins.json": array(t, recs...)}), victim)
}

// respray is sprayed again from ip at start, with record ids of its own.
func respray(ip string, start time.Time) []rec {
	out := sprayed(ip, "PT", start)
	for i, r := range out {
		r["id"] = fmt.Sprintf("again%02d", i)
	}
	return out
}

// distributed is a low-and-slow spray: 36 users, the victim first, each
// with one wrong password from another address of a botnet (twelve /24s),
// two minutes apart; the victim's comes from victimIP.
func distributed(victimIP, country string, start time.Time) []rec {
	var out []rec
	for i := range 36 {
		u, ip := fmt.Sprintf("user%02d@example.com", i), fmt.Sprintf("203.0.%d.%d", 100+i%12,
			20+i)
		if i == 0 {
			u, ip = victim, victimIP
		}
		out = append(out, signIn(fmt.Sprintf("dsp%02d", i), start.Add(time.Duration(i)*
			2*time.Minute), u, ip, country, -23.5, -46.6, 50126))
	}
	return out
}

// TestDistributedSprayAddresses: the address behind one of the user's
// wrong passwords in a spray by application is weak evidence of the
// sprayer (one attempt from a node that may be a carrier's shared pool,
// or the user's own typo the rule swept in because the user then got in
// through another application), so a later sign-in from it or its /24 is
// not called the attacker's session. A reviewer's cases.
func TestDistributedSprayAddresses(t *testing.T) {
	start := mustTime("2026-06-01T10:00:00Z")
	const hotel = "192.0.2.50"
	ok := func(id string, after time.Duration, ip, app string, managed bool) rec {
		r := signIn(id, start.Add(after), victim, ip, "PT", 38.72, -9.14, 0).
			with("appDisplayName", app)
		if managed {
			r = r.with("deviceDetail", map[string]any{"deviceId": "dev-" + victim[:6],
				"isManaged": true, "isCompliant": true})
		}
		return r
	}
	laptop := distributed(hotel, "PT", start)
	laptop[0] = laptop[0].with("deviceDetail", map[string]any{"deviceId": "dev-" + victim[:6],
		"isManaged": true, "isCompliant": true})
	tests := []struct {
		name     string
		baseline bool
		recs     [][]rec
	}{
		{"a typo in Teams, then Outlook from the same address", false, [][]rec{
			distributed(hotel, "PT", start), {ok("own", time.Minute, hotel, "Outlook", false)}}},
		{"a typo on the managed laptop, then the phone", true, [][]rec{
			laptop, {ok("own", 2*time.Minute, hotel, "Outlook Mobile", false)}}},
		{"the laptop, then the phone on the /24", true, [][]rec{
			distributed(hotel, "PT", start), {ok("own", 2*time.Minute, hotel, "Outlook", true),
				ok("own2", 20*time.Minute, "192.0.2.51", "Outlook Mobile", false)}}},
		{"a carrier pool two days later", true, [][]rec{
			distributed("192.0.2.77", "PT", start),
			{ok("trip", 49*time.Hour, "192.0.2.140", "Outlook Mobile", false)}}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if v := sprayCase(t, start, tt.baseline, tt.recs).Verdict; v.Outcome ==
				OutcomeCompromised {
				t.Errorf("verdict %s (%s), want no compromise\n%s", v.Label, v.Rule, v.Summary)
			}
		})
	}
}
