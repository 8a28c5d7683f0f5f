package ipintel

import (
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"net/netip"
	"net/url"
	"strings"
	"time"
)

// DefaultIPDataURL is the IPData API's global endpoint. IPData also runs
// https://eu-api.ipdata.co, which keeps the addresses sent in the EU.
const DefaultIPDataURL = "https://api.ipdata.co"

// Config says which sources a Resolver asks. The zero value asks only the
// built-in tables: the reserved ranges and the hosting and VPN list.
type Config struct {
	// KnownNetworks is the path of the tenant's known-networks CSV file
	// (cidr,name,trusted), or "".
	KnownNetworks string
	// CityDBs and ASNDBs are MaxMind-format database files, asked in
	// order; an IPv4-only file is skipped for IPv6 addresses, so a pair of
	// IPv4 and IPv6 files works as one.
	CityDBs []string
	ASNDBs  []string
	// IPData configures live lookups; they are off when its Key is empty.
	IPData IPDataConfig
	// Logger receives warnings about failing sources and retries; nil
	// discards them.
	Logger *slog.Logger
}

// IPDataConfig configures live IPData lookups. Only Key is needed; every
// zero value takes the default named beside it.
type IPDataConfig struct {
	Key Secret
	// BaseURL is the API endpoint (DefaultIPDataURL).
	BaseURL string
	// CachePath is the SQLite cache file; "" keeps no cache.
	CachePath string
	// TTL is how long a cached answer is used (DefaultTTL, a week).
	TTL time.Duration
	// Concurrency is how many requests run at once (4).
	Concurrency int
	// Timeout bounds one request, answer included (5 s).
	Timeout time.Duration
	// Retries is how many times a request that hit a rate limit, a server
	// error or a timeout is repeated (3); negative means never.
	Retries int
	// Backoff is the first wait before a retry, doubled each time (500 ms);
	// a Retry-After header replaces it.
	Backoff time.Duration
	// MaxRetryWait is the longest wait honoured; an answer that asks for
	// more ends the lookup (30 s).
	MaxRetryWait time.Duration
	// Budget bounds all live lookups of one Resolve (2 min); addresses not
	// asked by then are reported as failed.
	Budget time.Duration
	// HTTPClient makes the requests (a client of its own, no timeout of its
	// own: Timeout applies per request).
	HTTPClient *http.Client
	// Now is the clock of the cache (time.Now).
	Now func() time.Time
}

// Validate reports a setting that cannot work, naming it.
func (c Config) Validate() error {
	d := c.IPData
	var errs []error
	for name, v := range map[string]time.Duration{"TTL": d.TTL, "Timeout": d.Timeout,
		"Backoff": d.Backoff, "MaxRetryWait": d.MaxRetryWait, "Budget": d.Budget} {
		if v < 0 {
			errs = append(errs, fmt.Errorf("IPData %s is negative (%s)", name, v))
		}
	}
	if d.Concurrency < 0 {
		errs = append(errs, fmt.Errorf("IPData concurrency is negative (%d)", d.Concurrency))
	}
	if d.BaseURL != "" {
		u, err := url.Parse(d.BaseURL)
		switch {
		case err != nil || (u.Scheme != "https" && u.Scheme != "http") || u.Host == "":
			errs = append(errs, fmt.Errorf("IPData URL %q is not an http or https URL",
				d.BaseURL))
		case u.Scheme == "http" && !loopbackHost(u.Hostname()):
			errs = append(errs, fmt.Errorf("IPData URL %q is plain http: the API key "+
				"would cross the network unencrypted; use https (plain http is taken "+
				"only for a loopback address, such as a local mock)", d.BaseURL))
		}
	}
	return errors.Join(errs...)
}

// withDefaults fills every zero value of the live-lookup settings.
func (d IPDataConfig) withDefaults() IPDataConfig {
	pick := func(v, def time.Duration) time.Duration {
		if v == 0 {
			return def
		}
		return v
	}
	d.TTL = pick(d.TTL, DefaultTTL)
	d.Timeout = pick(d.Timeout, 5*time.Second)
	d.Backoff = pick(d.Backoff, 500*time.Millisecond)
	d.MaxRetryWait = pick(d.MaxRetryWait, 30*time.Second)
	d.Budget = pick(d.Budget, 2*time.Minute)
	if d.BaseURL == "" {
		d.BaseURL = DefaultIPDataURL
	}
	if d.Concurrency == 0 {
		d.Concurrency = 4
	}
	switch {
	case d.Retries == 0:
		d.Retries = 3
	case d.Retries < 0:
		d.Retries = 0
	}
	if d.HTTPClient == nil {
		d.HTTPClient = &http.Client{}
	}
	if d.Now == nil {
		d.Now = time.Now
	}
	return d
}

// loopbackHost reports whether host names this machine: localhost or a
// loopback address.
func loopbackHost(host string) bool {
	if strings.EqualFold(host, "localhost") {
		return true
	}
	a, err := netip.ParseAddr(host)
	return err == nil && a.IsLoopback()
}
