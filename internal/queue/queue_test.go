package queue_test

import (
	"context"
	"errors"
	"fmt"
	"testing"
	"time"

	"github.com/idtriage/idtriage/internal/queue"
	"github.com/idtriage/idtriage/internal/queue/queuetest"
)

var servers = []struct {
	name string
	cfg  func(testing.TB) queue.Config
}{
	{"embedded", queuetest.Embedded},
	{"external", queuetest.External},
}

var checks = []struct {
	name string
	run  func(*testing.T, queue.Config)
}{
	{"done job is gone", checkDone},
	{"same id queued once", checkDuplicate},
	{"released job comes back", checkRelease},
	{"unacknowledged job comes back after the ack wait", checkAckWait},
	{"last delivery is marked", checkLast},
	{"next returns when the context ends", checkClosed},
	{"two consumers split the jobs", checkSplit},
}

func TestQueue(t *testing.T) {
	for _, s := range servers {
		t.Run(s.name, func(t *testing.T) {
			for _, c := range checks {
				t.Run(c.name, func(t *testing.T) {
					cfg := s.cfg(t)
					cfg.AckWait, cfg.MaxDeliver = time.Second, 3
					c.run(t, cfg)
				})
			}
		})
	}
}

func open(t *testing.T, cfg queue.Config) *queue.Queue {
	t.Helper()
	q, err := queue.Open(context.Background(), cfg)
	if err != nil {
		t.Fatalf("open queue: %v", err)
	}
	t.Cleanup(func() { q.Close() })
	return q
}

func publish(t *testing.T, q *queue.Queue, ids ...string) {
	t.Helper()
	for _, id := range ids {
		if err := q.Publish(context.Background(), id); err != nil {
			t.Fatal(err)
		}
	}
}

// next takes a job, failing the test when none comes within 10 s.
func next(t *testing.T, q *queue.Queue) *queue.Job {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	j, err := q.Next(ctx)
	if err != nil {
		t.Fatalf("next job: %v", err)
	}
	return j
}

// empty checks that no job arrives within d.
func empty(t *testing.T, q *queue.Queue, d time.Duration) {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), d)
	defer cancel()
	if j, err := q.Next(ctx); err == nil {
		t.Errorf("got job %s (attempt %d), want none", j.ID, j.Attempt)
	}
}

func checkDone(t *testing.T, cfg queue.Config) {
	q := open(t, cfg)
	publish(t, q, "a1")
	j := next(t, q)
	if j.ID != "a1" || j.Attempt != 1 || j.Last {
		t.Errorf("job = %+v, want a1 attempt 1", j)
	}
	if err := j.Done(context.Background()); err != nil {
		t.Fatal(err)
	}
	empty(t, q, 2*cfg.AckWait)
}

func checkDuplicate(t *testing.T, cfg queue.Config) {
	q := open(t, cfg)
	publish(t, q, "a1", "a1", "a2")
	got := map[string]int{}
	for range 2 {
		j := next(t, q)
		got[j.ID]++
		if err := j.Done(context.Background()); err != nil {
			t.Fatal(err)
		}
	}
	if got["a1"] != 1 || got["a2"] != 1 {
		t.Errorf("jobs = %v, want a1 and a2 once each", got)
	}
	empty(t, q, 2*cfg.AckWait)
}

func checkRelease(t *testing.T, cfg queue.Config) {
	q := open(t, cfg)
	publish(t, q, "a1")
	if err := next(t, q).Release(0); err != nil {
		t.Fatal(err)
	}
	if j := next(t, q); j.ID != "a1" || j.Attempt != 2 {
		t.Errorf("after release: job %s attempt %d, want a1 attempt 2", j.ID, j.Attempt)
	}
}

func checkAckWait(t *testing.T, cfg queue.Config) {
	// The first connection takes the job and disappears without a word,
	// as a killed worker would.
	dead := open(t, cfg)
	publish(t, dead, "a1")
	next(t, dead)
	dead.Close()

	alive := open(t, cfg)
	start := time.Now()
	j := next(t, alive)
	// The attempt is usually 2; the server may also take back a delivery to
	// a connection that closed at that instant, and count it as not made.
	if j.ID != "a1" {
		t.Errorf("redelivered job %s, want a1", j.ID)
	}
	if waited := time.Since(start); waited > 5*cfg.AckWait {
		t.Logf("redelivery took %s with an ack wait of %s", waited, cfg.AckWait)
	}
	if err := j.Done(context.Background()); err != nil {
		t.Fatal(err)
	}
}

func checkLast(t *testing.T, cfg queue.Config) {
	q := open(t, cfg)
	publish(t, q, "a1")
	for attempt := 1; attempt <= cfg.MaxDeliver; attempt++ {
		j := next(t, q)
		if j.Attempt != attempt || j.Last != (attempt == cfg.MaxDeliver) {
			t.Errorf("delivery %d: attempt %d last %v", attempt, j.Attempt, j.Last)
		}
		if j.Last {
			if err := j.Drop("given up"); err != nil {
				t.Fatal(err)
			}
			break
		}
		if err := j.Release(0); err != nil {
			t.Fatal(err)
		}
	}
	empty(t, q, 2*cfg.AckWait)
}

func checkClosed(t *testing.T, cfg queue.Config) {
	q := open(t, cfg)
	ctx, cancel := context.WithCancel(context.Background())
	go func() { time.Sleep(200 * time.Millisecond); cancel() }()
	if _, err := q.Next(ctx); !errors.Is(err, queue.ErrClosed) {
		t.Errorf("Next after cancel = %v, want ErrClosed", err)
	}
}

func checkSplit(t *testing.T, cfg queue.Config) {
	if cfg.URL == "" {
		t.Skip("an embedded server is one process's own; sharing needs the external one")
	}
	a, b := open(t, cfg), open(t, cfg)
	const n = 20
	for i := range n {
		publish(t, a, fmt.Sprintf("a%d", i))
	}
	got := map[string]int{}
	seen := map[string]bool{}
	done := make(chan string, 2*n)
	for name, q := range map[string]*queue.Queue{"a": a, "b": b} {
		go func() {
			for {
				ctx, cancel := context.WithTimeout(context.Background(), 3*time.Second)
				j, err := q.Next(ctx)
				cancel()
				if err != nil {
					done <- ""
					return
				}
				time.Sleep(20 * time.Millisecond) // work, so both get a share
				j.Done(context.Background())
				done <- name + ":" + j.ID
			}
		}()
	}
	for stopped := 0; stopped < 2; {
		s := <-done
		if s == "" {
			stopped++
			continue
		}
		got[s[:1]]++
		if seen[s[2:]] {
			t.Errorf("job %s delivered twice", s[2:])
		}
		seen[s[2:]] = true
	}
	if len(seen) != n || got["a"] == 0 || got["b"] == 0 {
		t.Errorf("jobs done = %d (a %d, b %d), want %d split between both", len(seen),
			got["a"], got["b"], n)
	}
}
