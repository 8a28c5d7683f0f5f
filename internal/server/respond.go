package server

import (
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"strings"
)

// apiError is the body of every error response.
type apiError struct {
	Error  string `json:"error"`
	Status int    `json:"status"`
}

// fail writes a JSON error. Server errors are logged by the caller with
// their cause; the client gets a sentence without internals.
func (s *Server) fail(w http.ResponseWriter, r *http.Request, status int, msg string) {
	writeJSON(w, status, apiError{Error: msg, Status: status})
}

func writeJSON(w http.ResponseWriter, status int, v any) {
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	w.Header().Set("X-Content-Type-Options", "nosniff")
	w.Header().Set("Cache-Control", "no-store")
	w.WriteHeader(status)
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	enc.Encode(v)
}

// readBody reads a request body of at most limit bytes. A larger body is
// a *bodyError with 413.
func readBody(w http.ResponseWriter, r *http.Request, limit int64) ([]byte, error) {
	b, err := io.ReadAll(http.MaxBytesReader(w, r.Body, limit))
	if err != nil {
		return nil, tooLarge(err, limit)
	}
	return b, nil
}

// bodyError is a request the client must fix, with its status.
type bodyError struct {
	status int
	msg    string
}

func (e *bodyError) Error() string { return e.msg }

func badRequest(format string, args ...any) error {
	return &bodyError{status: http.StatusBadRequest, msg: fmt.Sprintf(format, args...)}
}

func tooLarge(err error, limit int64) error {
	var mb *http.MaxBytesError
	if errors.As(err, &mb) {
		return &bodyError{status: http.StatusRequestEntityTooLarge,
			msg: fmt.Sprintf("the request body is over the limit of %d bytes", limit)}
	}
	return badRequest("reading the request body: %v", err)
}

// failBody answers an error from reading or decoding a body: the client's
// fault with its status, else 500.
func (s *Server) failBody(w http.ResponseWriter, r *http.Request, err error) {
	var be *bodyError
	if errors.As(err, &be) {
		s.fail(w, r, be.status, be.msg)
		return
	}
	s.log.Error("request failed", keyPath, r.URL.Path, keyError, err)
	s.fail(w, r, http.StatusInternalServerError, "internal error")
}

// decodeJSON reads a small JSON body into v, rejecting unknown fields and
// trailing data, and says where a malformed body goes wrong.
func decodeJSON(w http.ResponseWriter, r *http.Request, v any) error {
	b, err := readBody(w, r, maxSmallBody)
	if err != nil {
		return err
	}
	dec := json.NewDecoder(strings.NewReader(string(b)))
	dec.DisallowUnknownFields()
	if err := dec.Decode(v); err != nil {
		return jsonError(err)
	}
	if dec.More() {
		return badRequest("malformed JSON: data after the object")
	}
	return nil
}

// jsonError turns a decoding error into a 400 that says where.
func jsonError(err error) error {
	var se *json.SyntaxError
	var te *json.UnmarshalTypeError
	switch {
	case errors.As(err, &se):
		return badRequest("malformed JSON at byte %d: %v", se.Offset, err)
	case errors.As(err, &te):
		return badRequest("malformed JSON: field %q wants %s, not %s", te.Field, te.Type,
			te.Value)
	case errors.Is(err, io.EOF):
		return badRequest("malformed JSON: the body is empty")
	case errors.Is(err, io.ErrUnexpectedEOF):
		return badRequest("malformed JSON: the body ends early")
	}
	return badRequest("malformed JSON: %v", err)
}
