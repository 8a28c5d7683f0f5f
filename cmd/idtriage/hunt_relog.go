package main

import (
	"context"
	"log/slog"
	"strings"
	"sync"
)

// rereadLog keeps a second read of the same input from saying again what
// the first said. Hunt reads its input twice when it is not in time order,
// and each file's lines (a stray file skipped, the IP intelligence read)
// would otherwise come twice. Lines of the first read are remembered; the
// second read drops a line the first said word for word (level, message
// and attributes), and says the rest.
type rereadLog struct {
	mu   sync.Mutex
	said map[string]bool
}

// first returns a logger for the first read, which remembers its lines.
func (r *rereadLog) first(log *slog.Logger) *slog.Logger {
	return slog.New(&rereadHandler{next: log.Handler(), log: r, remember: true})
}

// second returns a logger for the second read, which drops the first's.
func (r *rereadLog) second(log *slog.Logger) *slog.Logger {
	return slog.New(&rereadHandler{next: log.Handler(), log: r})
}

type rereadHandler struct {
	next     slog.Handler
	log      *rereadLog
	remember bool
	prefix   string // the attributes and groups added by With
}

func (h *rereadHandler) Enabled(ctx context.Context, l slog.Level) bool {
	return h.next.Enabled(ctx, l)
}

func (h *rereadHandler) Handle(ctx context.Context, rec slog.Record) error {
	var b strings.Builder
	b.WriteString(rec.Level.String() + "\x00" + rec.Message + "\x00" + h.prefix)
	rec.Attrs(func(a slog.Attr) bool {
		b.WriteString("\x00" + a.String())
		return true
	})
	key := b.String()

	h.log.mu.Lock()
	if h.log.said == nil {
		h.log.said = map[string]bool{}
	}
	drop := !h.remember && h.log.said[key]
	if h.remember {
		h.log.said[key] = true
	}
	h.log.mu.Unlock()
	if drop {
		return nil
	}
	return h.next.Handle(ctx, rec)
}

func (h *rereadHandler) WithAttrs(as []slog.Attr) slog.Handler {
	c := *h
	c.next = h.next.WithAttrs(as)
	for _, a := range as {
		c.prefix += "\x00" + a.String()
	}
	return &c
}

func (h *rereadHandler) WithGroup(name string) slog.Handler {
	c := *h
	c.next = h.next.WithGroup(name)
	c.prefix += "\x00[" + name + "]"
	return &c
}
