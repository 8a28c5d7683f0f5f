package store

import (
	"bytes"
	"compress/gzip"
	"context"
	"database/sql"
	"fmt"
	"io"
	"log/slog"
	"sync"
	"time"
)

// schemaVersion is the version the schema list of each dialect builds.
const schemaVersion = 1

// sqlStore is the one implementation of Store, over database/sql; the
// dialect carries what differs between SQLite and PostgreSQL.
type sqlStore struct {
	db  *sql.DB
	d   dialect
	log *slog.Logger
}

func (s *sqlStore) Kind() string { return s.d.name }

func (s *sqlStore) Ping(ctx context.Context) error {
	if err := s.db.PingContext(ctx); err != nil {
		return fmt.Errorf("ping %s store: %w", s.d.name, err)
	}
	return nil
}

func (s *sqlStore) Close() error { return s.db.Close() }

// migrate creates the tables in one transaction and records the version.
func (s *sqlStore) migrate(ctx context.Context) error {
	return s.tx(ctx, func(tx *sql.Tx) error {
		if s.d.lock != "" {
			if _, err := tx.ExecContext(ctx, s.d.lock); err != nil {
				return fmt.Errorf("lock schema: %w", err)
			}
		}
		for _, stmt := range s.d.schema {
			if _, err := tx.ExecContext(ctx, stmt); err != nil {
				return fmt.Errorf("create schema: %w", err)
			}
		}
		return s.setVersion(ctx, tx)
	})
}

func (s *sqlStore) setVersion(ctx context.Context, tx *sql.Tx) error {
	if _, err := tx.ExecContext(ctx,
		`CREATE TABLE IF NOT EXISTS schema_version (version INTEGER NOT NULL)`); err != nil {
		return fmt.Errorf("create schema_version: %w", err)
	}
	var v int
	err := tx.QueryRowContext(ctx, `SELECT version FROM schema_version`).Scan(&v)
	switch {
	case err == sql.ErrNoRows:
		_, err = tx.ExecContext(ctx, s.d.q(`INSERT INTO schema_version (version) VALUES (?)`),
			schemaVersion)
		return err
	case err != nil:
		return fmt.Errorf("read schema version: %w", err)
	case v > schemaVersion:
		return fmt.Errorf("schema version %d is newer than this binary's %d", v, schemaVersion)
	}
	return nil
}

// tx runs fn in a transaction, committing when it returns nil.
func (s *sqlStore) tx(ctx context.Context, fn func(*sql.Tx) error) error {
	tx, err := s.db.BeginTx(ctx, nil)
	if err != nil {
		return err
	}
	if err := fn(tx); err != nil {
		tx.Rollback()
		return err
	}
	return tx.Commit()
}

// micros and fromMicros store times as microseconds since the epoch, UTC;
// the zero time is stored as 0.
func micros(t time.Time) int64 {
	if t.IsZero() {
		return 0
	}
	return t.UnixMicro()
}

func fromMicros(us int64) time.Time {
	if us == 0 {
		return time.Time{}
	}
	return time.UnixMicro(us).UTC()
}

// gzips reuses compressors: a new one allocates about a megabyte, which
// dominated the cost of committing a case.
var gzips = sync.Pool{New: func() any {
	zw, _ := gzip.NewWriterLevel(nil, gzip.BestSpeed)
	return zw
}}

// pack compresses a report for storage; unpack reverses it. Reports are
// repetitive HTML and JSON, so the fastest level already shrinks them
// several times over.
func pack(b []byte) ([]byte, error) {
	var buf bytes.Buffer
	zw := gzips.Get().(*gzip.Writer)
	defer gzips.Put(zw)
	zw.Reset(&buf)
	if _, err := zw.Write(b); err != nil {
		return nil, err
	}
	if err := zw.Close(); err != nil {
		return nil, err
	}
	return buf.Bytes(), nil
}

func unpack(b []byte) ([]byte, error) {
	if len(b) == 0 {
		return nil, nil
	}
	zr, err := gzip.NewReader(bytes.NewReader(b))
	if err != nil {
		return nil, err
	}
	return io.ReadAll(zr)
}
