package investigate

import (
	"fmt"
	"time"

	"github.com/idtriage/idtriage/internal/entra"
)

// scales gathers the signals of a case before they are numbered.
type scales struct {
	compromised []Signal
	kinds       map[string]bool // kinds of compromise proof
	towards     []Signal
	againsts    []Signal
	coverage    []string

	plausibleTravel, usualMFA, userDenied, twoParties bool
}

func (sc *scales) compromise(kind, text string, refs []Ref) {
	if sc.kinds == nil {
		sc.kinds = map[string]bool{}
	}
	sc.kinds[kind] = true
	sc.compromised = append(sc.compromised, Signal{Direction: Toward, Text: text,
		Evidence: refs})
}

func (sc *scales) toward(text string, refs []Ref) {
	sc.towards = append(sc.towards, Signal{Direction: Toward, Text: text, Evidence: refs})
}

func (sc *scales) against(text string, refs []Ref) {
	sc.againsts = append(sc.againsts, Signal{Direction: Against, Text: text, Evidence: refs})
}

// onlySession reports whether the only compromise proof is a session.
func (sc *scales) onlySession() bool {
	return len(sc.kinds) == 1 && sc.kinds["session"]
}

// numbered returns every signal, compromise first, then toward, against and
// coverage, numbered from 1.
func (sc *scales) numbered() []Signal {
	var out []Signal
	out = append(out, sc.compromised...)
	out = append(out, sc.towards...)
	out = append(out, sc.againsts...)
	for _, c := range sc.coverage {
		out = append(out, Signal{Direction: Context, Text: c})
	}
	for i := range out {
		out[i].N = i + 1
	}
	return out
}

// knownCaps are record counts at which exports are known to stop without
// saying so (BR-30).
var knownCaps = map[int]bool{1000: true, 1040: true}

// coverage lists what the data cannot show, each gap a sentence. Every gap
// lowers the confidence of a verdict that rests on absence.
func coverage(ev *evidence) []string {
	var out []string
	nonInteractive, tenantSignIns := ev.ten.nonInteractive, ev.ten.signIns
	if len(ev.signIns) == 0 {
		out = append(out, "not covered: the input holds no sign-in of this user, so "+
			"neither a baseline nor the attempts can be read")
	}
	if ev.beyondInput() {
		out = append(out, fmt.Sprintf("not covered: the time investigated (%s) is after "+
			"the input's last sign-in (%s), so no sign-in of that time was read",
			clock(ev.investigated()), clock(ev.ten.newest)))
	}
	if tenantSignIns > 0 && !nonInteractive {
		out = append(out, "not covered: non-interactive sign-ins (token replay and "+
			"refresh-token abuse cannot be assessed)")
	}
	if tenantSignIns > 0 && len(ev.audits) == 0 && ev.ten.audits == 0 {
		out = append(out, "not covered: directory audit log (password resets and "+
			"security-info changes cannot be assessed)")
	}
	for _, f := range ev.set.Files {
		if f.NextLink != "" {
			out = append(out, fmt.Sprintf("incomplete export: %s is one Graph page with "+
				"more pages left unread (@odata.nextLink)", f.Path))
		}
	}
	if knownCaps[tenantSignIns] {
		out = append(out, fmt.Sprintf("record count equals a known export cap (%d): "+
			"the export may have stopped early", tenantSignIns))
	}
	approx := 0
	for _, s := range ev.signIns {
		if s.TimeApprox {
			approx++
		}
	}
	if approx > 0 {
		out = append(out, fmt.Sprintf("%s have approximate times (no zone, an ambiguous "+
			"day and month, or a processing time instead of the sign-in time)",
			plural(approx, "sign-in")))
	}
	if n, first := rejectedAmong(ev); n > 0 {
		out = append(out, fmt.Sprintf("%s rejected by the decoder among the user's records "+
			"from the window on (first at %s): one may be the user's, unread",
			plural(n, "record"), first))
	}
	return out
}

func hasEventType(s *entra.SignIn, t string) bool {
	for _, e := range s.EventTypes {
		if entra.Fold(e) == entra.Fold(t) {
			return true
		}
	}
	return false
}

// beyondInput reports whether the time investigated comes after the
// input's last sign-in: an alert or --at later than the export, where
// finding nothing says nothing of what happened then. A window that
// starts inside the input but whose --at is past its end is beyond it too
// (a reviewer's case: --at 90 minutes after the last sign-in gave a False
// Positive because the window's first half hour was covered).
func (ev *evidence) beyondInput() bool {
	return !ev.ten.newest.IsZero() && ev.ten.newest.Before(ev.investigated())
}

// investigated is the time the case is about: --at when given, else the
// start of the window the records anchored.
func (ev *evidence) investigated() time.Time {
	if !ev.cfg.At.IsZero() {
		return ev.cfg.At
	}
	return ev.window.Start
}
