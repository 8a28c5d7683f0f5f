package store

import (
	"context"
	"database/sql"
	"fmt"
	"log/slog"
	"os"
	"path/filepath"
	"strings"

	// Drivers: pgx for PostgreSQL and modernc's pure-Go SQLite, both
	// behind database/sql so one implementation serves both.
	_ "github.com/jackc/pgx/v5/stdlib"
	_ "modernc.org/sqlite"
)

// Open connects to the store at addr and creates the schema when it is
// missing. An addr starting with postgres:// or postgresql:// is a
// PostgreSQL connection string (pgx syntax; a search_path parameter selects
// the schema); anything else is the path of a SQLite file, created with its
// folder when absent. log may be nil.
func Open(ctx context.Context, addr string, log *slog.Logger) (Store, error) {
	if log == nil {
		log = slog.New(slog.DiscardHandler)
	}
	d := dialectFor(addr)
	db, err := d.open(addr)
	if err != nil {
		return nil, fmt.Errorf("open %s store: %w", d.name, err)
	}
	s := &sqlStore{db: db, d: d, log: log.With(keyBackend, d.name)}
	if err := s.migrate(ctx); err != nil {
		db.Close()
		return nil, fmt.Errorf("open %s store: %w", d.name, err)
	}
	s.log.Debug("store open")
	return s, nil
}

// IsPostgres reports whether addr names a PostgreSQL server.
func IsPostgres(addr string) bool {
	return strings.HasPrefix(addr, "postgres://") || strings.HasPrefix(addr, "postgresql://")
}

func dialectFor(addr string) dialect {
	if IsPostgres(addr) {
		return postgres
	}
	return sqlite
}

// openSQLite opens the file with a busy timeout and write-ahead logging,
// on one connection: SQLite admits one writer, and one connection turns
// contention into waiting instead of "database is locked" errors.
func openSQLite(path string) (*sql.DB, error) {
	path = strings.TrimPrefix(path, "sqlite:")
	if dir := filepath.Dir(path); dir != "" {
		if err := os.MkdirAll(dir, 0o700); err != nil {
			return nil, err
		}
	}
	dsn := "file:" + path + "?_pragma=busy_timeout(10000)&_pragma=journal_mode(WAL)" +
		"&_pragma=foreign_keys(1)&_pragma=synchronous(NORMAL)"
	db, err := sql.Open("sqlite", dsn)
	if err != nil {
		return nil, err
	}
	db.SetMaxOpenConns(1)
	return db, nil
}

func openPostgres(addr string) (*sql.DB, error) {
	db, err := sql.Open("pgx", addr)
	if err != nil {
		return nil, err
	}
	db.SetMaxOpenConns(16)
	db.SetMaxIdleConns(16)
	return db, nil
}
