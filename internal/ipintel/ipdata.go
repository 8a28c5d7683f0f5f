package ipintel

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/netip"
	"net/url"
	"strings"
	"time"

	"github.com/idtriage/idtriage/internal/entra"
	"github.com/idtriage/idtriage/internal/jsonx"
)

// maxAnswer caps the bytes read from one API answer; real ones are about
// 1.5 KiB.
const maxAnswer = 1 << 20

// APIError is an IPData API answer that was not a result: the HTTP status
// and the API's own message.
type APIError struct {
	Status  int
	Message string
	// RetryAfter is the wait the API asked for (429 and 503), if any.
	RetryAfter time.Duration
}

// Error says what the status means for the lookup, then the wait asked
// for and the API's message, when there are.
func (e *APIError) Error() string {
	what := map[int]string{
		http.StatusBadRequest:      "the API refused the address",
		http.StatusUnauthorized:    "the API key was rejected",
		http.StatusForbidden:       "the quota is used up or the key does not exist",
		http.StatusTooManyRequests: "rate limited",
	}[e.Status]
	if what == "" && e.Status >= 500 {
		what = "server error"
	}
	s := fmt.Sprintf("HTTP %d", e.Status)
	if what != "" {
		s += ": " + what
	}
	if e.RetryAfter > 0 {
		s += fmt.Sprintf(" (retry after %s)", e.RetryAfter)
	}
	if e.Message != "" {
		s += fmt.Sprintf(" (%q)", e.Message)
	}
	return s
}

// fatal reports whether the error will be the same for every address, so
// that asking about the others is pointless: a rejected key or quota.
func (e *APIError) fatal() bool {
	return e.Status == http.StatusUnauthorized || e.Status == http.StatusForbidden
}

func (e *APIError) retryable() bool {
	return e.Status == http.StatusTooManyRequests || e.Status >= 500
}

// ipdataClient asks the IPData API about one address at a time, with a
// timeout per request and retries on rate limits, server errors and
// timeouts. It is safe for concurrent use.
type ipdataClient struct {
	base    *url.URL
	key     Secret
	http    *http.Client
	timeout time.Duration
	retries int
	backoff time.Duration
	maxWait time.Duration
	log     *slog.Logger
	// wait pauses between tries; tests replace it to record the waits.
	wait func(context.Context, time.Duration) error
}

// lookup returns the API's answer for a, retrying what may pass: 429 after
// the wait the API asks for (if it is no longer than maxWait), 5xx and
// timeouts after an exponential backoff.
func (c *ipdataClient) lookup(ctx context.Context, a netip.Addr) (entra.IPInfo, error) {
	for attempt := 0; ; attempt++ {
		info, err := c.once(ctx, a)
		if err == nil || attempt >= c.retries || !retryable(ctx, err) {
			return info, err
		}

		wait := backoff(c.backoff, attempt)
		var ae *APIError
		if errors.As(err, &ae) && ae.RetryAfter > 0 {
			wait = ae.RetryAfter
		}
		if wait > c.maxWait {
			return entra.IPInfo{}, fmt.Errorf("%w; not retried: the wait is longer than %s",
				err, c.maxWait)
		}
		c.log.Warn("ipdata request failed, retrying", keyIP, a.String(), keyAttempt,
			attempt+1, keyWait, wait, keyError, err.Error())
		if serr := c.wait(ctx, wait); serr != nil {
			return entra.IPInfo{}, fmt.Errorf("%w; not retried: %w", err, serr)
		}
	}
}

// retryable reports whether another try may succeed: not when the caller
// gave up, nor for answers that will not change (bad key, bad JSON).
func retryable(ctx context.Context, err error) bool {
	if ctx.Err() != nil {
		return false
	}
	var ae *APIError
	if errors.As(err, &ae) {
		return ae.retryable()
	}
	var te *transportError
	return errors.As(err, &te)
}

// once makes one request.
func (c *ipdataClient) once(ctx context.Context, a netip.Addr) (entra.IPInfo, error) {
	ctx, cancel := context.WithTimeout(ctx, c.timeout)
	defer cancel()

	u := c.base.JoinPath(a.String())
	q := u.Query()
	q.Set("api-key", string(c.key))
	u.RawQuery = q.Encode()
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, u.String(), nil)
	if err != nil {
		return entra.IPInfo{}, fmt.Errorf("build request for %s: %w", a, err)
	}
	req.Header.Set("Accept", "application/json")

	resp, err := c.http.Do(req)
	if err != nil {
		return entra.IPInfo{}, c.transport(ctx, err)
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(io.LimitReader(resp.Body, maxAnswer))
	if err != nil {
		return entra.IPInfo{}, c.transport(ctx, err)
	}

	if resp.StatusCode != http.StatusOK {
		return entra.IPInfo{}, &APIError{Status: resp.StatusCode, Message: apiMessage(body),
			RetryAfter: retryAfter(resp.Header, time.Now())}
	}
	info, err := decodeIPData(body, a)
	if err != nil {
		return entra.IPInfo{}, fmt.Errorf("HTTP 200 but %w", err)
	}
	return info, nil
}

// transportError is a request that got no answer: refused, reset, timed
// out. It is worth retrying.
type transportError struct{ err error }

func (e *transportError) Error() string { return e.err.Error() }
func (e *transportError) Unwrap() error { return e.err }

// transport turns a client error into one that names no URL: the URL holds
// the API key.
func (c *ipdataClient) transport(ctx context.Context, err error) error {
	var ue *url.Error
	if errors.As(err, &ue) {
		err = ue.Err
	}
	if errors.Is(err, context.DeadlineExceeded) || errors.Is(ctx.Err(),
		context.DeadlineExceeded) {
		err = fmt.Errorf("no answer within %s", c.timeout)
	}
	if errors.Is(err, context.Canceled) {
		return err
	}
	return &transportError{err: fmt.Errorf("request to %s failed: %w", c.base.Host, err)}
}

// apiMessage is the "message" of an error answer, cleaned to one short
// line; the API writes it for people.
func apiMessage(body []byte) string {
	var m struct {
		Message string `json:"message"`
	}
	if jsonx.Unmarshal(body, &m) != nil {
		return ""
	}
	return clip(strings.Join(strings.Fields(m.Message), " "), 120)
}
