package main

import (
	"context"
	"log/slog"
)

// quiet returns a logger that passes on errors only. A second run over
// the same input would say again, line for line, what the first said of
// its files and records.
func quiet(log *slog.Logger) *slog.Logger {
	return slog.New(quietHandler{next: log.Handler()})
}

// quietHandler drops every record below slog.LevelError.
type quietHandler struct{ next slog.Handler }

func (h quietHandler) Enabled(ctx context.Context, l slog.Level) bool {
	return l >= slog.LevelError && h.next.Enabled(ctx, l)
}

func (h quietHandler) Handle(ctx context.Context, r slog.Record) error {
	return h.next.Handle(ctx, r)
}

func (h quietHandler) WithAttrs(as []slog.Attr) slog.Handler {
	return quietHandler{next: h.next.WithAttrs(as)}
}

func (h quietHandler) WithGroup(name string) slog.Handler {
	return quietHandler{next: h.next.WithGroup(name)}
}
