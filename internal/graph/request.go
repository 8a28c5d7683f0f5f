package graph

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"net/http"
	"time"

	"github.com/idtriage/idtriage/internal/jsonx"
)

// maxBody bounds one answer; a Graph page of 1,000 sign-ins is a few MB.
const maxBody = 256 << 20

// budget is the deadline of one pull and the counters it reports; the
// zero deadline means no bound.
type budget struct {
	deadline time.Time
	requests int
	retries  int
	// throttled counts 429 and 503 answers, the ones with Retry-After.
	throttled int
}

// left is the time until the deadline; ok is false once it has passed.
func (b *budget) left(now time.Time) (time.Duration, bool) {
	if b.deadline.IsZero() {
		return time.Duration(1<<63 - 1), true
	}
	d := b.deadline.Sub(now)
	return d, d > 0
}

// get fetches u and returns its body. It retries throttling (429, 503,
// honouring Retry-After), server errors and broken connections with
// capped exponential backoff and jitter; renews a refused token once; and
// stops with ErrBudget rather than wait past the budget. perm names the
// permission a 403 means is missing.
func (c *Client) get(ctx context.Context, b *budget, u, perm string) ([]byte, error) {
	endpoint, filter := endpointOf(u)
	renew, renewed := false, false
	for attempt := 1; ; attempt++ {
		left, ok := b.left(c.cfg.Now())
		if !ok {
			return nil, fmt.Errorf("graph: GET %s: %w", endpoint, ErrBudget)
		}
		status, hdr, body, err := c.send(ctx, u, left, renew)
		renew = false
		if !errors.Is(err, errToken) {
			b.requests++
		}
		if err == nil && status == http.StatusOK {
			return body, nil
		}
		if ctx.Err() != nil {
			return nil, fmt.Errorf("graph: GET %s: %w", endpoint, ctx.Err())
		}
		if _, ok := b.left(c.cfg.Now()); !ok {
			return nil, fmt.Errorf("graph: GET %s: %w", endpoint, ErrBudget)
		}
		var gerr graphError
		if err == nil {
			gerr = parseError(body)
		}
		switch {
		case err != nil && errors.Is(err, errToken):
			return nil, err
		case status == http.StatusUnauthorized && !renewed:
			renew, renewed = true, true
			continue
		case status == http.StatusForbidden:
			return nil, &PermissionError{Permission: perm, Endpoint: endpoint, Code: gerr.Code,
				Message: gerr.Message}
		case err == nil && !transient(status):
			return nil, &StatusError{Status: status, Endpoint: endpoint, Filter: filter,
				Code: gerr.Code, Message: gerr.Message, RequestID: hdr.Get("request-id")}
		}

		// Transient: a broken connection, throttling or a server error.
		if attempt > c.cfg.MaxRetries {
			if err != nil {
				return nil, fmt.Errorf("graph: GET %s: giving up after %d attempts: %w",
					endpoint, attempt, err)
			}
			return nil, &StatusError{Status: status, Endpoint: endpoint, Code: gerr.Code,
				Message: gerr.Message, RequestID: hdr.Get("request-id"), Attempts: attempt}
		}
		if status == http.StatusTooManyRequests || status == http.StatusServiceUnavailable {
			b.throttled++
		}
		wait := c.backoff(attempt, hdr)
		if left, _ := b.left(c.cfg.Now()); wait >= left {
			what := fmt.Sprintf("answered %d", status)
			if err != nil {
				what = "failed (" + err.Error() + ")"
			}
			return nil, fmt.Errorf("graph: GET %s %s; another attempt in %s would pass the "+
				"deadline: %w", endpoint, what, wait.Round(time.Second), ErrBudget)
		}
		b.retries++
		c.logRetry(endpoint, status, err, attempt, wait, hdr)
		if err := c.cfg.Sleep(ctx, wait); err != nil {
			return nil, fmt.Errorf("graph: GET %s: %w", endpoint, err)
		}
	}
}

// errToken marks a failure to get a token, which no retry of the page
// can cure (the credential retries on its own).
var errToken = errors.New("no token")

// send makes one attempt. A transport error comes back as err with a zero
// status; an HTTP answer of any status comes back without error.
func (c *Client) send(ctx context.Context, u string, left time.Duration, renew bool) (
	int, http.Header, []byte, error) {
	// The budget bounds the token request too: a slow login host must not
	// hold a pull past its deadline.
	ctx, cancel := context.WithTimeout(ctx, left)
	defer cancel()
	tok, err := c.bearer(ctx, renew)
	if err != nil {
		return 0, nil, nil, fmt.Errorf("%w: %w", errToken, err)
	}
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, u, nil)
	if err != nil {
		return 0, nil, nil, fmt.Errorf("%w: %w", errToken, err)
	}
	req.Header.Set("Authorization", "Bearer "+tok.Reveal())
	req.Header.Set("Accept", "application/json")
	req.Header.Set("User-Agent", "idtriage")
	// client-request-id lets Microsoft support find the request in its logs.
	req.Header.Set("client-request-id", requestID())

	resp, err := c.cfg.HTTPClient.Do(req)
	if err != nil {
		return 0, nil, nil, err
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(io.LimitReader(resp.Body, maxBody))
	if err != nil {
		return 0, resp.Header, nil, fmt.Errorf("read answer: %w", err)
	}
	return resp.StatusCode, resp.Header, body, nil
}

// transient reports whether a status is worth another attempt.
func transient(status int) bool {
	switch status {
	case 0, http.StatusTooManyRequests, http.StatusInternalServerError, http.StatusBadGateway,
		http.StatusServiceUnavailable, http.StatusGatewayTimeout:
		return true
	}
	return false
}

// graphError is the body of a Graph error answer.
type graphError struct {
	Code    string `json:"code"`
	Message string `json:"message"`
}

func parseError(body []byte) graphError {
	var e struct {
		Error graphError `json:"error"`
	}
	_ = jsonx.Unmarshal(body, &e)
	return e.Error
}

func requestID() string {
	var b [16]byte
	_, _ = rand.Read(b[:])
	return hex.EncodeToString(b[:])
}

// logRetry warns of one retry, with what the service or the network said.
func (c *Client) logRetry(endpoint string, status int, err error, attempt int,
	wait time.Duration, hdr http.Header) {
	attrs := []any{logKeyURL, endpoint, logKeyAttempt, attempt, logKeyWait, wait}
	if err != nil {
		attrs = append(attrs, logKeyError, err.Error())
	} else {
		attrs = append(attrs, logKeyStatus, status)
	}
	if id := hdr.Get("request-id"); id != "" {
		attrs = append(attrs, logKeyRequestID, id)
	}
	c.log.Warn("graph request retried", attrs...)
}
