package ipintel

import (
	"context"
	"log/slog"
	"sync"
	"testing"
	"time"

	"github.com/idtriage/idtriage/internal/ipintel/ipinteltest"
)

// Shorthands for the shared test helpers.
const testKey = ipinteltest.Key

type mmdbSpec = ipinteltest.Spec

var (
	buildMMDB   = ipinteltest.MMDB
	writeFile   = ipinteltest.WriteFile
	geoLiteCity = ipinteltest.GeoLiteCity
	flatCity    = ipinteltest.FlatCity
	asnRecord   = ipinteltest.ASN
	testCityDB  = ipinteltest.CityDB
	testASNDB   = ipinteltest.ASNDB
	ipdataBody  = ipinteltest.Body
)

// fakeIPData wraps the shared fake server with this package's helpers.
type fakeIPData struct {
	*ipinteltest.IPData
}

func newFakeIPData(t testing.TB) fakeIPData {
	return fakeIPData{ipinteltest.NewIPData(t)}
}

// liveConfig points live lookups at the fake server with short timeouts.
func (f fakeIPData) liveConfig() IPDataConfig {
	return IPDataConfig{Key: testKey, BaseURL: f.URL, Timeout: 200 * time.Millisecond,
		Backoff: time.Millisecond, Retries: 2, MaxRetryWait: time.Second,
		Budget: 10 * time.Second, HTTPClient: f.Client}
}

// testClient is a client of the fake server that records the waits it
// would have slept instead of sleeping.
func (f fakeIPData) testClient(waits *[]time.Duration) *ipdataClient {
	l := openLive(context.Background(), f.liveConfig().withDefaults(), discard())
	c := l.client
	c.maxWait = 10 * time.Second
	var mu sync.Mutex
	c.wait = func(ctx context.Context, d time.Duration) error {
		mu.Lock()
		defer mu.Unlock()
		*waits = append(*waits, d)
		return ctx.Err()
	}
	return c
}

func discard() *slog.Logger {
	return slog.New(slog.DiscardHandler)
}
