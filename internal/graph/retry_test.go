package graph

import (
	"net/http"
	"testing"
	"time"
)

func TestRetryAfter(t *testing.T) {
	at := time.Date(2026, 11, 18, 12, 0, 0, 0, time.UTC)
	tests := []struct {
		name   string
		value  string
		want   time.Duration
		wantOK bool
	}{
		{"seconds", "7", 7 * time.Second, true},
		{"zero", "0", 0, true},
		{"spaces", " 30 ", 30 * time.Second, true},
		{"HTTP date", "Wed, 18 Nov 2026 12:01:30 GMT", 90 * time.Second, true},
		{"date in the past", "Wed, 18 Nov 2026 11:00:00 GMT", 0, true},
		{"absent", "", 0, false},
		{"negative", "-5", 0, false},
		{"garbage", "soon", 0, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			h := http.Header{}
			if tt.value != "" {
				h.Set("Retry-After", tt.value)
			}
			got, ok := retryAfter(h, at)
			if got != tt.want || ok != tt.wantOK {
				t.Errorf("retryAfter(%q) = %v, %v; want %v, %v", tt.value, got, ok, tt.want,
					tt.wantOK)
			}
		})
	}
}

// TestBackoff checks that the wait without Retry-After grows with each
// attempt, stays between half and all of its ceiling, and never passes
// MaxDelay.
func TestBackoff(t *testing.T) {
	cfg, err := Config{BaseDelay: time.Second, MaxDelay: 20 * time.Second,
		Credential: nil}.withDefaults()
	if err != nil {
		t.Fatal(err)
	}
	c := &Client{cfg: cfg}
	tests := []struct {
		attempt int
		ceiling time.Duration
	}{
		{1, time.Second},
		{2, 2 * time.Second},
		{4, 8 * time.Second},
		{5, 16 * time.Second},
		{6, 20 * time.Second},
		{40, 20 * time.Second},
	}
	for _, tt := range tests {
		for range 50 {
			wait := c.backoff(tt.attempt, http.Header{})
			if wait < tt.ceiling/2 || wait > tt.ceiling {
				t.Fatalf("attempt %d: wait %v, want within [%v, %v]", tt.attempt, wait,
					tt.ceiling/2, tt.ceiling)
			}
		}
	}
	if wait := c.backoff(9, http.Header{"Retry-After": {"120"}}); wait != 2*time.Minute {
		t.Errorf("Retry-After 120 gave %v", wait)
	}
}

func TestTransient(t *testing.T) {
	for status, want := range map[int]bool{0: true, 429: true, 500: true, 502: true, 503: true,
		504: true, 400: false, 401: false, 403: false, 404: false, 501: false} {
		if transient(status) != want {
			t.Errorf("transient(%d) = %v", status, !want)
		}
	}
}
