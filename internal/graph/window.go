package graph

import (
	"errors"
	"fmt"
	"strconv"
	"strings"
	"time"
)

// Window is the span of time a pull asks for, in UTC, both ends included.
type Window struct {
	// Start is the first instant asked for, End the last.
	Start time.Time `json:"start"`
	End   time.Time `json:"end"`
}

// ParseSince reads how far back to look, ending at now: a count of days,
// hours or minutes ("30d", "12h", "90m"), or a start in RFC 3339
// ("2026-11-01T00:00:00Z") or as a UTC date ("2026-11-01"). Times are
// truncated to the second, as Graph filters carry no fraction.
func ParseSince(s string, now time.Time) (Window, error) {
	now = now.UTC().Truncate(time.Second)
	s = strings.TrimSpace(s)
	if start, ok := parseInstant(s); ok {
		if !start.Before(now) {
			return Window{}, fmt.Errorf("since %q: the start is not in the past", s)
		}
		return Window{start.UTC().Truncate(time.Second), now}, nil
	}
	d, err := span(s)
	switch {
	case errors.Is(err, errUnit):
		return Window{}, fmt.Errorf("since %q: want a duration such as 30d, 12h or 90m, "+
			"or a start such as 2026-11-01 or 2026-11-01T08:00:00Z", s)
	case err != nil:
		return Window{}, fmt.Errorf("since %q: %w", s, err)
	}
	return Window{now.Add(-d), now}, nil
}

// ParseSpan reads a length of time as ParseSince counts one: days, hours
// or minutes ("7d", "12h", "90m"). A service that pulls a rolling window
// takes its length this way.
func ParseSpan(s string) (time.Duration, error) {
	d, err := span(strings.TrimSpace(s))
	if errors.Is(err, errUnit) {
		return 0, fmt.Errorf("%q: want a duration such as 7d, 12h or 90m", s)
	}
	if err != nil {
		return 0, fmt.Errorf("%q: %w", s, err)
	}
	return d, nil
}

var (
	errUnit  = errors.New("no unit")
	errCount = errors.New("the count must be a positive whole number")
)

func span(s string) (time.Duration, error) {
	unit := map[byte]time.Duration{'d': 24 * time.Hour, 'h': time.Hour, 'm': time.Minute}
	if len(s) < 2 || unit[s[len(s)-1]] == 0 {
		return 0, errUnit
	}
	n, err := strconv.Atoi(s[:len(s)-1])
	if err != nil || n <= 0 {
		return 0, errCount
	}
	return time.Duration(n) * unit[s[len(s)-1]], nil
}

func parseInstant(s string) (time.Time, bool) {
	if t, err := time.Parse(time.RFC3339, s); err == nil {
		return t, true
	}
	if t, err := time.Parse(time.DateOnly, s); err == nil {
		return t, true
	}
	return time.Time{}, false
}

// retentionSlack is how far before the retention limit a window may start
// and still be read: the limit moves while the command starts, so a window
// of exactly the retention would otherwise be refused. Such a start is
// moved to the limit.
const retentionSlack = 10 * time.Minute

// within checks w against a retention ending at now. It returns the window
// to ask for (the start moved up to the limit when it is only just before
// it) or a RetentionError.
func (w Window) within(src Source, retention time.Duration, now time.Time) (Window, error) {
	earliest := now.UTC().Add(-retention).Truncate(time.Second).Add(time.Minute)
	if !w.Start.Before(earliest) {
		return w, nil
	}
	if earliest.Sub(w.Start) > retentionSlack {
		return w, &RetentionError{Source: src, Start: w.Start, Earliest: earliest,
			Retention: retention}
	}
	return Window{earliest, w.End}, nil
}
