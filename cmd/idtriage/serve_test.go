package main

import (
	"bytes"
	"context"
	"encoding/json"
	"net"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

func TestServeUsageErrors(t *testing.T) {
	tests := []struct {
		name string
		args []string
		env  map[string]string
		says string
	}{
		{"no workers", []string{"serve", "--workers", "0"}, nil, "--workers"},
		{"queue not NATS", []string{"serve", "--queue", "http://127.0.0.1:4222"}, nil,
			"--queue"},
		{"store of another kind", []string{"serve", "--store", "mysql://db/cases"}, nil,
			"--store"},
		{"bad environment", []string{"serve"}, map[string]string{"IDTRIAGE_WORKERS": "many"},
			"IDTRIAGE_WORKERS"},
		{"arguments", []string{"serve", "extra"}, nil, "unknown command"},
		{"bad role", []string{"serve", "token", "add", "bob", "--role", "root"}, nil,
			"--role"},
		{"poll interval too short", []string{"serve", "--poll-graph", "--poll-interval",
			"1s"}, nil, "--poll-interval must be at least 10s"},
		{"poll overlap too short", []string{"serve", "--poll-graph", "--poll-overlap",
			"10s"}, nil, "--poll-overlap must be at least 1m"},
		{"poll window past the retention", []string{"serve", "--poll-graph",
			"--poll-since", "40d"}, nil, "--poll-since must be at most 30d"},
		{"poll window as a date", []string{"serve", "--poll-graph", "--poll-since",
			"2026-11-01"}, nil, "--poll-since"},
		{"Graph flag without polling", []string{"serve", "--tenant", "t1"}, nil,
			"--tenant needs --poll-graph"},
		{"bad poll interval in the environment", []string{"serve"},
			map[string]string{"IDTRIAGE_POLL_INTERVAL": "soon"}, "IDTRIAGE_POLL_INTERVAL"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			for k, v := range tt.env {
				t.Setenv(k, v)
			}
			args := append(tt.args, "--data", t.TempDir())
			code, _, errOut := execute(t, args...)
			if code != exitUsage || !strings.Contains(errOut, tt.says) {
				t.Errorf("exit %d, stderr %q; want %d naming %s", code, errOut, exitUsage,
					tt.says)
			}
		})
	}
}

// TestServeOneNode starts the one-node service as a user would (a token
// made with serve token add, settings from the environment), posts an
// alert, reads its case, and stops it with its context.
func TestServeOneNode(t *testing.T) {
	data := t.TempDir()
	code, secret, errOut := execute(t, "serve", "token", "add", "alice", "--role", "analyst",
		"--data", data)
	secret = strings.TrimSpace(secret)
	if code != exitOK || !strings.HasPrefix(secret, "idt_") {
		t.Fatalf("token add: exit %d, %q, %s", code, secret, errOut)
	}
	if code, out, _ := execute(t, "serve", "token", "list", "--data", data); code != 0 ||
		!strings.Contains(out, "alice\tanalyst") || strings.Contains(out, secret) {
		t.Errorf("token list: exit %d, %q", code, out)
	}

	addr := freeAddr(t)
	t.Setenv("IDTRIAGE_ADDR", addr)
	t.Setenv("IDTRIAGE_WORKERS", "1")
	ctx, stop := context.WithCancel(context.Background())
	done := make(chan int)
	var stderr bytes.Buffer
	go func() { done <- run(ctx, []string{"serve", "--data", data}, &bytes.Buffer{}, &stderr) }()
	base := "http://" + addr
	waitHealthy(t, base)

	alert, err := os.ReadFile(filepath.Join(example, "alert.json"))
	if err != nil {
		t.Fatal(err)
	}
	req, _ := http.NewRequest("POST", base+"/api/v1/alerts", bytes.NewReader(alert))
	req.Header.Set("Authorization", "Bearer "+secret)
	req.Header.Set("Content-Type", "application/json")
	res, err := http.DefaultClient.Do(req)
	if err != nil || res.StatusCode != http.StatusAccepted {
		t.Fatalf("post alert: %v %v", res, err)
	}
	res.Body.Close()

	deadline := time.Now().Add(30 * time.Second)
	for {
		req, _ := http.NewRequest("GET", base+"/api/v1/cases", nil)
		req.Header.Set("Authorization", "Bearer "+secret)
		res, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		var list struct{ Cases []struct{ User string } }
		json.NewDecoder(res.Body).Decode(&list)
		res.Body.Close()
		if len(list.Cases) == 1 && list.Cases[0].User == "ana.reyes@example.com" {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("no case after 30 s; log:\n%s", stderr.String())
		}
		time.Sleep(50 * time.Millisecond)
	}

	stop()
	select {
	case code := <-done:
		if code != exitOK {
			t.Errorf("serve exited %d: %s", code, stderr.String())
		}
	case <-time.After(40 * time.Second):
		t.Fatal("serve did not stop")
	}
	if strings.Contains(stderr.String(), secret) {
		t.Error("the log shows a token")
	}
}

// freeAddr returns a loopback address with a port nothing listens on now.
func freeAddr(t *testing.T) string {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	return ln.Addr().String()
}

func waitHealthy(t *testing.T, base string) {
	t.Helper()
	deadline := time.Now().Add(30 * time.Second)
	for time.Now().Before(deadline) {
		if res, err := http.Get(base + "/api/v1/ready"); err == nil {
			res.Body.Close()
			if res.StatusCode == http.StatusOK {
				return
			}
		}
		time.Sleep(50 * time.Millisecond)
	}
	t.Fatalf("%s not ready after 30 s", base)
}
