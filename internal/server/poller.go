package server

import (
	"cmp"
	"context"
	"errors"
	"fmt"
	"log/slog"
	"time"

	"github.com/idtriage/idtriage/internal/graph"
)

// Defaults of PollConfig.
const (
	DefaultPollInterval = 5 * time.Minute
	// DefaultPollOverlap reaches back before the last poll far enough for
	// the flags Graph makes queryable late (field report BR-31).
	DefaultPollOverlap = 15 * time.Minute
	DefaultPollWindow  = 7 * 24 * time.Hour
)

// Graph is what the poller asks of Microsoft Graph; *graph.Client has it.
type Graph interface {
	// AtRiskSince lists the users at risk whose risk changed at or after
	// since.
	AtRiskSince(ctx context.Context, since time.Time) ([]graph.RiskyUser, error)
	// Pull reads one user's records within w into dir, as files that
	// package ingest reads.
	Pull(ctx context.Context, upn string, w graph.Window, dir string) (*graph.Report, error)
}

// PollConfig configures the Graph poller. Graph is required; the zero
// value of every other field works.
type PollConfig struct {
	Graph Graph
	// Tenant names the tenant of the polled alerts, as ?tenant= names a
	// post's; empty means the tenant of posts that name none.
	Tenant string
	// Interval is the time from one poll's start to the next; 0 means
	// DefaultPollInterval. A poll that runs longer delays the next.
	Interval time.Duration
	// Overlap is how far before the last poll's start each poll reaches
	// back; 0 means DefaultPollOverlap.
	Overlap time.Duration
	// Window is how far back each alert's records are pulled, ending at
	// the pull, and how far back the first poll after a start looks for
	// flags; 0 means DefaultPollWindow.
	Window time.Duration
	// Now is the clock of the windows; nil means time.Now.
	Now func() time.Time
}

// poller takes the users Graph newly holds at risk in as alerts. Each
// poll asks for the users whose riskLastUpdatedDateTime is at or after
// the last poll's start less the overlap, so a flag Graph shows late is
// still seen; the flags seen before are found in the store by their
// alert id and skipped without a pull.
type poller struct {
	s   *Server
	cfg PollConfig
	log *slog.Logger
	// mark is the start of the last poll that read the list, moved back to
	// the oldest flag it failed to take in, so that the next poll asks for
	// that flag again. Zero before the first such poll.
	mark time.Time
	m    pollMetrics
}

func newPoller(s *Server, cfg PollConfig) (*poller, error) {
	if cfg.Graph == nil {
		return nil, errors.New("server: the Graph poller needs a Graph client")
	}
	if cfg.Interval < 0 || cfg.Overlap < 0 || cfg.Window < 0 {
		return nil, errors.New("server: poll interval, overlap and window must not be negative")
	}
	cfg.Tenant = cmp.Or(cfg.Tenant, defaultTenant)
	cfg.Interval = cmp.Or(cfg.Interval, DefaultPollInterval)
	cfg.Overlap = cmp.Or(cfg.Overlap, DefaultPollOverlap)
	cfg.Window = cmp.Or(cfg.Window, DefaultPollWindow)
	if cfg.Now == nil {
		cfg.Now = time.Now
	}
	return &poller{s: s, cfg: cfg, log: s.log.With(keySubsystem, "poller"),
		m: newPollMetrics(s.metrics.reg)}, nil
}

// run polls at once, then every interval, until ctx ends. A failed poll
// is logged and counted; the next one runs all the same.
func (p *poller) run(ctx context.Context) {
	p.log.Info("graph poller started", keyInterval, p.cfg.Interval, keyOverlap, p.cfg.Overlap,
		keyWindow, p.cfg.Window)
	tick := time.NewTicker(p.cfg.Interval)
	defer tick.Stop()
	for ctx.Err() == nil {
		err := p.poll(ctx)
		if h := p.s.cfg.Hooks.AfterPoll; h != nil && ctx.Err() == nil {
			h(err)
		}
		select {
		case <-ctx.Done():
		case <-tick.C:
		}
	}
	p.log.Info("graph poller stopped")
}

// poll takes in every flag since the last poll less the overlap. Flags it
// fails to take in are asked for again by the next poll.
func (p *poller) poll(ctx context.Context) error {
	start := p.cfg.Now().UTC()
	since := start.Add(-p.cfg.Window)
	if back := p.mark.Add(-p.cfg.Overlap); !p.mark.IsZero() && back.After(since) {
		since = back
	}
	users, err := p.cfg.Graph.AtRiskSince(ctx, since)
	if ctx.Err() != nil {
		return ctx.Err()
	}
	if err != nil {
		p.m.polls.WithLabelValues("failed").Inc()
		err = graphFailure(fmt.Errorf("list the users at risk since %s: %w",
			since.Format(time.RFC3339), err))
		p.problem("graph poll failed; the next poll asks again", err)
		return err
	}

	mark := start
	var added, known, failed int
	for _, u := range users {
		created, err := p.take(ctx, u)
		switch {
		case ctx.Err() != nil:
			return ctx.Err()
		case err != nil:
			failed++
			p.problem("risky user not taken in; the next poll tries again", err,
				keyUser, u.UserPrincipalName)
			if t := u.RiskLastUpdated; !t.IsZero() && t.Before(mark) {
				mark = t
			}
		case created:
			added++
		default:
			known++
		}
	}
	p.mark = mark
	p.m.polls.WithLabelValues("ok").Inc()
	p.log.Info("graph poll done", keySince, since, keyCount, len(users), keyNew, added,
		keyKnown, known, keyFailed, failed, keyDuration, p.cfg.Now().Sub(start))
	if failed > 0 {
		return fmt.Errorf("%d of %d users at risk not taken in", failed, len(users))
	}
	return nil
}

// problem logs and counts one failure: a Warn when Graph throttled or the
// budget ran out, which the next poll likely outlasts, an Error otherwise.
func (p *poller) problem(msg string, err error, attrs ...any) {
	reason := reasonOf(err)
	p.m.errors.WithLabelValues(reason).Inc()
	level := slog.LevelError
	if reason == reasonThrottled || reason == reasonBudget {
		level = slog.LevelWarn
	}
	p.log.Log(context.Background(), level, msg,
		append(attrs, keyReason, reason, keyError, err.Error())...)
}
