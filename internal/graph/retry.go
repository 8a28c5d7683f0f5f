package graph

import (
	"math/rand/v2"
	"net/http"
	"strconv"
	"strings"
	"time"
)

// backoff is the wait before attempt+1. A Retry-After from the service
// wins (Graph sends it with 429 and 503, in seconds or as an HTTP date).
// Otherwise the wait is drawn at random between half and all of
// min(MaxDelay, BaseDelay * 2^(attempt-1)), so that many clients
// throttled together do not come back together.
func (c *Client) backoff(attempt int, hdr http.Header) time.Duration {
	if d, ok := retryAfter(hdr, c.cfg.Now()); ok {
		return d
	}
	ceiling := c.cfg.MaxDelay
	if shift := attempt - 1; shift < 30 {
		ceiling = min(ceiling, c.cfg.BaseDelay<<shift)
	}
	half := ceiling / 2
	return half + rand.N(half+1)
}

// retryAfter reads a Retry-After header: delay-seconds or an HTTP date.
// A date in the past means now.
func retryAfter(hdr http.Header, now time.Time) (time.Duration, bool) {
	v := strings.TrimSpace(hdr.Get("Retry-After"))
	if v == "" {
		return 0, false
	}
	if n, err := strconv.Atoi(v); err == nil && n >= 0 {
		return time.Duration(n) * time.Second, true
	}
	if t, err := http.ParseTime(v); err == nil {
		return max(t.Sub(now), 0), true
	}
	return 0, false
}
