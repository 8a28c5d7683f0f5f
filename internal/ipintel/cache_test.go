package ipintel

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/idtriage/idtriage/internal/entra"
)

func TestCacheTTL(t *testing.T) {
	ctx := context.Background()
	now := time.Date(2026, 11, 18, 9, 0, 0, 0, time.UTC)
	clock := func() time.Time { return now }
	path := filepath.Join(t.TempDir(), "sub", "ipdata.sqlite")

	c, err := openCache(ctx, path, DefaultTTL, clock)
	if err != nil {
		t.Fatal(err)
	}
	want := entra.IPInfo{IP: "186.2.128.77", CountryCode: "HN", ASN: 27884, VPNScore: 3}
	if err := c.put(ctx, want.IP, want); err != nil {
		t.Fatal(err)
	}
	c.close()

	// A second process (here: a second open) sees the answer.
	c, err = openCache(ctx, path, DefaultTTL, clock)
	if err != nil {
		t.Fatal(err)
	}
	defer c.close()
	tests := []struct {
		name  string
		after time.Duration
		hit   bool
	}{
		{"fresh", 0, true},
		{"six days later", 6 * 24 * time.Hour, true},
		{"a week later", 7 * 24 * time.Hour, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c.now = func() time.Time { return now.Add(tt.after) }
			got, ok, err := c.get(ctx, want.IP)
			if err != nil || ok != tt.hit {
				t.Fatalf("get = %v, %v; want hit %v", ok, err, tt.hit)
			}
			if ok && (got.CountryCode != "HN" || got.ASN != 27884 || got.VPNScore != 3) {
				t.Errorf("got %+v", got)
			}
		})
	}
	if _, ok, _ := c.get(ctx, "8.8.8.8"); ok {
		t.Error("hit for an address never stored")
	}
	if fi, err := os.Stat(filepath.Dir(path)); err != nil || fi.Mode().Perm() != 0o700 {
		t.Errorf("cache folder mode: %v %v", fi.Mode(), err)
	}
	if fi, err := os.Stat(path); err != nil || fi.Mode().Perm() != 0o600 {
		t.Errorf("cache file mode: %v %v", fi.Mode(), err)
	}
}

func TestCacheBadFiles(t *testing.T) {
	ctx := context.Background()
	garbage := writeFile(t, "garbage.sqlite", []byte(strings.Repeat("not sqlite ", 500)))
	if _, err := openCache(ctx, garbage, DefaultTTL, time.Now); err == nil ||
		!strings.Contains(err.Error(), "open IPData cache "+garbage) {
		t.Errorf("garbage file: %v", err)
	}

	newer := filepath.Join(t.TempDir(), "newer.sqlite")
	c, err := openCache(ctx, newer, DefaultTTL, time.Now)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := c.db.Exec("PRAGMA user_version = 99"); err != nil {
		t.Fatal(err)
	}
	c.close()
	if _, err := openCache(ctx, newer, DefaultTTL, time.Now); err == nil ||
		!strings.Contains(err.Error(), "schema version 99 is newer") {
		t.Errorf("newer schema: %v", err)
	}
}
