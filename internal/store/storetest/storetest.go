// Package storetest gives tests a store of their own: a SQLite file in a
// temporary folder, or a fresh schema on the PostgreSQL server of the test
// machine, dropped when the test ends, so that runs never collide.
//
// PostgreSQL is found at IDTRIAGE_TEST_POSTGRES, by default
// postgres://postgres@127.0.0.1:5432/test?sslmode=disable. When it does not
// answer, a test fails under CI (CI=true) and is skipped elsewhere.
package storetest

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"fmt"
	"net/url"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/idtriage/idtriage/internal/store"
)

// DefaultPostgres is the test server's address when IDTRIAGE_TEST_POSTGRES
// is unset.
const DefaultPostgres = "postgres://postgres@127.0.0.1:5432/test?sslmode=disable"

// SQLite returns the address of a new SQLite file in a temporary folder.
func SQLite(t testing.TB) string {
	t.Helper()
	return filepath.Join(t.TempDir(), "cases.db")
}

// Postgres creates a fresh schema and returns an address whose connections
// use it; the schema is dropped when the test ends.
func Postgres(t testing.TB) string {
	t.Helper()
	base := os.Getenv("IDTRIAGE_TEST_POSTGRES")
	if base == "" {
		base = DefaultPostgres
	}
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	conn, err := pgx.Connect(ctx, base)
	if err != nil {
		Unreachable(t, "PostgreSQL", base, err)
	}
	defer conn.Close(ctx)

	schema := "t_" + random()
	if _, err := conn.Exec(ctx, "CREATE SCHEMA "+schema); err != nil {
		t.Fatalf("create schema %s: %v", schema, err)
	}
	t.Cleanup(func() { dropSchema(t, base, schema) })

	u, err := url.Parse(base)
	if err != nil {
		t.Fatalf("parse %s: %v", base, err)
	}
	q := u.Query()
	q.Set("search_path", schema)
	u.RawQuery = q.Encode()
	return u.String()
}

// Open opens the store at addr and closes it when the test ends.
func Open(t testing.TB, addr string) store.Store {
	t.Helper()
	s, err := store.Open(context.Background(), addr, nil)
	if err != nil {
		t.Fatalf("open store: %v", err)
	}
	t.Cleanup(func() { s.Close() })
	return s
}

// Unreachable fails the test under CI, where .ci/run starts every service,
// and skips it elsewhere with a message that says what is missing.
func Unreachable(t testing.TB, service, addr string, err error) {
	t.Helper()
	msg := fmt.Sprintf("%s at %s does not answer: %v", service, addr, err)
	if os.Getenv("CI") == "true" {
		t.Fatalf("%s (CI=true: .ci/run must start it)", msg)
	}
	t.Skipf("%s; start it to run this test", msg)
}

func dropSchema(t testing.TB, base, schema string) {
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	conn, err := pgx.Connect(ctx, base)
	if err != nil {
		t.Logf("drop schema %s: %v", schema, err)
		return
	}
	defer conn.Close(ctx)
	if _, err := conn.Exec(ctx, "DROP SCHEMA "+schema+" CASCADE"); err != nil {
		t.Logf("drop schema %s: %v", schema, err)
	}
}

// random returns 12 hex characters for unique names.
func random() string {
	b := make([]byte, 6)
	rand.Read(b)
	return hex.EncodeToString(b)
}
