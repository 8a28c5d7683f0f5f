package store

import (
	"database/sql"
	"strconv"
	"strings"
)

// dialect is what differs between the backends: how to connect, the
// placeholder syntax, the schema's types, and how to serialise migrations.
type dialect struct {
	name string
	open func(addr string) (*sql.DB, error)
	// dollar turns ? placeholders into $1, $2, ... (PostgreSQL).
	dollar bool
	schema []string
	// lock, when set, runs first in the migration transaction.
	lock string
}

var sqlite = dialect{
	name:   "sqlite",
	open:   openSQLite,
	schema: schemaFor("BLOB", "INTEGER PRIMARY KEY AUTOINCREMENT"),
}

// postgresLock is an arbitrary constant: the advisory lock that keeps
// nodes starting together from creating the schema twice.
const postgresLock = 7_210_431

var postgres = dialect{
	name:   "postgres",
	open:   openPostgres,
	dollar: true,
	schema: schemaFor("BYTEA", "BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY"),
	lock:   "SELECT pg_advisory_xact_lock(" + strconv.Itoa(postgresLock) + ")",
}

// q rewrites a query written with ? placeholders for the dialect. Queries
// hold no literal question marks.
func (d dialect) q(query string) string {
	if !d.dollar {
		return query
	}
	var b strings.Builder
	n := 0
	for _, r := range query {
		if r == '?' {
			n++
			b.WriteString("$" + strconv.Itoa(n))
			continue
		}
		b.WriteRune(r)
	}
	return b.String()
}

// schemaFor is version 1 of the schema, with the two types that differ.
func schemaFor(blob, serial string) []string {
	return []string{
		`CREATE TABLE IF NOT EXISTS alerts (
			id TEXT PRIMARY KEY,
			tenant TEXT NOT NULL,
			user_name TEXT NOT NULL,
			alert_id TEXT NOT NULL,
			kind TEXT NOT NULL,
			received_us BIGINT NOT NULL,
			state TEXT NOT NULL,
			attempts INTEGER NOT NULL DEFAULT 0,
			node TEXT NOT NULL DEFAULT '',
			error TEXT NOT NULL DEFAULT '',
			payload ` + blob + ` NOT NULL)`,
		`CREATE TABLE IF NOT EXISTS cases (
			id TEXT PRIMARY KEY,
			tenant TEXT NOT NULL,
			user_name TEXT NOT NULL,
			alert_id TEXT NOT NULL,
			received_us BIGINT NOT NULL,
			created_us BIGINT NOT NULL,
			node TEXT NOT NULL,
			label TEXT NOT NULL,
			disposition TEXT NOT NULL,
			outcome TEXT NOT NULL,
			confidence TEXT NOT NULL,
			rule TEXT NOT NULL,
			summary TEXT NOT NULL,
			duration_us BIGINT NOT NULL,
			records TEXT NOT NULL,
			report_json ` + blob + ` NOT NULL,
			report_md ` + blob + ` NOT NULL,
			report_html ` + blob + ` NOT NULL)`,
		`CREATE INDEX IF NOT EXISTS cases_user ON cases (tenant, user_name, created_us)`,
		`CREATE INDEX IF NOT EXISTS cases_created ON cases (created_us)`,
		`CREATE TABLE IF NOT EXISTS decisions (
			id ` + serial + `,
			case_id TEXT NOT NULL REFERENCES cases (id),
			analyst TEXT NOT NULL,
			action TEXT NOT NULL,
			label TEXT NOT NULL,
			note TEXT NOT NULL,
			created_us BIGINT NOT NULL)`,
		`CREATE INDEX IF NOT EXISTS decisions_case ON decisions (case_id, id)`,
		`CREATE TABLE IF NOT EXISTS tokens (
			name TEXT PRIMARY KEY,
			hash TEXT NOT NULL UNIQUE,
			role TEXT NOT NULL,
			created_us BIGINT NOT NULL)`,
	}
}
