package report

import (
	"fmt"
	"io"
	"strings"

	"github.com/idtriage/idtriage/internal/investigate"
)

// mdWriter accumulates Markdown and remembers the first write error.
type mdWriter struct {
	w   io.Writer
	err error
}

func (m *mdWriter) f(format string, args ...any) {
	if m.err == nil {
		_, m.err = fmt.Fprintf(m.w, format, args...)
	}
}

// Markdown writes the case as a Markdown report: the sections of the design
// in order, every finding with its source, record count and cited records.
func Markdown(w io.Writer, c *investigate.Case) error {
	m := &mdWriter{w: w}
	mdHeader(m, c)
	mdQuestions(m, c)
	mdVerdict(m, c)
	mdPivots(m, c)
	mdTimeline(m, c)
	mdDetections(m, c)
	mdList(m, "Lessons", c.Lessons)
	mdList(m, "Containment", c.Containment)
	mdInput(m, c)
	mdCost(m, c)
	return m.err
}

func mdHeader(m *mdWriter, c *investigate.Case) {
	v := c.Verdict
	m.f("# Investigation: %s\n\n", MD(c.User))
	m.f("**Verdict: %s, confidence %s**\n\n", v.Label, titleCase(v.Confidence))
	m.f("%s\n\n", MD(v.Summary))

	who := MD(c.User)
	if c.DisplayName != "" || c.JobTitle != "" {
		who += " (" + MD(strings.Trim(c.DisplayName+", "+c.JobTitle, ", ")) + ")"
	}
	m.f("| | |\n|---|---|\n")
	m.f("| User | %s |\n", who)
	m.f("| Alert | %s |\n", MD(c.Alert))
	// What follows the window belongs to the case too (Event.InWindow).
	if c.Window.Start.IsZero() {
		m.f("| Suspicious window | %s |\n", MD(c.Window.Basis))
	} else {
		m.f("| Suspicious window | %s to %s, and what follows (%s) |\n",
			stamp(c.Window.Start), stamp(c.Window.End), MD(c.Window.Basis))
	}
	m.f("| Records read | %s |\n\n", recordsLine(c.Sources))
}

func mdQuestions(m *mdWriter, c *investigate.Case) {
	m.f("## Questions\n\n")
	for i, q := range questions {
		m.f("### %d. %s\n\n", i+1, q)
		for _, f := range c.Findings {
			if f.Question == i+1 {
				mdFinding(m, f)
			}
		}
	}
}

func mdFinding(m *mdWriter, f investigate.Finding) {
	m.f("- **%s: %s.** %s\n", kindNames[f.Kind], MD(f.Title), MD(f.Statement))
	m.f("  - Source: %s, %d records read.\n", MD(f.Source), f.Read)
	for _, r := range f.Evidence {
		m.f("  - %s %s at %s: %s\n", r.Kind, Code(r.ID), stamp(r.Time), MD(r.Note))
	}
	m.f("\n")
}

func mdVerdict(m *mdWriter, c *investigate.Case) {
	v := c.Verdict
	m.f("## Verdict\n\n")
	m.f("**%s**: disposition `%s`", v.Label, v.Disposition)
	if v.Outcome != "" {
		m.f(", outcome `%s`", v.Outcome)
	}
	m.f(", confidence `%s` (rule `%s`).\n\n", v.Confidence, v.Rule)

	m.f("### Signals\n\n")
	for _, s := range v.Signals {
		m.f("%d. [%s] %s", s.N, s.Direction, MD(s.Text))
		if len(s.Evidence) > 0 {
			m.f(" (%s)", idList(s.Evidence))
		}
		m.f("\n")
	}
	m.f("\n")

	if len(v.Tensions) > 0 {
		mdList(m, "Where the evidence pulls two ways", v.Tensions)
	}
}

func mdPivots(m *mdWriter, c *investigate.Case) {
	m.f("## Key pivots\n\n")
	if len(c.Pivots) == 0 {
		m.f("None.\n\n")
	} else {
		m.f("| Type | Value | Why |\n|---|---|---|\n")
		for _, p := range c.Pivots {
			m.f("| %s | %s | %s |\n", p.Type, Cell(p.Value), MD(p.Why))
		}
		m.f("\n")
	}

	m.f("### Addresses\n\n")
	m.f("| Address | Role | Place | Network | Assessment | Sign-ins | Audits |\n")
	m.f("|---|---|---|---|---|---|---|\n")
	for _, ip := range c.IPs {
		m.f("| %s | %s | %s | %s | %s | %d | %d |\n", Cell(ip.IP), ip.Role, MD(placeText(ip)),
			MD(networkText(ip)), MD(ip.Label), ip.SignIns, ip.Audits)
	}
	m.f("\n")
}

func mdTimeline(m *mdWriter, c *investigate.Case) {
	m.f("## Timeline\n\n")
	before := 0
	for _, e := range c.Timeline {
		if !e.InWindow {
			before++
		}
	}
	if before > 0 {
		m.f("%d events before the suspicious window are summarised in the baseline finding; "+
			"`--format json` lists them all.\n\n", before)
	}
	m.f("| Time (UTC) | Kind | Outcome | What | Address | Country | Record |\n")
	m.f("|---|---|---|---|---|---|---|\n")
	for _, e := range c.Timeline {
		if !e.InWindow {
			continue
		}
		mark := ""
		if e.Suspicious {
			mark = " (suspicious)"
		}
		approx := ""
		if e.Approx {
			approx = " (approx.)"
		}
		m.f("| %s%s | %s | %s%s | %s | %s | %s | %s |\n", stamp(e.Time), approx, e.Kind,
			e.Outcome, mark, MD(e.Summary), Cell(e.IP), MD(e.Country), Cell(e.ID))
	}
	m.f("\n")
}

func mdDetections(m *mdWriter, c *investigate.Case) {
	m.f("## Detection opportunities\n\n")
	if len(c.Detections) == 0 {
		m.f("No rule of the catalogue fires on this case.\n\n")
		return
	}
	for _, d := range c.Detections {
		m.f("### %s: %s\n\n", d.ID, d.Title)
		m.f("- ATT&CK: [%s %s](%s), tactic %s.\n", d.Technique, d.Name, d.URL, d.Tactic)
		m.f("- Rule: %s\n", d.Rule)
		m.f("- Fires on: %s\n\n", idList(d.Evidence))
		m.f("```kql\n%s\n```\n\n", d.KQL)
	}
}

func mdList(m *mdWriter, title string, items []string) {
	m.f("## %s\n\n", title)
	for _, s := range items {
		m.f("- %s\n", MD(s))
	}
	m.f("\n")
}

func mdInput(m *mdWriter, c *investigate.Case) {
	m.f("## Coverage and input\n\n")
	for _, s := range c.Coverage {
		m.f("- %s\n", MD(s))
	}
	if len(c.Coverage) == 0 {
		m.f("- No gap found in the data types the verdict relies on.\n")
	}
	for _, s := range c.InputNotes {
		m.f("- Input: %s\n", MD(s))
	}
	m.f("\n| File | Shape | Records | Rejected | Note |\n|---|---|---|---|---|\n")
	for _, f := range c.Files {
		note := ""
		if f.Skipped {
			note = "skipped: " + f.Reason
		} else if f.NextLink != "" {
			note = "more pages left unread (@odata.nextLink)"
		}
		m.f("| %s | %s | %d | %d | %s |\n", Cell(f.Path), MD(f.Shape), f.Records, f.Rejected,
			MD(note))
	}
	m.f("\n")
	if len(c.Problems) > 0 {
		m.f("Problems (each record named here was rejected; the others were read):\n\n")
		for _, p := range c.Problems {
			m.f("- %s\n", MD(p))
		}
		m.f("\n")
	}
}

func mdCost(m *mdWriter, c *investigate.Case) {
	k := newCostText(c)
	m.f("## Cost\n\n")
	m.f("- %s\n- %s\n", k.Took, MD(k.Read))
	m.f("- %s, by the model %s.\n", k.Manual, Code(k.Model))
}

// idList renders record ids for a signal or a detection, every one of them:
// a reader checks the verdict against exactly these records.
func idList(refs []investigate.Ref) string {
	ids := make([]string, 0, len(refs))
	for _, r := range refs {
		ids = append(ids, Code(r.ID))
	}
	return strings.Join(ids, ", ")
}
