package graph_test

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"sync"
	"testing"
	"time"

	"github.com/idtriage/idtriage/internal/graph"
	"github.com/idtriage/idtriage/internal/graph/graphtest"
	"github.com/idtriage/idtriage/internal/ingest"
	"github.com/idtriage/idtriage/internal/investigate"
	"github.com/idtriage/idtriage/internal/report"
)

const (
	example = "../../examples/sspr-takeover"
	cases   = "../investigate/testdata/cases"
)

// clock is virtual time: it runs with the real clock, and a Sleep moves it
// on at once, so that Retry-After is honoured without waiting.
type clock struct {
	mu     sync.Mutex
	base   time.Time
	start  time.Time
	slept  time.Duration
	sleeps []time.Duration
}

func newClock(at time.Time) *clock { return &clock{base: at, start: time.Now()} }

func (c *clock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.base.Add(time.Since(c.start) + c.slept)
}

func (c *clock) Sleep(ctx context.Context, d time.Duration) error {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.slept += d
	c.sleeps = append(c.sleeps, d)
	return ctx.Err()
}

// config points a client at the fake with the fake's app registration.
func config(srv *graphtest.Server, clk *clock) graph.Config {
	return graph.Config{
		GraphHost: srv.GraphHost(), LoginHost: srv.LoginHost(), HTTPClient: srv.HTTPClient(),
		Auth: graph.Auth{Method: graph.AuthSecret, TenantID: graphtest.TenantID,
			ClientID: graphtest.ClientID, ClientSecret: graph.NewSecret(graphtest.ClientSecret)},
		Now: clk.Now, Sleep: clk.Sleep,
	}
}

func newClient(t *testing.T, cfg graph.Config) *graph.Client {
	t.Helper()
	c, err := graph.New(cfg)
	if err != nil {
		t.Fatal(err)
	}
	return c
}

// investigation renders the case of user over paths in both formats.
func investigation(t *testing.T, user string, paths ...string) (md, js string, set *ingest.Set) {
	t.Helper()
	set, err := ingest.Read(paths, ingest.Options{})
	if err != nil {
		t.Fatal(err)
	}
	cfg := investigate.DefaultConfig()
	cfg.User = user
	c, err := investigate.Run(set, cfg)
	if err != nil {
		t.Fatalf("investigate %v: %v", paths, err)
	}
	var m, j bytes.Buffer
	if err := report.Write(&m, c, "md"); err != nil {
		t.Fatal(err)
	}
	if err := report.Write(&j, c, "json"); err != nil {
		t.Fatal(err)
	}
	return m.String(), j.String(), set
}

var (
	timing = regexp.MustCompile(`(?m)^- This run took .*$|"wallTimeMs": [0-9.e+-]+`)
	// fileTable is the Markdown table of the files read; fileList the
	// JSON list. They name files, which a pull names its own way.
	fileTable = regexp.MustCompile(`(?m)^\| File \| Shape \|.*\n(^\|.*\n)*`)
	fileList  = regexp.MustCompile(`(?s)\n  "files": \[.*?\n  \],?`)
	// jsonText is the note that an export held nested fields as JSON text,
	// as Log Analytics does and Graph never does.
	jsonText     = regexp.MustCompile(`decoder warning, \d+x: [\w.\\]+: JSON text decoded`)
	jsonTextLine = regexp.MustCompile(`(?m)^- Input: ` + jsonText.String() + `\n`)
	noteList     = regexp.MustCompile(`(?s)"inputNotes": (\[\]|\[\n.*?\n  \])`)
)

// normalise removes what may differ between an investigation of pulled
// files and of the files they were served from: the run's wall time, the
// names and shapes of the files, and the notes on how the source export
// encoded nested fields. The findings, verdict, timeline and everything
// else must be the same bytes.
func normalise(s string) string {
	s = timing.ReplaceAllString(s, "<timing>")
	s = fileTable.ReplaceAllString(s, "<files>\n")
	s = fileList.ReplaceAllString(s, "\n  <files>")
	s = jsonTextLine.ReplaceAllString(s, "")
	return noteList.ReplaceAllStringFunc(s, func(list string) string {
		var notes, kept []string
		_ = json.Unmarshal([]byte(noteList.FindStringSubmatch(list)[1]), &notes)
		for _, n := range notes {
			if !jsonText.MatchString(n) {
				kept = append(kept, n)
			}
		}
		b, _ := json.Marshal(kept)
		return `"inputNotes": ` + string(b)
	})
}

// copyInto copies files into dir under their base names.
func copyInto(t *testing.T, dir string, files ...string) {
	t.Helper()
	for i, f := range files {
		b, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		name := fmt.Sprintf("%02d-%s", i, filepath.Base(f))
		if err := os.WriteFile(filepath.Join(dir, name), b, 0o644); err != nil {
			t.Fatal(err)
		}
	}
}
