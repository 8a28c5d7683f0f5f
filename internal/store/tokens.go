package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
)

func (s *sqlStore) PutToken(ctx context.Context, t Token) error {
	if !t.Role.Valid() {
		return fmt.Errorf("put token %s: role %q is not reader, analyst or admin",
			t.Name, t.Role)
	}
	res, err := s.db.ExecContext(ctx, s.d.q(`INSERT INTO tokens (name, hash, role, created_us)
		VALUES (?, ?, ?, ?) ON CONFLICT DO NOTHING`), t.Name, t.Hash, string(t.Role),
		micros(t.Created))
	if err != nil {
		return fmt.Errorf("put token %s: %w", t.Name, err)
	}
	created, err := affected(res)
	if err != nil {
		return fmt.Errorf("put token %s: %w", t.Name, err)
	}
	if !created {
		return fmt.Errorf("put token %s: %w", t.Name, ErrExists)
	}
	return nil
}

func (s *sqlStore) TokenByHash(ctx context.Context, hash string) (Token, error) {
	var t Token
	var created int64
	err := s.db.QueryRowContext(ctx, s.d.q(`SELECT name, hash, role, created_us FROM tokens
		WHERE hash = ?`), hash).Scan(&t.Name, &t.Hash, &t.Role, &created)
	if errors.Is(err, sql.ErrNoRows) {
		return Token{}, fmt.Errorf("token: %w", ErrNotFound)
	}
	if err != nil {
		return Token{}, fmt.Errorf("read token: %w", err)
	}
	t.Created = fromMicros(created)
	return t, nil
}

func (s *sqlStore) Tokens(ctx context.Context) ([]Token, error) {
	rows, err := s.db.QueryContext(ctx, `SELECT name, hash, role, created_us FROM tokens
		ORDER BY name`)
	if err != nil {
		return nil, fmt.Errorf("list tokens: %w", err)
	}
	defer rows.Close()
	out := []Token{}
	for rows.Next() {
		var t Token
		var created int64
		if err := rows.Scan(&t.Name, &t.Hash, &t.Role, &created); err != nil {
			return nil, fmt.Errorf("list tokens: %w", err)
		}
		t.Created = fromMicros(created)
		out = append(out, t)
	}
	return out, rows.Err()
}

func (s *sqlStore) DeleteToken(ctx context.Context, name string) error {
	res, err := s.db.ExecContext(ctx, s.d.q(`DELETE FROM tokens WHERE name = ?`), name)
	if err != nil {
		return fmt.Errorf("delete token %s: %w", name, err)
	}
	if ok, err := affected(res); err != nil || !ok {
		if err == nil {
			err = ErrNotFound
		}
		return fmt.Errorf("delete token %s: %w", name, err)
	}
	return nil
}
