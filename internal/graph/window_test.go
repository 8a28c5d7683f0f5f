package graph

import (
	"errors"
	"strings"
	"testing"
	"time"
)

var now = time.Date(2026, 11, 18, 12, 0, 0, 500, time.UTC)

func TestParseSince(t *testing.T) {
	end := time.Date(2026, 11, 18, 12, 0, 0, 0, time.UTC)
	tests := []struct {
		in        string
		wantStart time.Time
		wantErr   string
	}{
		{"30d", end.Add(-30 * 24 * time.Hour), ""},
		{"7d", end.Add(-7 * 24 * time.Hour), ""},
		{"12h", end.Add(-12 * time.Hour), ""},
		{"90m", end.Add(-90 * time.Minute), ""},
		{"2026-11-01", time.Date(2026, 11, 1, 0, 0, 0, 0, time.UTC), ""},
		{"2026-11-01T10:00:00+03:00", time.Date(2026, 11, 1, 7, 0, 0, 0, time.UTC), ""},
		{" 3d ", end.Add(-3 * 24 * time.Hour), ""},
		{"", time.Time{}, "want a duration"},
		{"7w", time.Time{}, "want a duration"},
		{"0d", time.Time{}, "positive"},
		{"-3d", time.Time{}, "positive"},
		{"2d12h", time.Time{}, "positive"},
		{"2027-01-01", time.Time{}, "not in the past"},
		{"01.09.2025 10.00.00", time.Time{}, "want a duration"},
	}
	for _, tt := range tests {
		t.Run(tt.in, func(t *testing.T) {
			w, err := ParseSince(tt.in, now)
			if tt.wantErr != "" {
				if err == nil || !strings.Contains(err.Error(), tt.wantErr) {
					t.Errorf("err = %v, want %q", err, tt.wantErr)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if !w.Start.Equal(tt.wantStart) || !w.End.Equal(end) {
				t.Errorf("window = %v .. %v, want %v .. %v", w.Start, w.End, tt.wantStart, end)
			}
		})
	}
}

func TestParseSpan(t *testing.T) {
	tests := []struct {
		in      string
		want    time.Duration
		wantErr string
	}{
		{"7d", 7 * 24 * time.Hour, ""},
		{" 12h", 12 * time.Hour, ""},
		{"90m", 90 * time.Minute, ""},
		{"2026-11-01", 0, "want a duration"},
		{"5s", 0, "want a duration"},
		{"0m", 0, "positive"},
	}
	for _, tt := range tests {
		t.Run(tt.in, func(t *testing.T) {
			got, err := ParseSpan(tt.in)
			if tt.wantErr != "" {
				if err == nil || !strings.Contains(err.Error(), tt.wantErr) {
					t.Errorf("err = %v, want %q", err, tt.wantErr)
				}
				return
			}
			if err != nil || got != tt.want {
				t.Errorf("ParseSpan(%q) = %s, %v; want %s", tt.in, got, err, tt.want)
			}
		})
	}
}

func TestWithinRetention(t *testing.T) {
	keep := 30 * 24 * time.Hour
	earliest := now.Truncate(time.Second).Add(-keep).Add(time.Minute)
	tests := []struct {
		name      string
		start     time.Time
		wantStart time.Time
		refused   bool
	}{
		{"well inside", now.Add(-7 * 24 * time.Hour), now.Add(-7 * 24 * time.Hour), false},
		{"exactly the retention is moved to the limit", now.Add(-keep), earliest, false},
		{"a few minutes over is moved", earliest.Add(-9 * time.Minute), earliest, false},
		{"beyond the slack is refused", earliest.Add(-11 * time.Minute), time.Time{}, true},
		{"120 days is refused", now.Add(-120 * 24 * time.Hour), time.Time{}, true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			w, err := Window{tt.start, now}.within(SourceSignInsInteractive, keep, now)
			var re *RetentionError
			if tt.refused {
				if !errors.As(err, &re) || !strings.Contains(err.Error(), "30 days") {
					t.Errorf("err = %v, want a RetentionError naming 30 days", err)
				}
				return
			}
			if err != nil || !w.Start.Equal(tt.wantStart) {
				t.Errorf("start = %v, err %v; want %v", w.Start, err, tt.wantStart)
			}
		})
	}
}
