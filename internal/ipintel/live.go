package ipintel

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"net/netip"
	"net/url"
	"sync"

	"github.com/idtriage/idtriage/internal/entra"
)

// streakLimit is how many failed addresses in a row make the API count as
// down for the rest of a Resolve: a hanging or failing server would
// otherwise cost every address its full round of timeouts and retries.
const streakLimit = 3

// liveLookups asks the IPData API through the cache.
type liveLookups struct {
	cfg       IPDataConfig
	client    *ipdataClient
	cache     *answerCache // nil without a cache or when it failed to open
	cachePath string
	cacheErr  error
	log       *slog.Logger
}

// openLive prepares live lookups; a cache that cannot be opened is logged
// and reported, and lookups go on without it.
func openLive(ctx context.Context, cfg IPDataConfig, log *slog.Logger) *liveLookups {
	base, err := url.Parse(cfg.BaseURL)
	if err != nil {
		// Config.Validate rejects such URLs; keep a usable value regardless.
		base = &url.URL{Scheme: "https", Host: "invalid"}
	}
	l := &liveLookups{cfg: cfg, cachePath: cfg.CachePath, log: log,
		client: &ipdataClient{base: base, key: cfg.Key, http: cfg.HTTPClient,
			timeout: cfg.Timeout, retries: cfg.Retries, backoff: cfg.Backoff,
			maxWait: cfg.MaxRetryWait, log: log, wait: sleep}}
	if cfg.CachePath != "" {
		l.cache, l.cacheErr = openCache(ctx, cfg.CachePath, cfg.TTL, cfg.Now)
		if l.cacheErr != nil {
			log.Warn("ipdata cache unusable, asking without it", keyPath, cfg.CachePath,
				keyError, l.cacheErr.Error())
		}
	}
	return l
}

func (l *liveLookups) close() error {
	if l.cache == nil {
		return nil
	}
	return l.cache.close()
}

// answer is the outcome of asking the API about one address.
type answer struct {
	info     entra.IPInfo
	err      error
	cacheErr error
}

// resolve asks about every address that no IPData file answered, the
// cache first, and merges the answers into t in address order, so that the
// table does not depend on which request finished first.
func (l *liveLookups) resolve(ctx context.Context, t *Table, addrs []netip.Addr,
	st, cacheSt *SourceStatus) {
	var todo []netip.Addr
	for _, a := range addrs {
		if t.entry(a.String()).ScoreSource == "" {
			todo = append(todo, a)
		}
	}
	cached := l.fromCache(ctx, todo, cacheSt)
	var miss []netip.Addr
	for _, a := range todo {
		if _, ok := cached[a.String()]; !ok {
			miss = append(miss, a)
		}
	}
	answers, cause := l.askAll(ctx, miss)

	for _, a := range todo {
		st.Asked++
		info, ok := cached[a.String()]
		if ok {
			st.Cached++
		} else {
			ans := answers[a]
			if cacheSt != nil && ans.cacheErr != nil {
				cacheSt.fail(ans.cacheErr)
			}
			if ans.err != nil {
				st.fail(ans.err)
				continue
			}
			info = ans.info
		}
		st.Answered++
		t.entry(a.String()).addIPInfo(&info, SourceIPDataAPI)
	}
	if cause != nil {
		st.Error = cause.Error()
	}
}

// fromCache reads the cached answers; a cache that fails is reported and
// the addresses are asked again.
func (l *liveLookups) fromCache(ctx context.Context, addrs []netip.Addr,
	cacheSt *SourceStatus) map[string]entra.IPInfo {
	if l.cache == nil || len(addrs) == 0 {
		return nil
	}
	keys := make([]string, len(addrs))
	for i, a := range addrs {
		keys[i] = a.String()
	}
	cached, err := l.cache.getMany(ctx, keys)
	cacheSt.Asked, cacheSt.Answered = len(keys), len(cached)
	if err != nil {
		cacheSt.fail(err)
		l.log.Warn("ipdata cache unreadable, asking again", keyPath, l.cachePath,
			keyError, err.Error())
	}
	return cached
}

// askAll runs the lookups on at most Concurrency workers within the time
// budget. cause is what stopped the API being asked, if anything did.
func (l *liveLookups) askAll(ctx context.Context, addrs []netip.Addr) (map[netip.Addr]answer,
	error) {
	ctx, cancel := context.WithTimeout(ctx, l.cfg.Budget)
	defer cancel()

	if len(addrs) == 0 {
		return nil, nil
	}
	out := make([]answer, len(addrs))
	br := &breaker{}
	// The first address goes alone: a rejected key or a used-up quota then
	// costs one request, not one per worker.
	out[0] = l.askOne(ctx, addrs[0], br)

	jobs := make(chan int)
	var wg sync.WaitGroup
	for range min(l.cfg.Concurrency, len(addrs)-1) {
		wg.Go(func() {
			for i := range jobs {
				out[i] = l.askOne(ctx, addrs[i], br)
			}
		})
	}
	for i := 1; i < len(addrs); i++ {
		jobs <- i
	}
	close(jobs)
	wg.Wait()

	m := make(map[netip.Addr]answer, len(addrs))
	for i, a := range addrs {
		m[a] = out[i]
	}
	return m, br.cause()
}

// askOne asks the API about one address unless the breaker has tripped,
// and keeps the answer in the cache.
func (l *liveLookups) askOne(ctx context.Context, a netip.Addr, br *breaker) answer {
	if err := br.cause(); err != nil {
		return answer{err: fmt.Errorf("not asked after an earlier failure: %w", err)}
	}
	info, err := l.client.lookup(ctx, a)
	if err != nil {
		if errors.Is(ctx.Err(), context.DeadlineExceeded) {
			err = fmt.Errorf("the time budget of %s for live lookups ran out", l.cfg.Budget)
			br.trip(err)
		}
		br.record(err)
		return answer{err: fmt.Errorf("ask about %s: %w", a, err)}
	}
	br.record(nil)
	l.log.Debug("ipdata answered", keyIP, a.String())

	ans := answer{info: info}
	if l.cache != nil {
		ans.cacheErr = l.cache.put(ctx, a.String(), info)
	}
	return ans
}

// breaker stops the lookups once the API has shown it will not answer: a
// rejected key, a used-up quota, a rate limit that outlasted the retries,
// or streakLimit failures in a row.
type breaker struct {
	mu     sync.Mutex
	err    error
	streak int
}

func (b *breaker) cause() error {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.err
}

func (b *breaker) trip(err error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	if b.err == nil {
		b.err = err
	}
}

// record notes the outcome of one address.
func (b *breaker) record(err error) {
	var ae *APIError
	isAPI := errors.As(err, &ae)
	switch {
	case err == nil:
		b.mu.Lock()
		b.streak = 0
		b.mu.Unlock()
	case isAPI && (ae.fatal() || ae.Status == http.StatusTooManyRequests):
		b.trip(err)
	case isAPI && ae.Status == http.StatusBadRequest:
		// About this address only.
	default:
		b.mu.Lock()
		b.streak++
		n := b.streak
		b.mu.Unlock()
		if n >= streakLimit {
			b.trip(fmt.Errorf("%d addresses in a row failed, the last with: %w", n, err))
		}
	}
}
