package server_test

import (
	"bufio"
	"context"
	"encoding/base64"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/idtriage/idtriage/internal/queue"
	"github.com/idtriage/idtriage/internal/queue/queuetest"
	"github.com/idtriage/idtriage/internal/server"
	"github.com/idtriage/idtriage/internal/store/storetest"
)

// Environment of the helper node, the second instance of the cluster test,
// run as a child process so that the test can kill it.
const (
	envHelper   = "IDTRIAGE_HELPER_NODE"
	envStore    = "IDTRIAGE_HELPER_STORE"
	envQueue    = "IDTRIAGE_HELPER_QUEUE" // URL stream subject consumer
	envHoldAt   = "IDTRIAGE_HELPER_HOLD_AT"
	envHoldFile = "IDTRIAGE_HELPER_HOLD_FILE"
	helperSays  = "HELPER "
)

// TestHelperNode is not a test of its own: it is the second server of
// TestTwoNodes, started by it as a child process. Once the hold file exists
// it stops its worker at the hold point for good and says which job it
// holds, so that the parent can kill it there.
func TestHelperNode(t *testing.T) {
	if os.Getenv(envHelper) == "" {
		t.Skip("helper process of TestTwoNodes")
	}
	var qcfg queue.Config
	fmt.Sscan(os.Getenv(envQueue), &qcfg.URL, &qcfg.Stream, &qcfg.Subject, &qcfg.Consumer)
	qcfg.AckWait = 2 * time.Second
	hold := func(id string) {
		if _, err := os.Stat(os.Getenv(envHoldFile)); err == nil {
			fmt.Printf("%sholding %s\n", helperSays, id)
			select {} // until killed
		}
	}
	var hooks server.Hooks
	switch os.Getenv(envHoldAt) {
	case "commit":
		hooks.BeforeCommit = hold
	case "ack":
		hooks.BeforeAck = hold
	}
	startNode(t, os.Getenv(envStore), qcfg, options{workers: 1, name: "helper",
		hooks: hooks})
	fmt.Printf("%sready\n", helperSays)
	select {}
}

// TestTwoNodes runs two server instances that share PostgreSQL and the
// external NATS server: they split the jobs, and killing one in the middle
// of a job (before its commit, or after its commit and before its ack)
// loses no case and doubles none.
func TestTwoNodes(t *testing.T) {
	for _, holdAt := range []string{"commit", "ack"} {
		t.Run("killed before "+holdAt, func(t *testing.T) { twoNodes(t, holdAt) })
	}
}

func twoNodes(t *testing.T, holdAt string) {
	addr := storetest.Postgres(t)
	qcfg := queuetest.External(t)
	qcfg.AckWait = 2 * time.Second
	holdFile := filepath.Join(t.TempDir(), "hold")
	helper, said := startHelper(t, addr, qcfg, holdAt, holdFile)
	expect(t, said, "ready", 30*time.Second)

	main := startNode(t, addr, qcfg, options{workers: 2, name: "main"})
	tok := addTokens(t, main.store)

	// Both nodes take a share of the backlog.
	const first = 40
	for i := range first {
		postJSON(t, main, tok.analyst, riskyUser(i))
	}
	byNode := map[string]int{}
	for _, c := range waitCases(t, main.store, first, 60*time.Second) {
		byNode[c.Node]++
	}
	if byNode["main"] == 0 || byNode["helper"] == 0 {
		t.Errorf("cases by node = %v, want both nodes to take jobs", byNode)
	}

	// The helper holds the next job it takes; then it is killed.
	if err := os.WriteFile(holdFile, nil, 0o600); err != nil {
		t.Fatal(err)
	}
	posted, heldID := first, ""
	for heldID == "" && posted < first+100 {
		postJSON(t, main, tok.analyst, riskyUser(posted))
		posted++
		select {
		case line := <-said:
			heldID = strings.TrimPrefix(line, "holding ")
		case <-time.After(50 * time.Millisecond):
		}
	}
	if heldID == "" {
		t.Fatalf("the helper took none of %d more jobs", posted-first)
	}
	helper.Process.Kill()
	helper.Wait()

	cases := waitCases(t, main.store, posted, 60*time.Second)
	users := map[string]int{}
	for _, c := range cases {
		users[c.User]++
	}
	for i := range posted {
		if u := fmt.Sprintf("user%d@example.com", i); users[u] != 1 {
			t.Errorf("%s has %d cases, want 1", u, users[u])
		}
	}
	held, err := main.store.Case(context.Background(), heldID)
	if err != nil {
		t.Fatalf("the held job's case: %v", err)
	}
	wantNode := map[string]string{"commit": "main", "ack": "helper"}[holdAt]
	if held.Node != wantNode {
		t.Errorf("held job committed by %s, want %s", held.Node, wantNode)
	}
	// Killed before its commit, the job ran twice; killed after it, the
	// second delivery found the case and only acknowledged it.
	wantAttempts := map[string]int{"commit": 2, "ack": 1}[holdAt]
	if a, _ := main.store.Alert(context.Background(), heldID); a.Attempts != wantAttempts {
		t.Errorf("held alert ran %d times, want %d", a.Attempts, wantAttempts)
	}
	waitDrained(t, main.queue)
}

// startHelper runs TestHelperNode in a child process and returns the lines
// it says.
func startHelper(t *testing.T, addr string, qcfg queue.Config, holdAt, holdFile string) (
	*exec.Cmd, chan string) {
	t.Helper()
	cmd := exec.Command(os.Args[0], "-test.run=^TestHelperNode$", "-test.v")
	cmd.Env = append(os.Environ(), envHelper+"=1", envStore+"="+addr,
		envQueue+"="+strings.Join([]string{qcfg.URL, qcfg.Stream, qcfg.Subject,
			qcfg.Consumer}, " "),
		envHoldAt+"="+holdAt, envHoldFile+"="+holdFile)
	out, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	cmd.Stderr = os.Stderr
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { cmd.Process.Kill(); cmd.Wait() })
	said := make(chan string, 16)
	go func() {
		sc := bufio.NewScanner(out)
		for sc.Scan() {
			if line, ok := strings.CutPrefix(sc.Text(), helperSays); ok {
				said <- line
			}
		}
	}()
	return cmd, said
}

func expect(t *testing.T, said chan string, want string, limit time.Duration) {
	t.Helper()
	select {
	case line := <-said:
		if line != want {
			t.Fatalf("helper said %q, want %q", line, want)
		}
	case <-time.After(limit):
		t.Fatalf("helper did not say %q within %s", want, limit)
	}
}

// waitDrained waits until no job is waiting or in hand.
func waitDrained(t *testing.T, q *queue.Queue) {
	t.Helper()
	deadline := time.Now().Add(30 * time.Second)
	for {
		waiting, inHand, err := q.Pending(context.Background())
		if err == nil && waiting == 0 && inHand == 0 {
			return
		}
		if time.Now().After(deadline) {
			t.Fatalf("queue not drained: %d waiting, %d in hand (%v)", waiting, inHand, err)
		}
		time.Sleep(100 * time.Millisecond)
	}
}

func b64(b []byte) string { return base64.StdEncoding.EncodeToString(b) }
