package graphtest

import (
	"math/rand/v2"
	"net/http"
	"net/http/httptest"
	"sync"
	"time"
)

// Credentials the fake login host accepts unless Options say otherwise.
const (
	TenantID     = "00000000-0000-4000-8000-0000000000aa"
	ClientID     = "00000000-0000-4000-8000-0000000000bb"
	ClientSecret = "fake-client-secret-value"
)

// Options shape the fake. The zero value serves every record on pages of
// DefaultPageSize, with no fault, and accepts the package's credentials.
type Options struct {
	// Seed drives every random choice, so a run can be repeated.
	Seed uint64
	// PageSize is the most records one page holds, whatever $top asks.
	PageSize int
	// Throttle, Unavailable and ServerError are the chances that a Graph
	// request is answered 429 (with Retry-After), 503 (with Retry-After)
	// or 500 (without) instead of its page.
	Throttle    float64
	Unavailable float64
	ServerError float64
	// RetryAfter is the seconds a 429 or 503 asks the client to wait.
	RetryAfter int
	// Overlap is the chance that a page starts with the last record of the
	// page before, as Graph may after a retry.
	Overlap float64
	// Latency delays every Graph answer.
	Latency time.Duration
	// Deny lists the application permissions the app lacks; endpoints
	// that need one answer 403.
	Deny []string
	// Now and Retention make the fake refuse, as Graph does, a filter that
	// starts before now - Retention; zero Retention checks nothing.
	Now       time.Time
	Retention time.Duration
	// TenantID, ClientID and ClientSecret are the credentials the token
	// endpoint accepts; empty means the package constants.
	TenantID, ClientID, ClientSecret string
}

// DefaultPageSize is the page size of a zero Options: small, so that the
// example's 82 sign-ins span many nextLinks.
const DefaultPageSize = 7

// Stats counts what the fake did.
type Stats struct {
	// Requests are Graph requests; Pages the pages answered 200 (profiles
	// included); Records the records on them, repeats included.
	Requests int
	Pages    int
	Records  int
	// Throttled (429), Unavailable (503), ServerErrors (500), Forbidden
	// (403), Unauthorized (401) and BadRequests (400) count the answers
	// that were not a page.
	Throttled    int
	Unavailable  int
	ServerErrors int
	Forbidden    int
	Unauthorized int
	BadRequests  int
	// Overlaps counts records served again at the top of a page.
	Overlaps int
	// Tokens counts access tokens issued; Unexpected counts requests to a
	// path the fake does not know (a client probing something else).
	Tokens     int
	Unexpected int
}

// Retried is how many answers asked the client to try again.
func (s Stats) Retried() int { return s.Throttled + s.Unavailable + s.ServerErrors }

// Server is a fake Microsoft Graph and Entra ID token endpoint, each on
// its own loopback TLS server.
type Server struct {
	graph, login *httptest.Server
	opts         Options

	mu      sync.Mutex
	rnd     *rand.Rand
	records map[kind][]*record
	tokens  map[string]bool
	stats   Stats
	filters []string
}

// New starts the fake. Close it when done.
func New(opts Options) *Server {
	if opts.PageSize <= 0 {
		opts.PageSize = DefaultPageSize
	}
	if opts.RetryAfter == 0 {
		opts.RetryAfter = 2
	}
	opts.TenantID = or(opts.TenantID, TenantID)
	opts.ClientID = or(opts.ClientID, ClientID)
	opts.ClientSecret = or(opts.ClientSecret, ClientSecret)
	s := &Server{opts: opts, rnd: rand.New(rand.NewPCG(opts.Seed, opts.Seed^0x9e3779b97f4a7c15)),
		records: map[kind][]*record{}, tokens: map[string]bool{}}
	s.graph = httptest.NewTLSServer(http.HandlerFunc(s.serveGraph))
	s.login = httptest.NewTLSServer(http.HandlerFunc(s.serveLogin))
	return s
}

func or(v, def string) string {
	if v == "" {
		return def
	}
	return v
}

// Close stops both servers.
func (s *Server) Close() {
	s.graph.Close()
	s.login.Close()
}

// GraphHost and LoginHost are the fake's hosts, as https://127.0.0.1:port.
func (s *Server) GraphHost() string { return s.graph.URL }

// LoginHost is the fake token endpoint's host.
func (s *Server) LoginHost() string { return s.login.URL }

// HTTPClient trusts the fake's certificate; both servers share it.
func (s *Server) HTTPClient() *http.Client { return s.graph.Client() }

// Stats returns the counts so far.
func (s *Server) Stats() Stats {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.stats
}

// Filters returns every $filter received, in order.
func (s *Server) Filters() []string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]string(nil), s.filters...)
}

// SetNow moves the fake's clock, for its retention check.
func (s *Server) SetNow(t time.Time) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.opts.Now = t
}

// SetFaults changes the chances of 429, 503 and 500 answers.
func (s *Server) SetFaults(throttle, unavailable, serverError float64) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.opts.Throttle, s.opts.Unavailable, s.opts.ServerError = throttle, unavailable, serverError
}

// Deny sets the permissions the app lacks.
func (s *Server) Deny(perms ...string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.opts.Deny = perms
}
