package investigate

import (
	"strings"
	"testing"
	"time"
)

// TestWindowBeyondInput: a time asked for (--at, or an alert) after the
// input's last sign-in finds nothing in the window because nothing of it
// was read; the verdict is Undetermined and the coverage says why, never a
// False Positive (a tryout's case: --at a day after the example's attack
// gave a False Positive of medium confidence). When another user's sign-in
// shows the input reaches the window, an empty window is the user's own
// quiet, and nothing anomalous is a False Positive as before.
func TestWindowBeyondInput(t *testing.T) {
	start := mustTime("2026-06-01T10:00:00Z")
	other := signIn("other1", start.Add(3*24*time.Hour+time.Hour), "kim@example.com",
		"198.51.100.77", "PT", 38.72, -9.14, 0)

	lastOwn := start.Add(-24 * time.Hour) // home's latest sign-in
	tests := []struct {
		name      string
		others    []rec
		at        time.Time
		rule      string
		disp      string
		uncovered bool
	}{
		{name: "input ends before the window", rule: "window-not-covered",
			disp: Undetermined, uncovered: true},
		{name: "another user's sign-in reaches the window", others: []rec{other},
			rule: "no-anomaly", disp: FalsePositive},
		// A reviewer's case: the window starts inside the input, --at is
		// after its end.
		{name: "at just past the input's end", at: lastOwn.Add(90 * time.Minute),
			rule: "window-not-covered", disp: Undetermined, uncovered: true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			files := map[string]string{"signins.json": array(t, home(t, start), tt.others)}
			cfg := DefaultConfig()
			cfg.User = victim
			cfg.At = start.Add(3 * 24 * time.Hour)
			if !tt.at.IsZero() {
				cfg.At = tt.at
			}
			c, err := Run(setOf(t, files), cfg)
			if err != nil {
				t.Fatal(err)
			}

			v := c.Verdict
			if v.Rule != tt.rule || v.Disposition != tt.disp {
				t.Errorf("verdict %s/%s (rule %s), want %s (rule %s)", v.Disposition,
					v.Confidence, v.Rule, tt.disp, tt.rule)
			}
			said := strings.Contains(strings.Join(c.Coverage, "\n"),
				"is after the input's last sign-in")
			if said != tt.uncovered {
				t.Errorf("coverage says the window is beyond the input: %v, want %v\n%s",
					said, tt.uncovered, strings.Join(c.Coverage, "\n"))
			}
		})
	}
}
