package server

import (
	"context"
	"errors"
	"net/http"
	"time"

	"github.com/idtriage/idtriage/internal/store"
)

// alertView is an alert as the API shows it.
type alertView struct {
	ID       string    `json:"id"`
	Tenant   string    `json:"tenant"`
	User     string    `json:"user"`
	AlertID  string    `json:"alertId"`
	Kind     string    `json:"kind"`
	Received time.Time `json:"received"`
	State    string    `json:"state"`
	Attempts int       `json:"attempts"`
	Error    string    `json:"error,omitempty"`
	// Duplicate is set in a post's answer when the alert was already known.
	Duplicate bool `json:"duplicate,omitempty"`
	// Case is the case's address, set once the case is committed; until
	// then Status is the address to poll.
	Case   string `json:"case,omitempty"`
	Status string `json:"status"`
}

func viewAlert(a store.Alert) alertView {
	v := alertView{ID: a.ID, Tenant: a.Tenant, User: a.User, AlertID: a.AlertID,
		Kind: a.Kind, Received: a.Received, State: a.State, Attempts: a.Attempts,
		Error: a.Error, Status: "/api/v1/alerts/" + a.ID}
	if a.State == store.StateDone {
		v.Case = "/api/v1/cases/" + a.ID
	}
	return v
}

// postAlerts takes alerts in: it stores each with the files posted beside
// it, then queues its job. A known alert is not stored again; its job is
// queued again while it is still queued, which heals a post that stored
// the alert and then failed to queue it (JetStream drops the duplicate).
func (s *Server) postAlerts(w http.ResponseWriter, r *http.Request) {
	p, err := readPost(w, r, s.cfg.MaxBody)
	if err != nil {
		s.failBody(w, r, err)
		return
	}
	data, err := encodePayload(payload{Files: p.files})
	if err != nil {
		s.failBody(w, r, err)
		return
	}

	now := time.Now().UTC()
	out := struct {
		Alerts []alertView `json:"alerts"`
	}{}
	status := http.StatusOK
	for _, in := range p.alerts {
		a := newAlert(p.tenant, in, data, now)
		v, created, err := s.takeAlert(r.Context(), a)
		if err != nil {
			s.log.Error("alert not taken", keyAlert, a.ID, keyError, err)
			s.fail(w, r, http.StatusServiceUnavailable, "the alert could not be queued; "+
				"post it again")
			return
		}
		if created {
			status = http.StatusAccepted
		}
		out.Alerts = append(out.Alerts, v)
	}
	writeJSON(w, status, out)
}

// newAlert is the stored form of one alert taken in: its id comes from
// the tenant, the user and the alert's own id, so the same alert taken in
// twice, posted or polled, is one case.
func newAlert(tenant string, in incoming, payload []byte, now time.Time) store.Alert {
	return store.Alert{ID: store.Key(tenant, in.User, in.AlertID), Tenant: tenant,
		User: in.User, AlertID: in.AlertID, Kind: in.Kind, Received: now,
		State: store.StateQueued, Payload: payload}
}

// takeAlert stores one alert and queues its job when it is new or still
// queued. The API and the Graph poller both take alerts in through it.
func (s *Server) takeAlert(ctx context.Context, a store.Alert) (alertView, bool, error) {
	created, err := s.store.PutAlert(ctx, a)
	if err != nil {
		return alertView{}, false, err
	}
	if !created {
		if a, err = s.store.Alert(ctx, a.ID); err != nil {
			return alertView{}, false, err
		}
	}
	if a.State == store.StateQueued {
		if err := s.queue.Publish(ctx, a.ID); err != nil {
			return alertView{}, false, err
		}
	}
	if created {
		s.metrics.received.WithLabelValues("new").Inc()
		s.log.Info("alert queued", keyAlert, a.ID, keyUser, a.User)
	} else {
		s.metrics.received.WithLabelValues("duplicate").Inc()
	}
	v := viewAlert(a)
	v.Duplicate = !created
	return v, created, nil
}

func (s *Server) getAlert(w http.ResponseWriter, r *http.Request) {
	a, err := s.store.Alert(r.Context(), r.PathValue("id"))
	if errors.Is(err, store.ErrNotFound) {
		s.fail(w, r, http.StatusNotFound, "no alert has this id")
		return
	}
	if err != nil {
		s.log.Error("read alert failed", keyError, err)
		s.fail(w, r, http.StatusServiceUnavailable, "the store does not answer")
		return
	}
	writeJSON(w, http.StatusOK, viewAlert(a))
}
