package store

import (
	"context"
	"fmt"
	"strings"
)

func (s *sqlStore) AddDecision(ctx context.Context, d Decision) (Decision, error) {
	var n int
	err := s.db.QueryRowContext(ctx, s.d.q(`SELECT COUNT(*) FROM cases WHERE id = ?`),
		d.CaseID).Scan(&n)
	if err != nil {
		return Decision{}, fmt.Errorf("decide case %s: %w", d.CaseID, err)
	}
	if n == 0 {
		return Decision{}, fmt.Errorf("decide case %s: %w", d.CaseID, ErrNotFound)
	}
	err = s.db.QueryRowContext(ctx, s.d.q(`INSERT INTO decisions
		(case_id, analyst, action, label, note, created_us) VALUES (?, ?, ?, ?, ?, ?)
		RETURNING id`), d.CaseID, d.Analyst, d.Action, d.Label, d.Note, micros(d.Time)).
		Scan(&d.ID)
	if err != nil {
		return Decision{}, fmt.Errorf("decide case %s: %w", d.CaseID, err)
	}
	s.log.Debug("decision stored", keyCase, d.CaseID)
	return d, nil
}

// decisions returns the decisions on the given cases, oldest first, by
// case id. A list of ids of any length is read in chunks.
func (s *sqlStore) decisions(ctx context.Context, ids []string) (map[string][]Decision,
	error) {
	out := map[string][]Decision{}
	const chunk = 500
	for len(ids) > 0 {
		n := min(chunk, len(ids))
		if err := s.decisionsOf(ctx, ids[:n], out); err != nil {
			return nil, err
		}
		ids = ids[n:]
	}
	return out, nil
}

func (s *sqlStore) decisionsOf(ctx context.Context, ids []string,
	out map[string][]Decision) error {
	args := make([]any, len(ids))
	for i, id := range ids {
		args[i] = id
	}
	marks := strings.TrimSuffix(strings.Repeat("?, ", len(ids)), ", ")
	rows, err := s.db.QueryContext(ctx, s.d.q(`SELECT id, case_id, analyst, action,
		label, note, created_us FROM decisions WHERE case_id IN (`+marks+`)
		ORDER BY created_us, id`), args...)
	if err != nil {
		return fmt.Errorf("read decisions: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		var d Decision
		var at int64
		if err := rows.Scan(&d.ID, &d.CaseID, &d.Analyst, &d.Action, &d.Label, &d.Note,
			&at); err != nil {
			return fmt.Errorf("read decisions: %w", err)
		}
		d.Time = fromMicros(at)
		out[d.CaseID] = append(out[d.CaseID], d)
	}
	return rows.Err()
}

// latest returns the last decision, or nil.
func latest(ds []Decision) *Decision {
	if len(ds) == 0 {
		return nil
	}
	d := ds[len(ds)-1]
	return &d
}
