package server

import (
	"context"
	"net/http"
	"time"
)

// readyTimeout bounds the readiness checks of the store and the queue.
const readyTimeout = 2 * time.Second

// health answers whether the process serves at all. It needs no token and
// says nothing else.
func (s *Server) health(w http.ResponseWriter, r *http.Request) {
	writeJSON(w, http.StatusOK, map[string]string{"status": "ok"})
}

// ready answers whether this node should get traffic: the store and the
// queue answer and it is not shutting down. It needs no token, so it names
// what is wrong without any detail.
func (s *Server) ready(w http.ResponseWriter, r *http.Request) {
	ctx, cancel := context.WithTimeout(r.Context(), readyTimeout)
	defer cancel()
	reason := ""
	switch {
	case s.draining.Load():
		reason = "shutting down"
	case s.store.Ping(ctx) != nil:
		reason = "store unreachable"
	case s.queue.Ping() != nil:
		reason = "queue unreachable"
	}
	if reason != "" {
		writeJSON(w, http.StatusServiceUnavailable, map[string]string{"status": "not ready",
			"reason": reason})
		return
	}
	writeJSON(w, http.StatusOK, map[string]string{"status": "ready"})
}
