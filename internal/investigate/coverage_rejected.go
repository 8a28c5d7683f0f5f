package investigate

import (
	"fmt"

	"github.com/idtriage/idtriage/internal/entra"
)

// rejectedAmong counts the records the decoder rejected that lie among the
// user's records of the window and what follows it (the case judges both):
// in a file that holds such records, between the first and the last of
// them by line. A rejected record there may be one of the user's (the
// success that would change the verdict), so it is a gap in what the case
// can show. first is the first of them as file:line.
func rejectedAmong(ev *evidence) (n int, first string) {
	type span struct{ from, to int }
	spans := map[string]span{}
	in := func(p entra.Pos) {
		if p.File == "" || p.Line <= 0 {
			return
		}
		s, ok := spans[p.File]
		if !ok {
			s = span{p.Line, p.Line}
		}
		s.from, s.to = min(s.from, p.Line), max(s.to, p.Line)
		spans[p.File] = s
	}
	for _, s := range ev.signIns {
		if !s.Time.Before(ev.window.Start) {
			in(s.Pos)
		}
	}
	for _, a := range ev.audits {
		if !a.Time.Before(ev.window.Start) {
			in(a.Pos)
		}
	}

	for _, p := range ev.set.Problems {
		s, ok := spans[p.File]
		if !ok || p.Line < s.from || p.Line > s.to {
			continue
		}
		if n == 0 {
			first = fmt.Sprintf("%s:%d", p.File, p.Line)
		}
		n++
	}
	return n, first
}
