package server

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"time"

	"github.com/idtriage/idtriage/internal/graph"
	"github.com/idtriage/idtriage/internal/store"
)

// take takes one flag in as an alert, through the path a post takes: the
// same intake reads the riskyUser, so a flag polled and also posted (with
// the same tenant) is one case. A flag the store holds already is not
// pulled again; its job is queued again only while it is still queued,
// which heals a poll cut between storing the alert and queueing it.
func (p *poller) take(ctx context.Context, u graph.RiskyUser) (created bool, err error) {
	body, err := alertBody(u)
	if err != nil {
		return false, &pollError{reason: reasonRecord, err: err}
	}
	ins, err := findAlerts(body)
	if err != nil {
		return false, &pollError{reason: reasonRecord,
			err: fmt.Errorf("risky user %s: %w", u.ID, err)}
	}
	in := ins[0]
	id := store.Key(p.cfg.Tenant, in.User, in.AlertID)
	switch a, err := p.s.store.Alert(ctx, id); {
	case err == nil && a.State == store.StateQueued:
		return false, intakeFailure(p.s.queue.Publish(ctx, id))
	case err == nil:
		p.log.Debug("flag already taken in", keyAlert, id, keyUser, in.User)
		return false, nil
	case !errors.Is(err, store.ErrNotFound):
		return false, intakeFailure(fmt.Errorf("read alert %s: %w", id, err))
	}

	files, err := p.evidence(ctx, u, body)
	if err != nil {
		return false, err
	}
	data, err := encodePayload(payload{Files: files})
	if err != nil {
		return false, &pollError{reason: reasonOther, err: err}
	}
	_, created, err = p.s.takeAlert(ctx, newAlert(p.cfg.Tenant, in, data, time.Now().UTC()))
	return created, intakeFailure(err)
}

// alertBody is the riskyUser as Graph sent it, or made of its fields.
func alertBody(u graph.RiskyUser) ([]byte, error) {
	if len(u.Raw) > 0 {
		return u.Raw, nil
	}
	v := map[string]string{"id": u.ID, "userPrincipalName": u.UserPrincipalName,
		"riskLevel": u.RiskLevel, "riskState": u.RiskState, "riskDetail": u.RiskDetail}
	if !u.RiskLastUpdated.IsZero() {
		v["riskLastUpdatedDateTime"] = u.RiskLastUpdated.UTC().Format(time.RFC3339Nano)
	}
	b, err := json.Marshal(v)
	if err != nil {
		return nil, fmt.Errorf("risky user %s: %w", u.ID, err)
	}
	return b, nil
}

// evidence pulls the user's records over the window ending now, as
// investigate --graph does, and returns them as the files of the alert's
// payload, the alert itself first. A pull cut short by its budget is kept:
// the case then says which sources were not read to their end.
func (p *poller) evidence(ctx context.Context, u graph.RiskyUser, alert []byte) ([]file,
	error) {
	dir, err := os.MkdirTemp("", "idtriage-poll-*")
	if err != nil {
		return nil, &pollError{reason: reasonOther, err: fmt.Errorf("pull: %w", err)}
	}
	defer os.RemoveAll(dir)
	end := p.cfg.Now().UTC().Truncate(time.Second)
	w := graph.Window{Start: end.Add(-p.cfg.Window), End: end}
	rep, err := p.cfg.Graph.Pull(ctx, u.UserPrincipalName, w, dir)
	if err != nil {
		return nil, graphFailure(fmt.Errorf("pull %s: %w", u.UserPrincipalName, err))
	}
	if rep != nil && rep.Partial() {
		p.log.Warn("graph export partial; the case says what was not read",
			keyUser, u.UserPrincipalName, keyReason, rep.Reason)
	}

	files := []file{{Name: "alert.json", Data: alert}}
	entries, err := os.ReadDir(dir)
	if err != nil {
		return nil, &pollError{reason: reasonOther, err: fmt.Errorf("pull: %w", err)}
	}
	for _, e := range entries {
		// The hidden manifest is not a record; ingest skips it in a folder.
		if e.IsDir() || strings.HasPrefix(e.Name(), ".") {
			continue
		}
		data, err := os.ReadFile(filepath.Join(dir, e.Name()))
		if err != nil {
			return nil, &pollError{reason: reasonOther, err: fmt.Errorf("pull: %w", err)}
		}
		files = append(files, file{Name: "graph/" + e.Name(), Data: data})
	}
	slices.SortFunc(files[1:], func(a, b file) int { return strings.Compare(a.Name, b.Name) })
	return files, nil
}
