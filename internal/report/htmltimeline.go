package report

import (
	"fmt"
	"time"

	"github.com/idtriage/idtriage/internal/investigate"
)

// Timeline geometry, in SVG user units.
const (
	tlWidth   = 1000.0
	tlLeft    = 110.0 // room for lane names
	tlRight   = 20.0
	tlTop     = 34.0 // room for the overview strip
	tlMark    = 5.0  // radius of a mark
	tlRowStep = 11.0 // vertical step when marks would overlap
	tlMaxRows = 6
)

// timelineView is everything the timeline SVG draws: an overview strip of
// the whole case with the window marked, then the detail axis (the window
// and a margin around it) with one lane per kind of record.
type timelineView struct {
	W, H                   float64
	Left, Right, Top       float64
	WinX, WinW             float64 // the window on the detail axis
	OvWinX, OvWinW         float64 // the window on the overview strip
	OvY                    float64
	AxisY, DetH            float64 // the axis line and the height of the detail area
	Lanes                  []lane
	Ticks                  []tick
	Marks, Overview        []mark
	From, To, OvFrom, OvTo string
	Hidden                 int // events outside the detail axis
}

type lane struct {
	Name string
	Y    float64 // top of the lane
	H    float64
}

type tick struct {
	X     float64
	Label string
}

// mark is one event: Shape is "signin", "audit" or "risk"; Outcome picks
// the colour; Suspicious draws a ring.
type mark struct {
	X, Y       float64
	Shape      string
	Outcome    string
	Suspicious bool
	Href       string
	Title      string
}

var laneNames = []struct{ kind, name string }{
	{"signin", "Sign-ins"}, {"audit", "Audit events"}, {"risk", "Risk detections"},
}

// buildTimeline lays the case's events out on the axes.
func buildTimeline(c *investigate.Case, recAnchor map[string]string) timelineView {
	v := timelineView{W: tlWidth, Left: tlLeft, Right: tlWidth - tlRight, Top: tlTop}
	if len(c.Timeline) == 0 {
		return v
	}
	first, last := c.Timeline[0].Time, c.Timeline[len(c.Timeline)-1].Time
	from, to := detailRange(c, first, last)
	v.From, v.To, v.OvFrom, v.OvTo = stamp(from), stamp(to), stamp(first), stamp(last)

	ov := scale{from: first, to: last, x0: v.Left, x1: v.Right}
	det := scale{from: from, to: to, x0: v.Left, x1: v.Right}
	v.OvY = 14
	if !c.Window.Start.IsZero() {
		v.OvWinX, v.OvWinW = ov.span(c.Window.Start, c.Window.End)
		v.WinX, v.WinW = det.span(c.Window.Start, c.Window.End)
	}

	y := v.Top + 8
	for _, ln := range laneNames {
		var evs []investigate.Event
		for _, e := range c.Timeline {
			if e.Kind == ln.kind {
				evs = append(evs, e)
			}
		}
		if len(evs) == 0 {
			continue
		}
		rows := 1
		for _, m := range stack(evs, det, y+tlMark+4, recAnchor, &v.Hidden) {
			v.Marks = append(v.Marks, m)
			rows = max(rows, int((m.Y-(y+tlMark+4))/tlRowStep)+1)
		}
		h := float64(rows)*tlRowStep + 2*tlMark + 2
		v.Lanes = append(v.Lanes, lane{Name: ln.name, Y: y, H: h})
		y += h + 6
	}
	for _, e := range c.Timeline {
		v.Overview = append(v.Overview, mark{X: ov.x(e.Time), Y: v.OvY, Outcome: e.Outcome,
			Href: "#" + recAnchor[e.ID], Title: markTitle(e)})
	}
	v.AxisY, v.DetH = y, y-v.Top
	v.Ticks = ticks(det)
	v.H = y + 22
	return v
}

// detailRange is the window with a margin of a tenth of its length, or the
// whole case when there is no window.
func detailRange(c *investigate.Case, first, last time.Time) (time.Time, time.Time) {
	from, to := first, last
	if !c.Window.Start.IsZero() && c.Window.End.After(c.Window.Start) {
		pad := c.Window.End.Sub(c.Window.Start) / 10
		from, to = c.Window.Start.Add(-pad), c.Window.End.Add(pad)
	}
	if !to.After(from) {
		from, to = from.Add(-time.Hour), to.Add(time.Hour)
	}
	return from, to
}

// stack places events left to right in a lane; a mark that would overlap
// the previous one in its row moves down a row. Events off the axis are
// counted in hidden and left out.
func stack(evs []investigate.Event, s scale, y0 float64, recAnchor map[string]string,
	hidden *int) []mark {
	var out []mark
	lastX := make([]float64, tlMaxRows)
	for i := range lastX {
		lastX[i] = -1e9
	}
	for _, e := range evs {
		if e.Time.Before(s.from) || e.Time.After(s.to) {
			*hidden++
			continue
		}
		x := s.x(e.Time)
		row := 0
		for row < tlMaxRows-1 && x-lastX[row] < 2*tlMark+1 {
			row++
		}
		lastX[row] = x
		out = append(out, mark{X: x, Y: y0 + float64(row)*tlRowStep, Shape: e.Kind,
			Outcome: e.Outcome, Suspicious: e.Suspicious, Href: "#" + recAnchor[e.ID],
			Title: markTitle(e)})
	}
	return out
}

func markTitle(e investigate.Event) string {
	s := stamp(e.Time) + " UTC, " + e.Outcome + ": " + e.Summary
	if e.IP != "" {
		s += " from " + e.IP
	}
	if e.Country != "" {
		s += " (" + e.Country + ")"
	}
	if e.Suspicious {
		s += " [suspicious]"
	}
	return s
}

// scale maps times onto x between x0 and x1.
type scale struct {
	from, to time.Time
	x0, x1   float64
}

func (s scale) x(t time.Time) float64 {
	total := s.to.Sub(s.from)
	if total <= 0 {
		return s.x0
	}
	return s.x0 + float64(t.Sub(s.from))/float64(total)*(s.x1-s.x0)
}

// span returns the x and width of the interval [a, b], clipped to the axis.
func (s scale) span(a, b time.Time) (float64, float64) {
	x0 := max(s.x0, min(s.x1, s.x(a)))
	x1 := max(s.x0, min(s.x1, s.x(b)))
	return x0, max(x1-x0, 1)
}

// tickSteps are the spacings an axis may use, smallest first.
var tickSteps = []time.Duration{
	time.Minute * 10, time.Minute * 30, time.Hour, 2 * time.Hour, 3 * time.Hour,
	6 * time.Hour, 12 * time.Hour, 24 * time.Hour, 48 * time.Hour, 7 * 24 * time.Hour,
	30 * 24 * time.Hour,
}

// ticks picks the smallest step that gives at most eight labels, on round
// UTC times.
func ticks(s scale) []tick {
	total := s.to.Sub(s.from)
	step := tickSteps[len(tickSteps)-1]
	for _, st := range tickSteps {
		if total/st <= 8 {
			step = st
			break
		}
	}
	layout := "Jan 2 15:04"
	if step >= 24*time.Hour {
		layout = "Jan 2"
	}
	var out []tick
	for t := s.from.UTC().Truncate(step); !t.After(s.to); t = t.Add(step) {
		if t.Before(s.from) {
			continue
		}
		out = append(out, tick{X: s.x(t), Label: t.Format(layout)})
	}
	return out
}

// humanDuration renders a duration to the minute: "4 h 52 min", "26 min".
func humanDuration(d time.Duration) string {
	d = d.Round(time.Minute)
	h, m := int(d.Hours()), int(d.Minutes())%60
	switch {
	case h == 0:
		return fmt.Sprintf("%d min", m)
	case m == 0:
		return fmt.Sprintf("%d h", h)
	}
	return fmt.Sprintf("%d h %d min", h, m)
}
