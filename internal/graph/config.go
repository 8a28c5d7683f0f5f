package graph

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"time"

	"github.com/Azure/azure-sdk-for-go/sdk/azcore"
)

// Defaults of Config.
const (
	DefaultBudget     = 10 * time.Minute
	DefaultPageSize   = 500
	DefaultMaxRetries = 8
	DefaultBaseDelay  = time.Second
	DefaultMaxDelay   = time.Minute
	// DefaultLogRetention is how far back Graph serves sign-ins and
	// directory audits in a tenant with Entra ID P1 or P2 (free tenants:
	// seven days).
	DefaultLogRetention = 30 * 24 * time.Hour
	// DefaultRiskRetention is how far back Graph serves risk detections.
	DefaultRiskRetention = 90 * 24 * time.Hour
)

// Config configures a Client. The zero value reads the global cloud with
// the Azure SDK's default credential chain, a ten-minute budget per pull
// and real time.
type Config struct {
	// GraphHost and LoginHost are the hosts of the cloud, scheme and host
	// only; empty means the global cloud (see Clouds).
	GraphHost string
	LoginHost string

	// Credential issues tokens; nil builds one from Auth. Tests substitute
	// their own here or point Auth at a fake login host.
	Credential azcore.TokenCredential
	Auth       Auth

	// HTTPClient carries Graph requests and, for credentials that use
	// HTTP, token requests; nil uses a client with sane timeouts.
	HTTPClient *http.Client

	// Budget bounds one Pull. When it runs out the pull stops, keeps what
	// it read and reports what it did not (the export is then PARTIAL).
	// Zero means DefaultBudget; a negative value means no bound.
	Budget time.Duration
	// PageSize is the $top asked of list endpoints; Graph may send fewer.
	PageSize int
	// MaxRetries bounds the attempts at one page after the first.
	MaxRetries int
	// BaseDelay and MaxDelay shape the backoff between attempts when the
	// service gives no Retry-After: the n-th wait is drawn at random up to
	// min(MaxDelay, BaseDelay * 2^n).
	BaseDelay time.Duration
	MaxDelay  time.Duration
	// LogRetention and RiskRetention are how far back the tenant keeps
	// sign-ins and audits, and risk detections. A window that starts
	// earlier is refused before any request is sent.
	LogRetention  time.Duration
	RiskRetention time.Duration

	// Logger receives Info lines per source and run, Warn lines per retry.
	// Nil discards. Tokens and secrets are never logged; record contents
	// never above Debug.
	Logger *slog.Logger
	// Now and Sleep are the clock; nil means real time. Tests replace them
	// to honour long Retry-After values without waiting.
	Now   func() time.Time
	Sleep func(ctx context.Context, d time.Duration) error
}

// withDefaults fills the zero fields and checks the hosts.
func (c Config) withDefaults() (Config, error) {
	var err error
	def := Clouds["global"]
	if c.GraphHost == "" {
		c.GraphHost = def.GraphHost
	}
	if c.LoginHost == "" {
		c.LoginHost = def.LoginHost
	}
	var errG, errL error
	c.GraphHost, errG = normaliseHost("graph host", c.GraphHost)
	c.LoginHost, errL = normaliseHost("login host", c.LoginHost)
	if err = errors.Join(errG, errL); err != nil {
		return c, err
	}
	if c.Budget == 0 {
		c.Budget = DefaultBudget
	}
	c.PageSize = orDefault(c.PageSize, DefaultPageSize)
	c.MaxRetries = orDefault(c.MaxRetries, DefaultMaxRetries)
	c.BaseDelay = orDefault(c.BaseDelay, DefaultBaseDelay)
	c.MaxDelay = orDefault(c.MaxDelay, DefaultMaxDelay)
	c.LogRetention = orDefault(c.LogRetention, DefaultLogRetention)
	c.RiskRetention = orDefault(c.RiskRetention, DefaultRiskRetention)
	if c.PageSize < 1 || c.PageSize > 1000 {
		return c, fmt.Errorf("page size %d: want 1 to 1000", c.PageSize)
	}
	if c.Logger == nil {
		c.Logger = slog.New(slog.DiscardHandler)
	}
	if c.Now == nil {
		c.Now = time.Now
	}
	if c.Sleep == nil {
		c.Sleep = sleep
	}
	if c.HTTPClient == nil {
		c.HTTPClient = &http.Client{Timeout: 2 * time.Minute}
	}
	return c, nil
}

func orDefault[T int | time.Duration](v, def T) T {
	if v == 0 {
		return def
	}
	return v
}

// sleep waits d or until ctx is done.
func sleep(ctx context.Context, d time.Duration) error {
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-t.C:
		return nil
	case <-ctx.Done():
		return ctx.Err()
	}
}
