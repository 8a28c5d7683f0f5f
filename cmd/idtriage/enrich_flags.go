package main

import (
	"context"
	"fmt"
	"log/slog"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/spf13/pflag"

	"github.com/idtriage/idtriage/internal/ipintel"
)

// Environment variables of the IP-intelligence sources. A flag, when given,
// wins over its variable.
const (
	envIPDataKey     = "IPDATA_API_KEY"
	envGeoIPDB       = "IDTRIAGE_GEOIP_DB"
	envASNDB         = "IDTRIAGE_ASN_DB"
	envKnownNetworks = "IDTRIAGE_KNOWN_NETWORKS"
	envIPDataURL     = "IDTRIAGE_IPDATA_URL"
	envIPDataCache   = "IDTRIAGE_IPDATA_CACHE"
)

// Log keys of the IP-intelligence flags; log.go holds the others.
const (
	keyEndpoint = "endpoint"
	keyCache    = "cache"
	keyError    = "error"
)

// intelFlags are the flags of the IP-intelligence sources, shared by
// enrich and investigate.
type intelFlags struct {
	fs            *pflag.FlagSet
	cityDBs       []string
	asnDBs        []string
	knownNetworks string
	offline       bool
	ipdataURL     string
	ipdataCache   string
	timeout       time.Duration
	budget        time.Duration
	retries       int

	// hook asks the open resolver about a case's addresses; investigate
	// sets it once the resolver is open.
	hook func(*ipintel.Table, []string) []string
}

// register declares the flags on fs.
func (fl *intelFlags) register(fs *pflag.FlagSet) {
	fl.fs = fs
	fs.StringArrayVar(&fl.cityDBs, "geoip-db", nil, "MaxMind-format city database "+
		"(GeoLite2-City, DB-IP Lite City); repeat for separate IPv4 and IPv6 files "+
		"(env "+envGeoIPDB+", paths separated by '"+string(os.PathListSeparator)+"')")
	fs.StringArrayVar(&fl.asnDBs, "asn-db", nil, "MaxMind-format ASN database "+
		"(GeoLite2-ASN, DB-IP Lite ASN); repeatable (env "+envASNDB+")")
	fs.StringVar(&fl.knownNetworks, "known-networks", "", "CSV FILE of the tenant's "+
		"networks, cidr,name,trusted (env "+envKnownNetworks+")")
	fs.BoolVar(&fl.offline, "offline", false, "never ask the IPData API, even with "+
		envIPDataKey+" set")
	fs.StringVar(&fl.ipdataURL, "ipdata-url", ipintel.DefaultIPDataURL, "IPData API "+
		"endpoint, such as https://eu-api.ipdata.co (env "+envIPDataURL+")")
	fs.StringVar(&fl.ipdataCache, "ipdata-cache", "", "SQLite FILE caching IPData "+
		"answers for a week (env "+envIPDataCache+"; default: idtriage/ipdata.sqlite "+
		"in the user's cache folder)")
	fs.DurationVar(&fl.timeout, "ipdata-timeout", 5*time.Second, "time limit of one "+
		"IPData request")
	fs.DurationVar(&fl.budget, "ipdata-budget", 2*time.Minute, "time limit of all "+
		"IPData requests of one run")
	fs.IntVar(&fl.retries, "ipdata-retries", 3, "retries of an IPData request that hit "+
		"a rate limit (429), a server error (5xx) or a timeout; 0 for none")
}

// config turns flags and environment into the resolver's configuration:
// a flag given on the command line wins over its environment variable.
func (fl *intelFlags) config(log *slog.Logger) (ipintel.Config, error) {
	cfg := ipintel.Config{Logger: log,
		CityDBs:       fl.paths("geoip-db", fl.cityDBs, envGeoIPDB),
		ASNDBs:        fl.paths("asn-db", fl.asnDBs, envASNDB),
		KnownNetworks: fl.value("known-networks", fl.knownNetworks, envKnownNetworks),
	}
	if key := strings.TrimSpace(os.Getenv(envIPDataKey)); key != "" && !fl.offline {
		cache, err := fl.cachePath()
		if err != nil {
			log.Warn("ipdata answers will not be cached", keyError, err.Error())
		}
		cfg.IPData = ipintel.IPDataConfig{Key: ipintel.Secret(key), CachePath: cache,
			BaseURL: fl.value("ipdata-url", fl.ipdataURL, envIPDataURL),
			Timeout: fl.timeout, Budget: fl.budget, Retries: fl.retries}
		if fl.retries == 0 {
			cfg.IPData.Retries = -1 // the configuration reads 0 as "the default"
		}
	}
	if fl.timeout <= 0 || fl.budget <= 0 || fl.retries < 0 {
		return cfg, &usageError{fmt.Errorf("--ipdata-timeout and --ipdata-budget must be " +
			"positive, --ipdata-retries zero or more")}
	}
	if err := cfg.Validate(); err != nil {
		return cfg, &usageError{err}
	}
	return cfg, nil
}

// open builds the resolver; sources that cannot be opened are reported by
// each lookup, not here.
func (fl *intelFlags) open(ctx context.Context, log *slog.Logger) (*ipintel.Resolver, error) {
	cfg, err := fl.config(log)
	if err != nil {
		return nil, err
	}
	if cfg.IPData.Key != "" {
		log.Info("ipdata lookups on: public addresses without an answer are sent to the "+
			"IPData API", keyEndpoint, cfg.IPData.BaseURL, keyCache, cfg.IPData.CachePath)
	}
	return ipintel.Open(ctx, cfg), nil
}

func (fl *intelFlags) value(flag, v, env string) string {
	if fl.fs.Changed(flag) {
		return v
	}
	if e := strings.TrimSpace(os.Getenv(env)); e != "" {
		return e
	}
	return v
}

func (fl *intelFlags) paths(flag string, v []string, env string) []string {
	if fl.fs.Changed(flag) {
		return v
	}
	var out []string
	for _, p := range filepath.SplitList(os.Getenv(env)) {
		if p = strings.TrimSpace(p); p != "" {
			out = append(out, p)
		}
	}
	return out
}

// cachePath is the cache file: the flag, the variable, else the user's
// cache folder; "" with an error when there is none, and lookups then go
// uncached.
func (fl *intelFlags) cachePath() (string, error) {
	if p := fl.value("ipdata-cache", fl.ipdataCache, envIPDataCache); p != "" {
		return p, nil
	}
	dir, err := os.UserCacheDir()
	if err != nil {
		return "", fmt.Errorf("no cache folder (set --ipdata-cache): %w", err)
	}
	return filepath.Join(dir, "idtriage", "ipdata.sqlite"), nil
}

// intelHook lets an investigation ask the resolver about its addresses.
func intelHook(ctx context.Context, r *ipintel.Resolver) func(*ipintel.Table,
	[]string) []string {
	return func(t *ipintel.Table, addrs []string) []string {
		return r.Resolve(ctx, t, addrs).Gaps()
	}
}
