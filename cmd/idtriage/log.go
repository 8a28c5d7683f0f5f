package main

import (
	"fmt"
	"io"
	"log/slog"
)

// Log keys, constant and snake_case, so that log pipelines can rely on them.
const (
	keyUser       = "user"
	keyVerdict    = "verdict"
	keyConfidence = "confidence"
	keyDuration   = "duration"
	keyProblem    = "problem"
	keyCount      = "count"
	keyReason     = "reason"
)

// newLogger builds the stderr logger. Results never go through it.
func newLogger(w io.Writer, format string, verbose bool) (*slog.Logger, error) {
	level := slog.LevelInfo
	if verbose {
		level = slog.LevelDebug
	}
	opts := &slog.HandlerOptions{Level: level}
	switch format {
	case "text":
		return slog.New(slog.NewTextHandler(w, opts)), nil
	case "json":
		return slog.New(slog.NewJSONHandler(w, opts)), nil
	}
	return nil, &usageError{fmt.Errorf("--log-format %q is not one of text, json", format)}
}
