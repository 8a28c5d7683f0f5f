package store

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"time"
)

// caseColumns are the columns of a case without its reports.
const caseColumns = `c.id, c.tenant, c.user_name, c.alert_id, c.received_us, c.created_us,
	c.node, c.label, c.disposition, c.outcome, c.confidence, c.rule, c.summary,
	c.duration_us, c.records`

func (s *sqlStore) PutCase(ctx context.Context, c Case) (bool, error) {
	records, err := json.Marshal(nonNil(c.Records))
	if err != nil {
		return false, fmt.Errorf("put case %s: %w", c.ID, err)
	}
	var reports [3][]byte
	for i, r := range [][]byte{c.JSON, c.Markdown, c.HTML} {
		if reports[i], err = pack(r); err != nil {
			return false, fmt.Errorf("put case %s: compress report: %w", c.ID, err)
		}
	}

	var created bool
	err = s.tx(ctx, func(tx *sql.Tx) error {
		res, err := tx.ExecContext(ctx, s.d.q(`INSERT INTO cases (id, tenant, user_name,
			alert_id, received_us, created_us, node, label, disposition, outcome, confidence,
			rule, summary, duration_us, records, report_json, report_md, report_html)
			VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
			ON CONFLICT (id) DO NOTHING`),
			c.ID, c.Tenant, c.User, c.AlertID, micros(c.Received), micros(c.Created), c.Node,
			c.Label, c.Disposition, c.Outcome, c.Confidence, c.Rule, c.Summary,
			c.Duration.Microseconds(), string(records), reports[0], reports[1], reports[2])
		if err != nil {
			return err
		}
		if created, err = affected(res); err != nil || !created {
			return err
		}
		_, err = tx.ExecContext(ctx, s.d.q(`UPDATE alerts SET state = ?, error = ''
			WHERE id = ?`), StateDone, c.ID)
		return err
	})
	if err != nil {
		return false, fmt.Errorf("put case %s: %w", c.ID, err)
	}
	return created, nil
}

func (s *sqlStore) Case(ctx context.Context, id string) (Case, error) {
	row := s.db.QueryRowContext(ctx, s.d.q(`SELECT `+caseColumns+`,
		c.report_json, c.report_md, c.report_html FROM cases c WHERE c.id = ?`), id)
	var reports [3][]byte
	c, err := scanCase(row, &reports[0], &reports[1], &reports[2])
	if errors.Is(err, sql.ErrNoRows) {
		return Case{}, fmt.Errorf("case %s: %w", id, ErrNotFound)
	}
	if err != nil {
		return Case{}, fmt.Errorf("read case %s: %w", id, err)
	}
	for i, dst := range []*[]byte{&c.JSON, &c.Markdown, &c.HTML} {
		if *dst, err = unpack(reports[i]); err != nil {
			return Case{}, fmt.Errorf("read case %s: decompress report: %w", id, err)
		}
	}
	ds, err := s.decisions(ctx, []string{id})
	if err != nil {
		return Case{}, err
	}
	c.Decisions = ds[id]
	c.Latest = latest(c.Decisions)
	return c, nil
}

func (s *sqlStore) Cases(ctx context.Context, f Filter) ([]Case, error) {
	var where []string
	var args []any
	add := func(cond string, v any) {
		where = append(where, cond)
		args = append(args, v)
	}
	if f.Tenant != "" {
		add("c.tenant = ?", f.Tenant)
	}
	if f.User != "" {
		add("c.user_name = ?", f.User)
	}
	if f.Disposition != "" {
		add("c.disposition = ?", f.Disposition)
	}
	if f.Confidence != "" {
		add("c.confidence = ?", f.Confidence)
	}
	if !f.Since.IsZero() {
		add("c.created_us >= ?", micros(f.Since))
	}
	if !f.Until.IsZero() {
		add("c.created_us < ?", micros(f.Until))
	}
	query := `SELECT ` + caseColumns + ` FROM cases c`
	if len(where) > 0 {
		query += " WHERE " + strings.Join(where, " AND ")
	}
	query += " ORDER BY c.created_us DESC, c.id LIMIT ? OFFSET ?"
	args = append(args, pageSize(f.Limit), max(f.Offset, 0))

	cases, err := s.queryCases(ctx, query, args...)
	if err != nil {
		return nil, fmt.Errorf("list cases: %w", err)
	}
	return cases, s.attachDecisions(ctx, cases, true)
}

func (s *sqlStore) History(ctx context.Context, tenant, user string, before time.Time,
	limit int) ([]Case, error) {
	cases, err := s.queryCases(ctx, `SELECT `+caseColumns+` FROM cases c
		WHERE c.tenant = ? AND c.user_name = ? AND c.created_us < ?
		ORDER BY c.created_us DESC, c.id LIMIT ?`, tenant, user, micros(before), pageSize(limit))
	if err != nil {
		return nil, fmt.Errorf("history of %s: %w", user, err)
	}
	for i, j := 0, len(cases)-1; i < j; i, j = i+1, j-1 {
		cases[i], cases[j] = cases[j], cases[i]
	}
	return cases, s.attachDecisions(ctx, cases, false)
}

// queryCases runs a query selecting caseColumns.
func (s *sqlStore) queryCases(ctx context.Context, query string, args ...any) ([]Case, error) {
	rows, err := s.db.QueryContext(ctx, s.d.q(query), args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	cases := []Case{}
	for rows.Next() {
		c, err := scanCase(rows)
		if err != nil {
			return nil, err
		}
		cases = append(cases, c)
	}
	return cases, rows.Err()
}

// scanCase reads caseColumns, then any extra destinations.
func scanCase(row interface{ Scan(...any) error }, extra ...any) (Case, error) {
	var c Case
	var received, created, dur int64
	var records string
	dst := []any{&c.ID, &c.Tenant, &c.User, &c.AlertID, &received, &created, &c.Node,
		&c.Label, &c.Disposition, &c.Outcome, &c.Confidence, &c.Rule, &c.Summary, &dur,
		&records}
	if err := row.Scan(append(dst, extra...)...); err != nil {
		return Case{}, err
	}
	c.Received, c.Created = fromMicros(received), fromMicros(created)
	c.Duration = time.Duration(dur) * time.Microsecond
	if err := json.Unmarshal([]byte(records), &c.Records); err != nil {
		return Case{}, fmt.Errorf("case %s: records: %w", c.ID, err)
	}
	return c, nil
}

// attachDecisions loads the decisions of cases: only the latest when
// onlyLatest, else all of them as well.
func (s *sqlStore) attachDecisions(ctx context.Context, cases []Case, onlyLatest bool) error {
	ids := make([]string, len(cases))
	for i, c := range cases {
		ids[i] = c.ID
	}
	ds, err := s.decisions(ctx, ids)
	if err != nil {
		return err
	}
	for i := range cases {
		d := ds[cases[i].ID]
		cases[i].Latest = latest(d)
		if !onlyLatest {
			cases[i].Decisions = d
		}
	}
	return nil
}

func pageSize(n int) int {
	switch {
	case n <= 0:
		return DefaultLimit
	case n > MaxLimit:
		return MaxLimit
	}
	return n
}

func nonNil[T any](s []T) []T {
	if s == nil {
		return []T{}
	}
	return s
}
