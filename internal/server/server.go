package server

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"os"
	"runtime"
	"sync"
	"sync/atomic"

	"github.com/idtriage/idtriage/internal/investigate"
	"github.com/idtriage/idtriage/internal/queue"
	"github.com/idtriage/idtriage/internal/store"
)

// Defaults of Config.
const (
	DefaultMaxBody = 64 << 20 // alerts with their files
	// maxSmallBody bounds every other request body (decisions, tokens).
	maxSmallBody = 64 << 10
	// historyLimit is how many earlier cases of a user question 1 reads.
	historyLimit = 20
)

// Config wires a Server. Store and Queue are required; the zero value of
// every other field works.
type Config struct {
	Store store.Store
	Queue *queue.Queue
	// Investigate holds the thresholds; the zero value means
	// investigate.DefaultConfig. User, Prior and PriorSource are set per job.
	Investigate investigate.Config
	// Workers is how many jobs this node investigates at once; 0 means one
	// per CPU.
	Workers int
	// MaxBody bounds an alert post with its files, in bytes; 0 means
	// DefaultMaxBody. Larger bodies get 413.
	MaxBody int64
	// Node names this instance in logs and on the cases it commits; empty
	// means host name and process id.
	Node   string
	Logger *slog.Logger
	// Poll, when set, runs a poller that asks Graph every few minutes for
	// the users newly at risk and takes each flag in as an alert; nil runs
	// none, and alerts come in only through the API.
	Poll *PollConfig
	// Hooks are for tests that stop a worker at a chosen point; nil in
	// production.
	Hooks Hooks
}

// Hooks run at points of a job where a test may stop or kill the worker.
type Hooks struct {
	// BeforeCommit runs after the investigation, before the case is stored.
	BeforeCommit func(alertID string)
	// BeforeAck runs after the case is stored, before the job is
	// acknowledged.
	BeforeAck func(alertID string)
	// AfterPoll runs after each poll of Graph with what it returned; the
	// next poll waits for it.
	AfterPoll func(err error)
}

// Server is one node: its HTTP handler and its workers.
type Server struct {
	cfg     Config
	store   store.Store
	queue   *queue.Queue
	log     *slog.Logger
	metrics *metrics
	handler http.Handler

	draining atomic.Bool
	stop     context.CancelFunc // stops taking jobs
	abandon  context.CancelFunc // ends work in hand; its jobs are released
	workers  sync.WaitGroup

	poller   *poller // nil without Config.Poll
	stopPoll context.CancelFunc
	polling  sync.WaitGroup
}

// New builds a server; call Start to run its workers and serve Handler.
func New(cfg Config) (*Server, error) {
	if cfg.Store == nil || cfg.Queue == nil {
		return nil, errors.New("server: a store and a queue are required")
	}
	if cfg.Workers <= 0 {
		cfg.Workers = runtime.NumCPU()
	}
	if cfg.MaxBody <= 0 {
		cfg.MaxBody = DefaultMaxBody
	}
	if cfg.Node == "" {
		host, _ := os.Hostname()
		cfg.Node = fmt.Sprintf("%s-%d", host, os.Getpid())
	}
	if cfg.Investigate.MaxSpeedKmh == 0 {
		cfg.Investigate = investigate.DefaultConfig()
	}
	if cfg.Logger == nil {
		cfg.Logger = slog.New(slog.DiscardHandler)
	}
	s := &Server{cfg: cfg, store: cfg.Store, queue: cfg.Queue,
		log: cfg.Logger.With(keyNode, cfg.Node)}
	s.metrics = newMetrics(s)
	if cfg.Poll != nil {
		p, err := newPoller(s, *cfg.Poll)
		if err != nil {
			return nil, err
		}
		s.poller = p
	}
	s.handler = s.routes()
	return s, nil
}

// Handler serves the API, the metrics and the page.
func (s *Server) Handler() http.Handler { return s.handler }

// Node is this instance's name.
func (s *Server) Node() string { return s.cfg.Node }

// Start runs the workers, and the Graph poller when configured, until
// Shutdown.
func (s *Server) Start() {
	taking, stop := context.WithCancel(context.Background())
	working, abandon := context.WithCancel(context.Background())
	s.stop, s.abandon = stop, abandon
	for range s.cfg.Workers {
		s.workers.Add(1)
		go func() {
			defer s.workers.Done()
			s.work(taking, working)
		}()
	}
	s.log.Info("workers started", keyWorkers, s.cfg.Workers)
	if s.poller != nil {
		polling, stopPoll := context.WithCancel(context.Background())
		s.stopPoll = stopPoll
		s.polling.Go(func() { s.poller.run(polling) })
	}
}

// Shutdown stops the Graph poller at once (a poll in hand is cut; the next
// start asks Graph again), stops taking jobs and waits for the ones in
// hand until ctx ends; jobs still in hand then are released to other
// nodes, not lost. The store and queue stay open: the caller closes them
// afterwards.
func (s *Server) Shutdown(ctx context.Context) error {
	s.draining.Store(true)
	if s.stop == nil {
		return nil
	}
	if s.stopPoll != nil {
		s.stopPoll()
		s.polling.Wait()
	}
	s.stop()
	done := make(chan struct{})
	go func() { s.workers.Wait(); close(done) }()
	select {
	case <-done:
		s.log.Info("workers stopped")
		return nil
	case <-ctx.Done():
	}
	s.abandon()
	<-done
	s.log.Warn("workers stopped before finishing; their jobs were released")
	return nil
}
