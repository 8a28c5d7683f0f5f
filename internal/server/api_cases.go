package server

import (
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/idtriage/idtriage/internal/entra"
	"github.com/idtriage/idtriage/internal/report"
	"github.com/idtriage/idtriage/internal/store"
)

// caseView is a case as the API shows it; Report is the investigate JSON
// report, present when one case is asked for.
type caseView struct {
	ID         string          `json:"id"`
	Tenant     string          `json:"tenant"`
	User       string          `json:"user"`
	AlertID    string          `json:"alertId"`
	Received   time.Time       `json:"received"`
	Created    time.Time       `json:"created"`
	Node       string          `json:"node"`
	Verdict    verdictView     `json:"verdict"`
	DurationMS float64         `json:"durationMs"`
	Latest     *decisionView   `json:"latestDecision"`
	Decisions  []decisionView  `json:"decisions,omitzero"`
	Records    []string        `json:"records,omitempty"`
	Report     json.RawMessage `json:"report,omitempty"`
}

// verdictView is the machine's verdict; analysts' decisions stand beside
// it, never in it.
type verdictView struct {
	Label       string `json:"label"`
	Disposition string `json:"disposition"`
	Outcome     string `json:"outcome,omitempty"`
	Confidence  string `json:"confidence"`
	Rule        string `json:"rule"`
	Summary     string `json:"summary"`
}

type decisionView struct {
	ID      int64     `json:"id"`
	Analyst string    `json:"analyst"`
	Action  string    `json:"action"`
	Label   string    `json:"label,omitempty"`
	Note    string    `json:"note"`
	Time    time.Time `json:"time"`
}

func viewCase(c store.Case, full bool) caseView {
	v := caseView{ID: c.ID, Tenant: c.Tenant, User: c.User, AlertID: c.AlertID,
		Received: c.Received, Created: c.Created, Node: c.Node,
		Verdict: verdictView{Label: c.Label, Disposition: c.Disposition, Outcome: c.Outcome,
			Confidence: c.Confidence, Rule: c.Rule, Summary: c.Summary},
		DurationMS: float64(c.Duration.Microseconds()) / 1000}
	if c.Latest != nil {
		d := viewDecision(*c.Latest)
		v.Latest = &d
	}
	if full {
		v.Decisions = []decisionView{}
		for _, d := range c.Decisions {
			v.Decisions = append(v.Decisions, viewDecision(d))
		}
		v.Records, v.Report = c.Records, json.RawMessage(c.JSON)
	}
	return v
}

func viewDecision(d store.Decision) decisionView {
	return decisionView{ID: d.ID, Analyst: d.Analyst, Action: d.Action, Label: d.Label,
		Note: d.Note, Time: d.Time}
}

// listCases answers GET /api/v1/cases?user=&verdict=&confidence=&since=
// &until=&tenant=&limit=&offset=, newest first.
func (s *Server) listCases(w http.ResponseWriter, r *http.Request) {
	f, err := caseFilter(r)
	if err != nil {
		s.failBody(w, r, err)
		return
	}
	cases, err := s.store.Cases(r.Context(), f)
	if err != nil {
		s.log.Error("list cases failed", keyError, err)
		s.fail(w, r, http.StatusServiceUnavailable, "the store does not answer")
		return
	}
	out := struct {
		Cases  []caseView `json:"cases"`
		Limit  int        `json:"limit"`
		Offset int        `json:"offset"`
	}{Cases: []caseView{}, Limit: f.Limit, Offset: f.Offset}
	for _, c := range cases {
		out.Cases = append(out.Cases, viewCase(c, false))
	}
	writeJSON(w, http.StatusOK, out)
}

// dispositions are the values of the verdict filter.
var dispositions = map[string]bool{"true_positive": true, "benign_positive": true,
	"false_positive": true, "undetermined": true}

func caseFilter(r *http.Request) (store.Filter, error) {
	q := r.URL.Query()
	f := store.Filter{Tenant: q.Get("tenant"), User: entra.NormalizeUPN(q.Get("user")),
		Disposition: q.Get("verdict"), Confidence: q.Get("confidence")}
	if f.Disposition != "" && !dispositions[f.Disposition] {
		return f, badRequest("verdict %q: want true_positive, benign_positive, "+
			"false_positive or undetermined", f.Disposition)
	}
	var err error
	if f.Since, err = timeParam(q.Get("since"), "since"); err != nil {
		return f, err
	}
	if f.Until, err = timeParam(q.Get("until"), "until"); err != nil {
		return f, err
	}
	for name, dst := range map[string]*int{"limit": &f.Limit, "offset": &f.Offset} {
		if v := q.Get(name); v != "" {
			if *dst, err = strconv.Atoi(v); err != nil || *dst < 0 {
				return f, badRequest("%s %q: want a whole number", name, v)
			}
		}
	}
	f.Limit = min(max(f.Limit, 0), store.MaxLimit)
	if f.Limit == 0 {
		f.Limit = store.DefaultLimit
	}
	return f, nil
}

// timeParam reads an RFC 3339 time or a date (YYYY-MM-DD, UTC midnight).
func timeParam(v, name string) (time.Time, error) {
	if v == "" {
		return time.Time{}, nil
	}
	for _, layout := range []string{time.RFC3339Nano, "2006-01-02"} {
		if t, err := time.Parse(layout, v); err == nil {
			return t.UTC(), nil
		}
	}
	return time.Time{}, badRequest("%s %q: want RFC 3339 (2026-11-17T22:00:00Z) or a "+
		"date (2026-11-17)", name, v)
}

// getCase answers one case as JSON (the default), Markdown or HTML, chosen
// by ?format= or else the Accept header.
func (s *Server) getCase(w http.ResponseWriter, r *http.Request) {
	c, ok := s.loadCase(w, r)
	if !ok {
		return
	}
	switch format(r) {
	case "md":
		w.Header().Set("Content-Type", "text/markdown; charset=utf-8")
		w.Header().Set("X-Content-Type-Options", "nosniff")
		w.Write(c.Markdown)
		w.Write(decisionsMarkdown(c.Decisions))
	case "html":
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
		w.Header().Set("X-Content-Type-Options", "nosniff")
		w.Header().Set("Content-Security-Policy", reportCSP)
		w.Write(c.HTML)
	case "json":
		writeJSON(w, http.StatusOK, viewCase(c, true))
	default:
		s.fail(w, r, http.StatusBadRequest, "format: want json, md or html")
	}
}

// reportCSP lets a report page use its inline style and images, and
// nothing else.
const reportCSP = "default-src 'none'; style-src 'unsafe-inline'; img-src data:; " +
	"frame-ancestors 'self'"

func format(r *http.Request) string {
	if f := r.URL.Query().Get("format"); f != "" {
		if f == "markdown" {
			return "md"
		}
		return f
	}
	accept := r.Header.Get("Accept")
	switch {
	case strings.Contains(accept, "text/markdown"):
		return "md"
	case strings.Contains(accept, "text/html"):
		return "html"
	}
	return "json"
}

func (s *Server) loadCase(w http.ResponseWriter, r *http.Request) (store.Case, bool) {
	c, err := s.store.Case(r.Context(), r.PathValue("id"))
	if errors.Is(err, store.ErrNotFound) {
		s.fail(w, r, http.StatusNotFound, "no case has this id (an alert still queued "+
			"has no case yet: see /api/v1/alerts/ID)")
		return c, false
	}
	if err != nil {
		s.log.Error("read case failed", keyError, err)
		s.fail(w, r, http.StatusServiceUnavailable, "the store does not answer")
		return c, false
	}
	return c, true
}

// decisionsMarkdown is the section appended to a Markdown report: the
// analysts' decisions, after the machine's report and apart from it.
func decisionsMarkdown(ds []store.Decision) []byte {
	if len(ds) == 0 {
		return nil
	}
	var b strings.Builder
	b.WriteString("\n## Analyst decisions\n\nThe machine's verdict above stands as it " +
		"was reached; these decisions are kept beside it.\n\n")
	for _, d := range ds {
		what := "confirmed the verdict"
		if d.Action == store.ActionOverturn {
			what = "overturned the verdict to **" + report.MD(d.Label) + "**"
		}
		fmt.Fprintf(&b, "- %s: %s %s: %s\n", d.Time.UTC().Format("2006-01-02 15:04 UTC"),
			report.MD(d.Analyst), what, report.MD(d.Note))
	}
	return []byte(b.String())
}
