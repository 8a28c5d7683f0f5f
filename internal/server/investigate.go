package server

import (
	"bytes"
	"context"
	"fmt"
	"slices"
	"time"

	"github.com/idtriage/idtriage/internal/ingest"
	"github.com/idtriage/idtriage/internal/investigate"
	"github.com/idtriage/idtriage/internal/report"
	"github.com/idtriage/idtriage/internal/store"
)

// inputError is a failure of the alert's own input: the same input fails
// the same way on every try, so its job is given up at once.
type inputError struct{ err error }

func (e *inputError) Error() string { return e.err.Error() }
func (e *inputError) Unwrap() error { return e.err }

// investigate turns an alert into a case: it decodes the files posted with
// it, reads the user's earlier cases for question 1, runs the
// investigation and renders every report.
func (s *Server) investigate(ctx context.Context, a store.Alert) (store.Case, error) {
	start := time.Now()
	p, err := decodePayload(a.Payload)
	if err != nil {
		return store.Case{}, &inputError{fmt.Errorf("alert %s: %w", a.ID, err)}
	}
	set := &ingest.Set{}
	for _, f := range p.Files {
		ingest.Decode(f.Name, f.Data, set)
	}
	set.Finish()

	history, err := s.store.History(ctx, a.Tenant, a.User, time.Now(), historyLimit)
	if err != nil {
		return store.Case{}, err
	}
	cfg := s.cfg.Investigate
	cfg.User = a.User
	cfg.Prior, cfg.PriorSource = prior(history, a.ID), "case store ("+s.store.Kind()+")"
	ic, err := investigate.Run(set, cfg)
	if err != nil {
		return store.Case{}, &inputError{fmt.Errorf("investigate alert %s: %w", a.ID, err)}
	}
	ic.Cost.WallTime = time.Since(start)
	ic.Cost.WallTimeMS = float64(ic.Cost.WallTime.Microseconds()) / 1000

	c := store.Case{ID: a.ID, Tenant: a.Tenant, User: a.User, AlertID: a.AlertID,
		Received: a.Received, Node: s.cfg.Node, Label: ic.Verdict.Label,
		Disposition: ic.Verdict.Disposition, Outcome: ic.Verdict.Outcome,
		Confidence: ic.Verdict.Confidence, Rule: ic.Verdict.Rule,
		Summary: ic.Verdict.Summary, Records: recordIDs(ic)}
	for _, r := range []struct {
		dst    *[]byte
		format string
	}{{&c.JSON, "json"}, {&c.Markdown, "md"}, {&c.HTML, "html"}} {
		var buf bytes.Buffer
		if err := report.Write(&buf, ic, r.format); err != nil {
			return store.Case{}, &inputError{fmt.Errorf("render alert %s as %s: %w", a.ID,
				r.format, err)}
		}
		*r.dst = buf.Bytes()
	}
	c.Duration = time.Since(start)
	return c, nil
}

// prior turns the store's history into question 1's earlier cases,
// leaving out the alert's own.
func prior(history []store.Case, self string) []investigate.PriorCase {
	var out []investigate.PriorCase
	for _, h := range history {
		if h.ID == self {
			continue
		}
		p := investigate.PriorCase{ID: h.ID, AlertID: h.AlertID, Opened: h.Created,
			Label: h.Label, Confidence: h.Confidence}
		for _, d := range h.Decisions {
			p.Decisions = append(p.Decisions, investigate.PriorDecision{Analyst: d.Analyst,
				Action: d.Action, Label: d.Label, Note: d.Note, Time: d.Time})
		}
		out = append(out, p)
	}
	return out
}

// recordIDs lists the records on the case's timeline as kind:id, sorted.
func recordIDs(c *investigate.Case) []string {
	seen := map[string]bool{}
	for _, e := range c.Timeline {
		if e.ID != "" {
			seen[e.Kind+":"+e.ID] = true
		}
	}
	out := make([]string, 0, len(seen))
	for k := range seen {
		out = append(out, k)
	}
	slices.Sort(out)
	return out
}
