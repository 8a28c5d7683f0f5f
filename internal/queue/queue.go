package queue

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"time"

	"github.com/nats-io/nats-server/v2/server"
	"github.com/nats-io/nats.go"
	"github.com/nats-io/nats.go/jetstream"
)

// Defaults of Config.
const (
	DefaultStream     = "IDTRIAGE_JOBS"
	DefaultSubject    = "idtriage.jobs"
	DefaultConsumer   = "idtriage-workers"
	DefaultAckWait    = 30 * time.Second
	DefaultMaxDeliver = 5
	// duplicateWindow is how long JetStream remembers a job id to drop a
	// second publication of it.
	duplicateWindow = 10 * time.Minute
	// fetchWait bounds one wait for a job, so Next notices shutdown soon.
	fetchWait = time.Second
)

// Config says which NATS server to use and the names of the stream and
// consumer. The zero value runs an embedded server in a temporary folder.
type Config struct {
	// URL of an external NATS server with JetStream (nats://host:4222);
	// empty starts an embedded one.
	URL string
	// Dir is where the embedded server keeps its stream; empty means a
	// temporary folder, lost at exit.
	Dir string
	// Stream, Subject and Consumer name the JetStream objects; nodes that
	// share work use the same names.
	Stream   string
	Subject  string
	Consumer string
	// AckWait is how long a delivered job may go unacknowledged before it
	// is delivered again; workers extend it while they work.
	AckWait time.Duration
	// MaxDeliver is how many times a job is delivered before it is given up.
	MaxDeliver int
	// Name is the client connection's name, seen in the server's monitoring.
	Name   string
	Logger *slog.Logger
}

func (c *Config) fill() {
	if c.Stream == "" {
		c.Stream = DefaultStream
	}
	if c.Subject == "" {
		c.Subject = DefaultSubject
	}
	if c.Consumer == "" {
		c.Consumer = DefaultConsumer
	}
	if c.AckWait <= 0 {
		c.AckWait = DefaultAckWait
	}
	if c.MaxDeliver <= 0 {
		c.MaxDeliver = DefaultMaxDeliver
	}
	if c.Logger == nil {
		c.Logger = slog.New(slog.DiscardHandler)
	}
}

// Queue is an open connection to the job stream.
type Queue struct {
	cfg  Config
	srv  *server.Server // the embedded server, or nil
	nc   *nats.Conn
	js   jetstream.JetStream
	cons jetstream.Consumer
	log  *slog.Logger
}

// Open connects (starting the embedded server when Config.URL is empty)
// and creates the stream and the consumer when they are missing.
func Open(ctx context.Context, cfg Config) (*Queue, error) {
	cfg.fill()
	q := &Queue{cfg: cfg, log: cfg.Logger}
	if err := q.connect(); err != nil {
		return nil, err
	}
	if err := q.declare(ctx); err != nil {
		q.Close()
		return nil, err
	}
	q.log.Info("queue open", keyServer, q.Server(), keyStream, cfg.Stream,
		keyConsumer, cfg.Consumer)
	return q, nil
}

func (q *Queue) connect() error {
	opts := []nats.Option{nats.Name(q.cfg.Name), nats.MaxReconnects(-1)}
	url := q.cfg.URL
	if url == "" {
		srv, err := startEmbedded(q.cfg.Dir)
		if err != nil {
			return err
		}
		q.srv = srv
		opts = append(opts, nats.InProcessServer(srv))
	}
	nc, err := nats.Connect(url, opts...)
	if err != nil {
		q.shutdownEmbedded()
		return fmt.Errorf("connect to NATS %s: %w", q.Server(), err)
	}
	q.nc = nc
	if q.js, err = jetstream.New(nc); err != nil {
		return fmt.Errorf("JetStream on %s: %w", q.Server(), err)
	}
	return nil
}

func (q *Queue) declare(ctx context.Context) error {
	_, err := q.js.CreateOrUpdateStream(ctx, jetstream.StreamConfig{
		Name:        q.cfg.Stream,
		Description: "idtriage jobs: one message per alert to investigate",
		Subjects:    []string{q.cfg.Subject},
		Retention:   jetstream.WorkQueuePolicy,
		Storage:     jetstream.FileStorage,
		Duplicates:  duplicateWindow,
	})
	if err != nil {
		return fmt.Errorf("declare stream %s: %w", q.cfg.Stream, err)
	}
	q.cons, err = q.js.CreateOrUpdateConsumer(ctx, q.cfg.Stream, jetstream.ConsumerConfig{
		Durable:       q.cfg.Consumer,
		Description:   "idtriage workers",
		AckPolicy:     jetstream.AckExplicitPolicy,
		AckWait:       q.cfg.AckWait,
		MaxDeliver:    q.cfg.MaxDeliver,
		FilterSubject: q.cfg.Subject,
	})
	if err != nil {
		return fmt.Errorf("declare consumer %s: %w", q.cfg.Consumer, err)
	}
	return nil
}

// Server names the server in use: its URL, or "embedded".
func (q *Queue) Server() string {
	if q.cfg.URL == "" {
		return "embedded"
	}
	return q.cfg.URL
}

// MaxDeliver is the number of deliveries after which a job is given up.
func (q *Queue) MaxDeliver() int { return q.cfg.MaxDeliver }

// AckWait is how long a job may go unacknowledged before redelivery.
func (q *Queue) AckWait() time.Duration { return q.cfg.AckWait }

// Publish queues the job for alert id. Publishing the same id again within
// the duplicate window is accepted and dropped by JetStream.
func (q *Queue) Publish(ctx context.Context, id string) error {
	_, err := q.js.Publish(ctx, q.cfg.Subject, []byte(id), jetstream.WithMsgID(id),
		jetstream.WithExpectStream(q.cfg.Stream))
	if err != nil {
		return fmt.Errorf("publish job %s: %w", id, err)
	}
	return nil
}

// ErrClosed is returned by Next once ctx is done.
var ErrClosed = errors.New("queue: no more jobs wanted")

// Next waits for the next job until ctx is done, then returns ErrClosed.
// A job that arrives as ctx ends is released at once.
func (q *Queue) Next(ctx context.Context) (*Job, error) {
	for {
		if ctx.Err() != nil {
			return nil, ErrClosed
		}
		msg, err := q.cons.Next(jetstream.FetchMaxWait(fetchWait))
		switch {
		case errors.Is(err, nats.ErrTimeout), errors.Is(err, context.DeadlineExceeded):
			continue
		case err != nil:
			q.log.Warn("fetch job failed; retrying", keyError, err)
			if sleep(ctx, fetchWait) != nil {
				return nil, ErrClosed
			}
			continue
		}
		job, err := q.job(msg)
		if err != nil {
			q.log.Warn("job without metadata dropped", keyError, err)
			msg.Term()
			continue
		}
		if ctx.Err() != nil {
			job.Release(0)
			return nil, ErrClosed
		}
		return job, nil
	}
}

// Pending counts jobs waiting for a worker and jobs delivered but not yet
// acknowledged, across all nodes.
func (q *Queue) Pending(ctx context.Context) (waiting, inHand int, err error) {
	info, err := q.cons.Info(ctx)
	if err != nil {
		return 0, 0, fmt.Errorf("consumer %s info: %w", q.cfg.Consumer, err)
	}
	return int(info.NumPending), info.NumAckPending, nil
}

// Ping reports whether the connection to the server is up.
func (q *Queue) Ping() error {
	if s := q.nc.Status(); s != nats.CONNECTED {
		return fmt.Errorf("NATS %s: connection %s", q.Server(), s)
	}
	return nil
}

// Close flushes and closes the connection, then stops the embedded server.
func (q *Queue) Close() error {
	if q.nc != nil {
		q.nc.Close()
	}
	q.shutdownEmbedded()
	return nil
}

func sleep(ctx context.Context, d time.Duration) error {
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-ctx.Done():
		return ctx.Err()
	case <-t.C:
		return nil
	}
}
