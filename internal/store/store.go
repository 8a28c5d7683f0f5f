package store

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"time"
)

// Sentinel errors callers branch on.
var (
	// ErrNotFound: no alert, case or token has that id, name or hash.
	ErrNotFound = errors.New("not found")
	// ErrExists: a token of that name is already stored.
	ErrExists = errors.New("already exists")
)

// Store is where cases rest. Every method is safe for concurrent use by
// several goroutines, and, on PostgreSQL, by several nodes.
type Store interface {
	// PutAlert stores an alert taken in, in state queued, unless one with
	// the same ID exists; created says which happened.
	PutAlert(ctx context.Context, a Alert) (created bool, err error)
	// Alert returns the alert with payload, or ErrNotFound.
	Alert(ctx context.Context, id string) (Alert, error)
	// StartAttempt counts one more delivery of the alert's job to node.
	StartAttempt(ctx context.Context, id, node string) error
	// FailAlert marks the alert failed for good, with the reason.
	FailAlert(ctx context.Context, id, reason string) error

	// PutCase commits a finished case and marks its alert done, in one
	// transaction, unless a case with the same ID exists; created says
	// which happened.
	PutCase(ctx context.Context, c Case) (created bool, err error)
	// Case returns one case with its reports and every decision on it.
	Case(ctx context.Context, id string) (Case, error)
	// Cases lists cases newest first, without reports, each with its
	// latest decision.
	Cases(ctx context.Context, f Filter) ([]Case, error)
	// History returns the user's cases opened before the given time,
	// oldest first, without reports, each with all its decisions; at most
	// limit of the newest.
	History(ctx context.Context, tenant, user string, before time.Time,
		limit int) ([]Case, error)

	// AddDecision records an analyst's decision on a case; it fills ID and
	// returns ErrNotFound when the case does not exist.
	AddDecision(ctx context.Context, d Decision) (Decision, error)

	// PutToken stores a token's hash, or returns ErrExists for a taken name.
	PutToken(ctx context.Context, t Token) error
	// TokenByHash finds the token whose hash is given, or ErrNotFound.
	TokenByHash(ctx context.Context, hash string) (Token, error)
	// Tokens lists every token, by name.
	Tokens(ctx context.Context) ([]Token, error)
	// DeleteToken removes a token by name, or returns ErrNotFound.
	DeleteToken(ctx context.Context, name string) error

	// Kind names the backend: "sqlite" or "postgres".
	Kind() string
	// Ping checks that the store answers.
	Ping(ctx context.Context) error
	// Close releases the connections.
	Close() error
}

// Alert states.
const (
	StateQueued = "queued"
	StateDone   = "done"
	StateFailed = "failed"
)

// Alert is one alert taken in, waiting to be or already investigated.
type Alert struct {
	// ID is the idempotency key (see Key); the case gets the same id.
	ID      string
	Tenant  string
	User    string
	AlertID string
	// Kind is the record that raised it: riskyUser or riskDetection.
	Kind     string
	Received time.Time
	State    string
	Attempts int
	Node     string
	Error    string
	// Payload is opaque to the store: the alert and the files posted with
	// it, as the server encodes them.
	Payload []byte
}

// Case is a finished investigation at rest.
type Case struct {
	ID       string
	Tenant   string
	User     string
	AlertID  string
	Received time.Time // when the alert was taken in
	Created  time.Time // when the case was committed
	Node     string    // the node whose worker committed it

	// The machine's verdict, copied out of the report for filtering.
	Label       string
	Disposition string
	Outcome     string
	Confidence  string
	Rule        string
	Summary     string
	Duration    time.Duration // investigation time

	// Records are the ids of the records the case cites, as kind:id.
	Records []string

	// The rendered reports; empty in lists and history.
	JSON, Markdown, HTML []byte

	// Decisions are all analysts' decisions, oldest first (Case and
	// History); lists carry only Latest.
	Decisions []Decision
	Latest    *Decision
}

// Decision actions.
const (
	ActionConfirm  = "confirm"
	ActionOverturn = "overturn"
)

// Decision is an analyst's ruling on a case, kept beside the machine's
// verdict and never over it.
type Decision struct {
	ID      int64
	CaseID  string
	Analyst string
	Action  string // confirm or overturn
	// Label is the analyst's verdict when overturning, else empty.
	Label string
	Note  string
	Time  time.Time
}

// Filter selects cases. The zero value lists the newest DefaultLimit.
type Filter struct {
	Tenant      string
	User        string // case-folded principal name
	Disposition string // true_positive, benign_positive, ...
	Confidence  string
	Since       time.Time // created at or after
	Until       time.Time // created before
	Limit       int       // 0 means DefaultLimit; capped at MaxLimit
	Offset      int
}

// Page sizes of Cases.
const (
	DefaultLimit = 100
	MaxLimit     = 1000
)

// Role is what a token may do; each role includes the ones before it.
type Role string

// Roles, weakest first.
const (
	RoleReader  Role = "reader"  // read cases and metrics
	RoleAnalyst Role = "analyst" // also post alerts and decisions
	RoleAdmin   Role = "admin"   // also manage tokens
)

// Allows reports whether r includes need.
func (r Role) Allows(need Role) bool {
	return rank(r) >= rank(need) && rank(need) > 0
}

// Valid reports whether r is one of the three roles.
func (r Role) Valid() bool { return rank(r) > 0 }

func rank(r Role) int {
	switch r {
	case RoleReader:
		return 1
	case RoleAnalyst:
		return 2
	case RoleAdmin:
		return 3
	}
	return 0
}

// Token is a bearer token at rest: its name and the hex SHA-256 of its
// secret, never the secret itself.
type Token struct {
	Name    string
	Hash    string
	Role    Role
	Created time.Time
}

// Key is the idempotency key of an alert: the same tenant, user and alert
// id always give the same key, so the same alert posted twice is one case.
func Key(tenant, user, alertID string) string {
	h := sha256.Sum256([]byte(tenant + "\x00" + user + "\x00" + alertID))
	return hex.EncodeToString(h[:16])
}
