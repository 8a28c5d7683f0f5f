package server

import (
	"errors"
	"net/http"

	"github.com/prometheus/client_golang/prometheus"

	"github.com/idtriage/idtriage/internal/graph"
)

// Reasons a poll, or one flag of it, fails: the label of
// idtriage_graph_poll_errors_total.
const (
	reasonPermission = "permission" // Graph answered 403
	reasonThrottled  = "throttled"  // 429 or 503 past the retries
	reasonBudget     = "budget"     // the time budget ran out
	reasonGraph      = "graph"      // any other answer Graph gave up on
	reasonNetwork    = "network"    // no answer, or no token
	reasonRecord     = "record"     // a riskyUser the intake cannot read
	reasonIntake     = "intake"     // the store or the queue failed
	reasonOther      = "other"      // a local failure (temporary files)
)

var pollReasons = []string{reasonPermission, reasonThrottled, reasonBudget, reasonGraph,
	reasonNetwork, reasonRecord, reasonIntake, reasonOther}

// pollError is a poll's failure with the reason it is counted under.
type pollError struct {
	reason string
	err    error
}

func (e *pollError) Error() string { return e.err.Error() }
func (e *pollError) Unwrap() error { return e.err }

func reasonOf(err error) string {
	if pe, ok := errors.AsType[*pollError](err); ok {
		return pe.reason
	}
	return reasonOther
}

// graphFailure names what went wrong in a Graph request.
func graphFailure(err error) error {
	reason := reasonNetwork
	if _, ok := errors.AsType[*graph.PermissionError](err); ok {
		reason = reasonPermission
	} else if se, ok := errors.AsType[*graph.StatusError](err); ok {
		reason = reasonGraph
		if se.Status == http.StatusTooManyRequests || se.Status == http.StatusServiceUnavailable {
			reason = reasonThrottled
		}
	} else if errors.Is(err, graph.ErrBudget) {
		reason = reasonBudget
	}
	return &pollError{reason: reason, err: err}
}

// intakeFailure marks a failure of the store or the queue; nil stays nil.
func intakeFailure(err error) error {
	if err == nil {
		return nil
	}
	return &pollError{reason: reasonIntake, err: err}
}

// pollMetrics are the poller's series.
type pollMetrics struct {
	polls  *prometheus.CounterVec
	errors *prometheus.CounterVec
}

func newPollMetrics(reg *prometheus.Registry) pollMetrics {
	m := pollMetrics{
		polls: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "idtriage_graph_polls_total",
			Help: "Polls of Graph for users at risk, by result: ok (the list was read) " +
				"or failed.",
		}, []string{"result"}),
		errors: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "idtriage_graph_poll_errors_total",
			Help: "Failures of the Graph poller, a whole poll or one user's flag, by " +
				"reason: permission, throttled, budget, graph, network, record, intake, other.",
		}, []string{"reason"}),
	}
	// Every series from the start, at zero, so that an alert on a rise works
	// from the first failure.
	m.polls.WithLabelValues("ok")
	m.polls.WithLabelValues("failed")
	for _, r := range pollReasons {
		m.errors.WithLabelValues(r)
	}
	reg.MustRegister(m.polls, m.errors)
	return m
}
