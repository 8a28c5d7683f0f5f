// Package queuetest gives tests a job stream of their own: on an embedded
// server in a temporary folder, or on the external NATS server of the test
// machine under stream, subject and consumer names no other run uses; the
// stream is deleted when the test ends.
//
// The external server is found at IDTRIAGE_TEST_NATS, by default
// nats://127.0.0.1:4222. When it does not answer, a test fails under CI
// (CI=true) and is skipped elsewhere.
package queuetest

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"fmt"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/nats-io/nats.go"
	"github.com/nats-io/nats.go/jetstream"

	"github.com/idtriage/idtriage/internal/queue"
)

// DefaultNATS is the test server's address when IDTRIAGE_TEST_NATS is unset.
const DefaultNATS = "nats://127.0.0.1:4222"

// Embedded returns a configuration for an embedded server whose stream
// lives in a temporary folder.
func Embedded(t testing.TB) queue.Config {
	t.Helper()
	return named(queue.Config{Dir: t.TempDir()})
}

// External returns a configuration for the external server, with names of
// its own, and deletes the stream when the test ends.
func External(t testing.TB) queue.Config {
	t.Helper()
	url := os.Getenv("IDTRIAGE_TEST_NATS")
	if url == "" {
		url = DefaultNATS
	}
	nc, err := nats.Connect(url, nats.Timeout(5*time.Second))
	if err != nil {
		msg := fmt.Sprintf("NATS at %s does not answer: %v", url, err)
		if os.Getenv("CI") == "true" {
			t.Fatalf("%s (CI=true: .ci/run must start it)", msg)
		}
		t.Skipf("%s; start it to run this test", msg)
	}
	cfg := named(queue.Config{URL: url})
	t.Cleanup(func() {
		defer nc.Close()
		js, err := jetstream.New(nc)
		if err != nil {
			return
		}
		ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
		defer cancel()
		if err := js.DeleteStream(ctx, cfg.Stream); err != nil {
			t.Logf("delete stream %s: %v", cfg.Stream, err)
		}
	})
	return cfg
}

func named(cfg queue.Config) queue.Config {
	b := make([]byte, 6)
	rand.Read(b)
	id := hex.EncodeToString(b)
	cfg.Stream = "IDTRIAGE_TEST_" + strings.ToUpper(id)
	cfg.Subject = "idtriage.test." + id
	cfg.Consumer = "workers-" + id
	return cfg
}
