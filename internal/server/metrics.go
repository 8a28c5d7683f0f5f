package server

import (
	"context"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/collectors"
)

// metricsTimeout bounds the queue query behind the jobs-queued gauge.
const metricsTimeout = 2 * time.Second

// metrics are this node's Prometheus series, in a registry of its own so
// that several servers in one process (tests) do not collide.
type metrics struct {
	reg       *prometheus.Registry
	received  *prometheus.CounterVec
	running   prometheus.Gauge
	done      prometheus.Counter
	failed    prometheus.Counter
	retried   prometheus.Counter
	durations prometheus.Histogram
}

func newMetrics(s *Server) *metrics {
	m := &metrics{reg: prometheus.NewRegistry()}
	m.received = prometheus.NewCounterVec(prometheus.CounterOpts{
		Name: "idtriage_alerts_received_total",
		Help: "Alerts posted to this node, by result: new or duplicate.",
	}, []string{"result"})
	m.running = prometheus.NewGauge(prometheus.GaugeOpts{
		Name: "idtriage_jobs_running",
		Help: "Jobs this node's workers are investigating now.",
	})
	m.done = prometheus.NewCounter(prometheus.CounterOpts{
		Name: "idtriage_jobs_done_total",
		Help: "Jobs whose case this node committed and acknowledged.",
	})
	m.failed = prometheus.NewCounter(prometheus.CounterOpts{
		Name: "idtriage_jobs_failed_total",
		Help: "Jobs this node gave up: the input cannot be investigated, or the " +
			"last delivery failed.",
	})
	m.retried = prometheus.NewCounter(prometheus.CounterOpts{
		Name: "idtriage_jobs_retried_total",
		Help: "Jobs this node released for another try after a store error.",
	})
	m.durations = prometheus.NewHistogram(prometheus.HistogramOpts{
		Name:    "idtriage_investigation_duration_seconds",
		Help:    "Time to investigate one alert and render its reports.",
		Buckets: prometheus.ExponentialBuckets(0.001, 2, 14),
	})
	queued := prometheus.NewGaugeFunc(prometheus.GaugeOpts{
		Name: "idtriage_jobs_queued",
		Help: "Jobs waiting for a worker, across all nodes (-1 when the queue " +
			"does not answer).",
	}, func() float64 {
		ctx, cancel := context.WithTimeout(context.Background(), metricsTimeout)
		defer cancel()
		waiting, _, err := s.queue.Pending(ctx)
		if err != nil {
			return -1
		}
		return float64(waiting)
	})
	m.reg.MustRegister(m.received, m.running, m.done, m.failed, m.retried, m.durations,
		queued, collectors.NewGoCollector(),
		collectors.NewProcessCollector(collectors.ProcessCollectorOpts{}))
	return m
}
