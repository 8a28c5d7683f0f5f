package server

import (
	"errors"
	"net/http"
	"slices"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/idtriage/idtriage/internal/store"
)

// maxNote bounds an analyst's note, in characters.
const maxNote = 4000

// Labels are the verdicts an analyst may overturn to, as the investigate
// JSON contract names them.
var Labels = []string{"True Positive - Blocked", "True Positive - Compromised",
	"Benign Positive", "False Positive", "Undetermined"}

// decisionIn is the body of POST /api/v1/cases/{id}/decisions.
type decisionIn struct {
	Action string `json:"action"` // confirm or overturn
	Label  string `json:"label"`  // the analyst's verdict, to overturn
	Note   string `json:"note"`
}

func (d decisionIn) check(machine string) error {
	note := strings.TrimSpace(d.Note)
	switch {
	case d.Action != store.ActionConfirm && d.Action != store.ActionOverturn:
		return badRequest("action %q: want confirm or overturn", d.Action)
	case note == "":
		return badRequest("note: say why, in a few words")
	case utf8.RuneCountInString(note) > maxNote:
		return badRequest("note: at most %d characters", maxNote)
	case d.Action == store.ActionConfirm && d.Label != "":
		return badRequest("label: only an overturn names a verdict")
	case d.Action == store.ActionOverturn && !slices.Contains(Labels, d.Label):
		return badRequest("label %q: want one of %s", d.Label, strings.Join(Labels, ", "))
	case d.Action == store.ActionOverturn && d.Label == machine:
		return badRequest("label %q is the machine's verdict: confirm it instead", d.Label)
	}
	return nil
}

// postDecision records an analyst's confirm or overturn, beside the
// machine's verdict.
func (s *Server) postDecision(w http.ResponseWriter, r *http.Request) {
	var in decisionIn
	if err := decodeJSON(w, r, &in); err != nil {
		s.failBody(w, r, err)
		return
	}
	c, ok := s.loadCase(w, r)
	if !ok {
		return
	}
	if err := in.check(c.Label); err != nil {
		s.failBody(w, r, err)
		return
	}
	d, err := s.store.AddDecision(r.Context(), store.Decision{CaseID: c.ID,
		Analyst: callerOf(r).Name, Action: in.Action, Label: in.Label,
		Note: strings.TrimSpace(in.Note), Time: time.Now().UTC()})
	if errors.Is(err, store.ErrNotFound) {
		s.fail(w, r, http.StatusNotFound, "no case has this id")
		return
	}
	if err != nil {
		s.log.Error("store decision failed", keyAlert, c.ID, keyError, err)
		s.fail(w, r, http.StatusServiceUnavailable, "the store does not answer")
		return
	}
	s.log.Info("decision recorded", keyAlert, c.ID, keyToken, d.Analyst, keyAction, d.Action,
		keyVerdict, d.Label)
	writeJSON(w, http.StatusCreated, viewDecision(d))
}
