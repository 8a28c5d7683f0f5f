package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
)

func (s *sqlStore) PutAlert(ctx context.Context, a Alert) (bool, error) {
	if a.State == "" {
		a.State = StateQueued
	}
	if a.Payload == nil {
		a.Payload = []byte{} // NOT NULL: an alert posted alone has no files
	}
	res, err := s.db.ExecContext(ctx, s.d.q(`INSERT INTO alerts
		(id, tenant, user_name, alert_id, kind, received_us, state, payload)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (id) DO NOTHING`),
		a.ID, a.Tenant, a.User, a.AlertID, a.Kind, micros(a.Received), a.State, a.Payload)
	if err != nil {
		return false, fmt.Errorf("put alert %s: %w", a.ID, err)
	}
	return affected(res)
}

func (s *sqlStore) Alert(ctx context.Context, id string) (Alert, error) {
	var a Alert
	var received int64
	err := s.db.QueryRowContext(ctx, s.d.q(`SELECT id, tenant, user_name, alert_id, kind,
		received_us, state, attempts, node, error, payload FROM alerts WHERE id = ?`), id).
		Scan(&a.ID, &a.Tenant, &a.User, &a.AlertID, &a.Kind, &received, &a.State,
			&a.Attempts, &a.Node, &a.Error, &a.Payload)
	if errors.Is(err, sql.ErrNoRows) {
		return Alert{}, fmt.Errorf("alert %s: %w", id, ErrNotFound)
	}
	if err != nil {
		return Alert{}, fmt.Errorf("read alert %s: %w", id, err)
	}
	a.Received = fromMicros(received)
	return a, nil
}

func (s *sqlStore) StartAttempt(ctx context.Context, id, node string) error {
	_, err := s.db.ExecContext(ctx, s.d.q(`UPDATE alerts SET attempts = attempts + 1,
		node = ? WHERE id = ?`), node, id)
	if err != nil {
		return fmt.Errorf("count attempt of alert %s: %w", id, err)
	}
	return nil
}

func (s *sqlStore) FailAlert(ctx context.Context, id, reason string) error {
	_, err := s.db.ExecContext(ctx, s.d.q(`UPDATE alerts SET state = ?, error = ?
		WHERE id = ? AND state <> ?`), StateFailed, reason, id, StateDone)
	if err != nil {
		return fmt.Errorf("fail alert %s: %w", id, err)
	}
	return nil
}

// affected turns a one-row insert's result into "did it insert".
func affected(res sql.Result) (bool, error) {
	n, err := res.RowsAffected()
	if err != nil {
		return false, err
	}
	return n > 0, nil
}
