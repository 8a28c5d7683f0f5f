package server

import (
	"embed"
	"io/fs"
	"net/http"
)

// webFiles is the page: one HTML file, its script and its style. They hold
// no case data; everything shown comes from the API with the token.
//
//go:embed web
var webFiles embed.FS

// pageCSP allows the page's own script and style, the API, and the report
// frame, whose srcdoc inherits this policy (so inline style is allowed,
// inline script is not).
const pageCSP = "default-src 'none'; script-src 'self'; style-src 'self' 'unsafe-inline'; " +
	"img-src 'self' data:; connect-src 'self'; frame-src 'self'; form-action 'self'; " +
	"base-uri 'none'; frame-ancestors 'none'"

func (s *Server) page(w http.ResponseWriter, r *http.Request) {
	b, err := webFiles.ReadFile("web/index.html")
	if err != nil {
		s.fail(w, r, http.StatusInternalServerError, "page missing from the binary")
		return
	}
	pageHeaders(w)
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	w.Write(b)
}

func (s *Server) static() http.Handler {
	sub, _ := fs.Sub(webFiles, "web")
	files := http.StripPrefix("/static/", http.FileServerFS(sub))
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		pageHeaders(w)
		files.ServeHTTP(w, r)
	})
}

func pageHeaders(w http.ResponseWriter) {
	h := w.Header()
	h.Set("Content-Security-Policy", pageCSP)
	h.Set("X-Content-Type-Options", "nosniff")
	h.Set("Referrer-Policy", "no-referrer")
	h.Set("X-Frame-Options", "DENY")
}
