package ipintel

import (
	"context"
	"database/sql"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"time"

	// The pure-Go SQLite driver: no cgo, so the binary stays static.
	_ "modernc.org/sqlite"

	"github.com/idtriage/idtriage/internal/entra"
	"github.com/idtriage/idtriage/internal/jsonx"
)

// DefaultTTL is how long a cached API answer is used before the address is
// asked again.
const DefaultTTL = 7 * 24 * time.Hour

// cacheVersion is the schema version kept in PRAGMA user_version; a file
// made by a newer idtriage is refused rather than misread.
const cacheVersion = 1

const cacheSchema = `
CREATE TABLE IF NOT EXISTS ipdata_answers (
	ip      TEXT PRIMARY KEY,
	answer  TEXT NOT NULL,   -- entra.IPInfo as JSON
	fetched INTEGER NOT NULL -- Unix seconds
)`

// answerCache keeps IPData answers on disk so that no address is asked
// twice within the time to live. Several processes may share one file.
type answerCache struct {
	db   *sql.DB
	path string
	ttl  time.Duration
	now  func() time.Time
}

// openCache opens or creates the cache file, and its folder (private to
// the user: the answers say which addresses were investigated).
func openCache(ctx context.Context, path string, ttl time.Duration,
	now func() time.Time) (*answerCache, error) {
	if err := os.MkdirAll(filepath.Dir(path), 0o700); err != nil {
		return nil, fmt.Errorf("open IPData cache %s: %w", path, err)
	}
	// Create the file readable by its owner only; SQLite gives its journal
	// files the same mode.
	f, err := os.OpenFile(path, os.O_RDWR|os.O_CREATE, 0o600)
	if err != nil {
		return nil, fmt.Errorf("open IPData cache %s: %w", path, err)
	}
	f.Close()
	dsn := "file:" + path + "?_pragma=busy_timeout(5000)&_pragma=journal_mode(WAL)"
	db, err := sql.Open("sqlite", dsn)
	if err != nil {
		return nil, fmt.Errorf("open IPData cache %s: %w", path, err)
	}
	// One connection: SQLite serialises writers anyway, and this keeps
	// goroutines of one process from failing with "database is locked".
	db.SetMaxOpenConns(1)

	if err := initCache(ctx, db); err != nil {
		db.Close()
		return nil, fmt.Errorf("open IPData cache %s: %w", path, err)
	}
	return &answerCache{db: db, path: path, ttl: ttl, now: now}, nil
}

func initCache(ctx context.Context, db *sql.DB) error {
	var v int
	if err := db.QueryRowContext(ctx, "PRAGMA user_version").Scan(&v); err != nil {
		return err
	}
	if v > cacheVersion {
		return fmt.Errorf("schema version %d is newer than this idtriage knows (%d)", v,
			cacheVersion)
	}
	if _, err := db.ExecContext(ctx, cacheSchema); err != nil {
		return err
	}
	_, err := db.ExecContext(ctx, fmt.Sprintf("PRAGMA user_version = %d", cacheVersion))
	return err
}

// getMany returns the cached answers younger than the time to live for
// the addresses in ips, in one query per chunk rather than one per address.
func (c *answerCache) getMany(ctx context.Context, ips []string) (map[string]entra.IPInfo,
	error) {
	out := make(map[string]entra.IPInfo, len(ips))
	const chunk = 500 // below SQLite's limit on bound parameters
	for start := 0; start < len(ips); start += chunk {
		part := ips[start:min(start+chunk, len(ips))]
		if err := c.readChunk(ctx, part, out); err != nil {
			return out, fmt.Errorf("read IPData cache %s: %w", c.path, err)
		}
	}
	return out, nil
}

func (c *answerCache) readChunk(ctx context.Context, ips []string,
	out map[string]entra.IPInfo) error {
	args := make([]any, 0, len(ips)+1)
	args = append(args, c.now().Add(-c.ttl).Unix())
	for _, ip := range ips {
		args = append(args, ip)
	}
	q := "SELECT ip, answer FROM ipdata_answers WHERE fetched > ? AND ip IN (?" +
		strings.Repeat(", ?", len(ips)-1) + ")"
	rows, err := c.db.QueryContext(ctx, q, args...)
	if err != nil {
		return err
	}
	defer rows.Close()
	for rows.Next() {
		var ip, text string
		if err := rows.Scan(&ip, &text); err != nil {
			return err
		}
		var info entra.IPInfo
		if err := jsonx.Unmarshal([]byte(text), &info); err != nil {
			return fmt.Errorf("answer for %s: %w", ip, err)
		}
		out[ip] = info
	}
	return rows.Err()
}

// get returns the cached answer for ip when one younger than the time to
// live exists.
func (c *answerCache) get(ctx context.Context, ip string) (entra.IPInfo, bool, error) {
	m, err := c.getMany(ctx, []string{ip})
	info, ok := m[ip]
	return info, ok, err
}

// put stores a fresh answer for ip, replacing an older one.
func (c *answerCache) put(ctx context.Context, ip string, info entra.IPInfo) error {
	text, err := jsonx.Marshal(info)
	if err != nil {
		return fmt.Errorf("write IPData cache for %s: %w", ip, err)
	}
	_, err = c.db.ExecContext(ctx,
		"INSERT OR REPLACE INTO ipdata_answers (ip, answer, fetched) VALUES (?, ?, ?)",
		ip, string(text), c.now().Unix())
	if err != nil {
		return fmt.Errorf("write IPData cache for %s: %w", ip, err)
	}
	return nil
}

func (c *answerCache) close() error {
	return c.db.Close()
}
