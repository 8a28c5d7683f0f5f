package server

import (
	"context"
	"errors"
	"time"

	"github.com/idtriage/idtriage/internal/queue"
	"github.com/idtriage/idtriage/internal/store"
)

// retryDelay is how long a job released after a store error waits before
// its next delivery.
const retryDelay = 2 * time.Second

// work is one worker: it takes jobs until taking ends. working ends the
// job in hand early (shutdown past its grace); that job is released.
func (s *Server) work(taking, working context.Context) {
	for {
		job, err := s.queue.Next(taking)
		if errors.Is(err, queue.ErrClosed) {
			return
		}
		if err != nil {
			s.log.Error("take job failed", keyError, err)
			continue
		}
		s.metrics.running.Inc()
		s.handle(working, job)
		s.metrics.running.Dec()
	}
}

// handle runs one job to its end: acknowledged once its case is committed,
// dropped when its input cannot be investigated, released otherwise.
func (s *Server) handle(ctx context.Context, job *queue.Job) {
	log := s.log.With(keyAlert, job.ID, keyAttempt, job.Attempt)
	a, err := s.store.Alert(ctx, job.ID)
	switch {
	case errors.Is(err, store.ErrNotFound):
		log.Error("job for an unknown alert dropped")
		s.metrics.failed.Inc()
		job.Drop("unknown alert")
		return
	case err != nil:
		s.retry(ctx, job, err)
		return
	case a.State == store.StateDone:
		// Delivered again after its case was committed: the ack was lost.
		log.Info("case already committed; acknowledging again")
		s.ack(ctx, job)
		return
	}
	if err := s.store.StartAttempt(ctx, a.ID, s.cfg.Node); err != nil {
		s.retry(ctx, job, err)
		return
	}

	stop := s.keepAlive(job)
	c, err := s.investigate(ctx, a)
	stop()
	if err != nil {
		var bad *inputError
		if errors.As(err, &bad) {
			s.giveUp(ctx, job, err)
			return
		}
		s.retry(ctx, job, err)
		return
	}
	s.commit(ctx, job, c)
}

// commit stores the case, then acknowledges the job: in that order, so a
// death between the two leaves a job whose redelivery finds the case.
func (s *Server) commit(ctx context.Context, job *queue.Job, c store.Case) {
	if h := s.cfg.Hooks.BeforeCommit; h != nil {
		h(job.ID)
	}
	if ctx.Err() != nil {
		s.release(job)
		return
	}
	c.Created = time.Now().UTC()
	created, err := s.store.PutCase(ctx, c)
	if err != nil {
		s.retry(ctx, job, err)
		return
	}
	if h := s.cfg.Hooks.BeforeAck; h != nil {
		h(job.ID)
	}
	s.metrics.durations.Observe(c.Duration.Seconds())
	status := "new"
	if !created {
		status = "existing" // another worker committed it first
	}
	s.log.Info("case committed", keyAlert, c.ID, keyUser, c.User, keyVerdict, c.Label,
		keyDuration, c.Duration, keyStatus, status)
	s.ack(ctx, job)
}

func (s *Server) ack(ctx context.Context, job *queue.Job) {
	if ctx.Err() != nil {
		ctx = context.Background() // the case is committed: say so even while stopping
	}
	ackCtx, cancel := context.WithTimeout(ctx, 5*time.Second)
	defer cancel()
	if err := job.Done(ackCtx); err != nil {
		s.log.Warn("acknowledge failed; the job will come back and find its case",
			keyAlert, job.ID, keyError, err)
		return
	}
	s.metrics.done.Inc()
}

// retry releases a job after a failure that may pass (the store), or gives
// it up on its last delivery.
func (s *Server) retry(ctx context.Context, job *queue.Job, err error) {
	if ctx.Err() != nil {
		s.release(job)
		return
	}
	if job.Last {
		s.giveUp(ctx, job, err)
		return
	}
	s.log.Warn("job failed; released for another try", keyAlert, job.ID,
		keyAttempt, job.Attempt, keyError, err)
	s.metrics.retried.Inc()
	if err := job.Release(retryDelay); err != nil {
		s.log.Warn("release failed; the job comes back after the ack wait", keyError, err)
	}
}

// giveUp marks the alert failed and drops its job.
func (s *Server) giveUp(ctx context.Context, job *queue.Job, err error) {
	s.log.Error("job given up", keyAlert, job.ID, keyAttempt, job.Attempt, keyError, err)
	s.metrics.failed.Inc()
	if ctx.Err() != nil {
		ctx = context.Background()
	}
	if ferr := s.store.FailAlert(ctx, job.ID, err.Error()); ferr != nil {
		s.log.Error("mark alert failed", keyAlert, job.ID, keyError, ferr)
	}
	if derr := job.Drop(err.Error()); derr != nil {
		s.log.Warn("drop job failed", keyAlert, job.ID, keyError, derr)
	}
}

// release hands a job in hand back at shutdown, for another node.
func (s *Server) release(job *queue.Job) {
	if err := job.Release(0); err != nil {
		s.log.Warn("release failed; the job comes back after the ack wait", keyError, err)
		return
	}
	s.log.Info("job released at shutdown", keyAlert, job.ID)
}

// keepAlive tells the queue the job is still being worked on, every third
// of the ack wait, until the returned function is called.
func (s *Server) keepAlive(job *queue.Job) func() {
	done := make(chan struct{})
	go func() {
		t := time.NewTicker(s.queue.AckWait() / 3)
		defer t.Stop()
		for {
			select {
			case <-done:
				return
			case <-t.C:
				job.Extend()
			}
		}
	}()
	return func() { close(done) }
}
