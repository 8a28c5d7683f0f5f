package server

import (
	"errors"
	"net/http"
	"time"

	"github.com/idtriage/idtriage/internal/store"
)

type tokenView struct {
	Name    string     `json:"name"`
	Role    store.Role `json:"role"`
	Created time.Time  `json:"created"`
	// Token is the secret, in the answer to its creation only.
	Token string `json:"token,omitempty"`
}

func (s *Server) whoami(w http.ResponseWriter, r *http.Request) {
	writeJSON(w, http.StatusOK, callerOf(r))
}

func (s *Server) listTokens(w http.ResponseWriter, r *http.Request) {
	toks, err := s.store.Tokens(r.Context())
	if err != nil {
		s.log.Error("list tokens failed", keyError, err)
		s.fail(w, r, http.StatusServiceUnavailable, "the store does not answer")
		return
	}
	out := []tokenView{}
	for _, t := range toks {
		out = append(out, tokenView{Name: t.Name, Role: t.Role, Created: t.Created})
	}
	writeJSON(w, http.StatusOK, out)
}

// postToken mints a token; the answer holds its secret, which is never
// shown again.
func (s *Server) postToken(w http.ResponseWriter, r *http.Request) {
	var in struct {
		Name string     `json:"name"`
		Role store.Role `json:"role"`
	}
	if err := decodeJSON(w, r, &in); err != nil {
		s.failBody(w, r, err)
		return
	}
	if !in.Role.Valid() {
		s.fail(w, r, http.StatusBadRequest, "role: want reader, analyst or admin")
		return
	}
	if err := validName(in.Name); err != nil {
		s.fail(w, r, http.StatusBadRequest, err.Error())
		return
	}
	sec, err := AddToken(r.Context(), s.store, in.Name, in.Role)
	switch {
	case errors.Is(err, store.ErrExists):
		s.fail(w, r, http.StatusConflict, "a token of that name exists")
		return
	case err != nil:
		s.log.Error("add token failed", keyError, err)
		s.fail(w, r, http.StatusServiceUnavailable, "the store does not answer")
		return
	}
	s.log.Info("token added", keyToken, in.Name, keyRole, in.Role)
	writeJSON(w, http.StatusCreated, tokenView{Name: in.Name, Role: in.Role,
		Created: time.Now().UTC(), Token: sec.Reveal()})
}

func (s *Server) deleteToken(w http.ResponseWriter, r *http.Request) {
	name := r.PathValue("name")
	err := s.store.DeleteToken(r.Context(), name)
	switch {
	case errors.Is(err, store.ErrNotFound):
		s.fail(w, r, http.StatusNotFound, "no token has this name")
		return
	case err != nil:
		s.log.Error("delete token failed", keyError, err)
		s.fail(w, r, http.StatusServiceUnavailable, "the store does not answer")
		return
	}
	s.log.Info("token deleted", keyToken, name)
	w.WriteHeader(http.StatusNoContent)
}
