package graph_test

import (
	"bytes"
	"context"
	"fmt"
	"log/slog"
	"strings"
	"testing"
	"time"

	"github.com/idtriage/idtriage/internal/graph"
	"github.com/idtriage/idtriage/internal/graph/graphtest"
	"github.com/idtriage/idtriage/internal/jsonx"
)

const hidden = "s3cr3t-value-never-shown"

// TestSecretRedactsItself prints, formats, logs and encodes a secret
// every way the code could, and finds the value nowhere.
func TestSecretRedactsItself(t *testing.T) {
	s := graph.NewSecret(hidden)
	auth := graph.Auth{Method: graph.AuthSecret, TenantID: "t", ClientID: "c", ClientSecret: s,
		CertificatePassword: s}
	var logs bytes.Buffer
	text := slog.New(slog.NewTextHandler(&logs, nil))
	jsonLog := slog.New(slog.NewJSONHandler(&logs, nil))
	text.Info("auth", "secret", s, "auth", auth)
	jsonLog.Info("auth", "secret", s, "auth", auth)
	encoded, err := jsonx.Marshal(auth)
	if err != nil {
		t.Fatal(err)
	}
	outputs := map[string]string{
		"%v": fmt.Sprintf("%v", s), "%s": fmt.Sprintf("%s", s), "%q": fmt.Sprintf("%q", s),
		"%#v": fmt.Sprintf("%#v", s), "%x": fmt.Sprintf("%x", s), "%+v auth": fmt.Sprintf("%+v", auth),
		"%#v auth": fmt.Sprintf("%#v", auth), "logs": logs.String(), "json": string(encoded),
	}
	for how, out := range outputs {
		if strings.Contains(out, hidden) {
			t.Errorf("%s shows the secret: %s", how, out)
		}
	}
	if !strings.Contains(logs.String(), "credential=secret") {
		t.Errorf("the log does not say which credential is used: %s", logs.String())
	}
	if s.Reveal() != hidden {
		t.Error("Reveal does not give the value back")
	}
}

// TestLogsCarryNoToken runs a pull with faults at debug level and checks
// that neither the client secret nor any token reached the log.
func TestLogsCarryNoToken(t *testing.T) {
	srv := graphtest.New(graphtest.Options{Seed: 3, Throttle: 0.2, ServerError: 0.1})
	defer srv.Close()
	if _, err := srv.Load(example); err != nil {
		t.Fatal(err)
	}
	now := time.Date(2026, 11, 18, 12, 0, 0, 0, time.UTC)
	var logs bytes.Buffer
	cfg := config(srv, newClock(now))
	cfg.Logger = slog.New(slog.NewTextHandler(&logs, &slog.HandlerOptions{Level: slog.LevelDebug}))
	w, _ := graph.ParseSince("30d", now)
	if _, err := newClient(t, cfg).Pull(context.Background(), "ana.reyes@example.com", w,
		t.TempDir()); err != nil {
		t.Fatal(err)
	}
	for _, leak := range []string{graphtest.ClientSecret, "fake-token-", "Bearer"} {
		if strings.Contains(logs.String(), leak) {
			t.Errorf("the log carries %q", leak)
		}
	}
	if !strings.Contains(logs.String(), "graph request retried") {
		t.Error("the log has no retry line; the test exercised nothing")
	}
}
