package server

import (
	"net/http"

	"github.com/prometheus/client_golang/prometheus/promhttp"

	"github.com/idtriage/idtriage/internal/store"
)

// routes maps every path to its handler and the role it needs.
func (s *Server) routes() http.Handler {
	mux := http.NewServeMux()
	reader, analyst, admin := store.RoleReader, store.RoleAnalyst, store.RoleAdmin

	mux.HandleFunc("GET /api/v1/health", s.health)
	mux.HandleFunc("GET /api/v1/ready", s.ready)

	mux.Handle("GET /api/v1/whoami", s.require(reader, s.whoami))
	mux.Handle("POST /api/v1/alerts", s.require(analyst, s.postAlerts))
	mux.Handle("GET /api/v1/alerts/{id}", s.require(reader, s.getAlert))
	mux.Handle("GET /api/v1/cases", s.require(reader, s.listCases))
	mux.Handle("GET /api/v1/cases/{id}", s.require(reader, s.getCase))
	mux.Handle("POST /api/v1/cases/{id}/decisions", s.require(analyst, s.postDecision))
	mux.Handle("GET /api/v1/tokens", s.require(admin, s.listTokens))
	mux.Handle("POST /api/v1/tokens", s.require(admin, s.postToken))
	mux.Handle("DELETE /api/v1/tokens/{name}", s.require(admin, s.deleteToken))
	mux.Handle("/api/", s.require(reader, s.notFound))

	metrics := promhttp.HandlerFor(s.metrics.reg, promhttp.HandlerOpts{})
	mux.Handle("GET /metrics", s.require(reader, metrics.ServeHTTP))

	mux.HandleFunc("GET /{$}", s.page)
	mux.Handle("GET /static/", s.static())
	return mux
}

func (s *Server) notFound(w http.ResponseWriter, r *http.Request) {
	s.fail(w, r, http.StatusNotFound, "no such endpoint: see the README's API table")
}
