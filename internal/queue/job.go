package queue

import (
	"context"
	"fmt"
	"time"

	"github.com/nats-io/nats.go/jetstream"
)

// Job is one delivery of an alert's job to a worker. Exactly one of Done,
// Release or Drop ends it; a job ended by none (its worker died) is
// delivered again after the ack wait.
type Job struct {
	// ID is the alert id the job is for.
	ID string
	// Attempt counts deliveries, from 1; Last is set on the final one.
	Attempt int
	Last    bool
	msg     jetstream.Msg
}

func (q *Queue) job(msg jetstream.Msg) (*Job, error) {
	md, err := msg.Metadata()
	if err != nil {
		return nil, err
	}
	n := int(md.NumDelivered)
	return &Job{ID: string(msg.Data()), Attempt: n, Last: n >= q.cfg.MaxDeliver, msg: msg}, nil
}

// Done acknowledges the job and waits for the server to confirm, so that a
// returned nil means the job will not come back.
func (j *Job) Done(ctx context.Context) error {
	if err := j.msg.DoubleAck(ctx); err != nil {
		return fmt.Errorf("acknowledge job %s: %w", j.ID, err)
	}
	return nil
}

// Release hands the job back for another delivery after delay (0: now).
func (j *Job) Release(delay time.Duration) error {
	var err error
	if delay > 0 {
		err = j.msg.NakWithDelay(delay)
	} else {
		err = j.msg.Nak()
	}
	if err != nil {
		return fmt.Errorf("release job %s: %w", j.ID, err)
	}
	return nil
}

// Extend tells the server the worker is still busy, restarting the ack wait.
func (j *Job) Extend() error {
	if err := j.msg.InProgress(); err != nil {
		return fmt.Errorf("extend job %s: %w", j.ID, err)
	}
	return nil
}

// Drop removes the job for good, with the reason in the server's advisory.
func (j *Job) Drop(reason string) error {
	if err := j.msg.TermWithReason(reason); err != nil {
		return fmt.Errorf("drop job %s: %w", j.ID, err)
	}
	return nil
}
