package main

import (
	"bytes"
	"log/slog"
	"strings"
	"testing"

	"github.com/idtriage/idtriage/internal/detect"
)

// TestWarnDropped: hunt warns, with the count, when the risk-detection rule
// dropped detections from a full waiting list, and says nothing otherwise.
func TestWarnDropped(t *testing.T) {
	tests := []struct {
		name    string
		dropped int
		want    string // "" for no warning
	}{
		{"none dropped", 0, ""},
		{"some dropped", 3, "risk_detections_dropped=3"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var buf bytes.Buffer
			warnDropped(slog.New(slog.NewTextHandler(&buf, nil)),
				detect.Stats{Risks: 40, RisksDropped: tt.dropped})
			got := buf.String()
			if tt.want == "" && got != "" || tt.want != "" &&
				(!strings.Contains(got, tt.want) || !strings.Contains(got, "level=WARN")) {
				t.Errorf("logged %q, want a warning with %q", got, tt.want)
			}
		})
	}
}
