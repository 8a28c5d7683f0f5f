package server

import (
	"context"
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"strings"
	"time"

	"github.com/idtriage/idtriage/internal/store"
)

// tokenPrefix marks idtriage tokens, so a leaked one is recognisable in
// secret scanners and logs.
const tokenPrefix = "idt_"

// Secret is a bearer token's plain text. It redacts itself in logs and in
// %v; Reveal gives the text to the one place that must show it once.
type Secret string

// LogValue keeps the secret out of every log line.
func (s Secret) LogValue() slog.Value { return slog.StringValue("[redacted]") }

// String keeps the secret out of fmt output.
func (s Secret) String() string { return "[redacted]" }

// Reveal returns the plain text.
func (s Secret) Reveal() string { return string(s) }

// Hash is the form in which the store keeps a token: hex SHA-256. Tokens
// are 32 random bytes, so a fast hash leaves nothing to guess.
func (s Secret) Hash() string {
	h := sha256.Sum256([]byte(s))
	return hex.EncodeToString(h[:])
}

// NewSecret returns a fresh random token.
func NewSecret() Secret {
	b := make([]byte, 32)
	rand.Read(b) // never fails (crypto/rand)
	return Secret(tokenPrefix + base64.RawURLEncoding.EncodeToString(b))
}

// AddToken mints a token for name with role and stores its hash; the
// secret is returned once and kept nowhere.
func AddToken(ctx context.Context, st store.Store, name string, role store.Role) (Secret,
	error) {
	if err := validName(name); err != nil {
		return "", err
	}
	sec := NewSecret()
	err := st.PutToken(ctx, store.Token{Name: name, Hash: sec.Hash(), Role: role,
		Created: time.Now().UTC()})
	if err != nil {
		return "", err
	}
	return sec, nil
}

// EnsureToken makes sec the token of name with role, replacing a token of
// that name with another secret (as when an environment variable changes).
func EnsureToken(ctx context.Context, st store.Store, name string, sec Secret,
	role store.Role) error {
	if have, err := st.TokenByHash(ctx, sec.Hash()); err == nil {
		if have.Name == name && have.Role == role {
			return nil
		}
		return fmt.Errorf("ensure token %s: the secret is already token %s", name, have.Name)
	}
	t := store.Token{Name: name, Hash: sec.Hash(), Role: role, Created: time.Now().UTC()}
	err := st.PutToken(ctx, t)
	if errors.Is(err, store.ErrExists) {
		if err := st.DeleteToken(ctx, name); err != nil {
			return err
		}
		err = st.PutToken(ctx, t)
	}
	return err
}

func validName(name string) error {
	if name == "" || len(name) > 64 || strings.ContainsFunc(name, func(r rune) bool {
		return !(r == '-' || r == '_' || r == '.' || r == '@' ||
			'a' <= r && r <= 'z' || 'A' <= r && r <= 'Z' || '0' <= r && r <= '9')
	}) {
		return fmt.Errorf("token name %q: want 1 to 64 letters, digits or -_.@", name)
	}
	return nil
}

// caller is who made a request: the token's name and role.
type caller struct {
	Name string     `json:"name"`
	Role store.Role `json:"role"`
}

type callerKey struct{}

func callerOf(r *http.Request) caller {
	c, _ := r.Context().Value(callerKey{}).(caller)
	return c
}

// require wraps h so that only a bearer token whose role includes need
// reaches it.
func (s *Server) require(need store.Role, h http.HandlerFunc) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		sec, ok := bearer(r)
		if !ok {
			w.Header().Set("WWW-Authenticate", `Bearer realm="idtriage"`)
			s.fail(w, r, http.StatusUnauthorized, "a bearer token is required "+
				"(Authorization: Bearer TOKEN)")
			return
		}
		tok, err := s.store.TokenByHash(r.Context(), sec.Hash())
		switch {
		case errors.Is(err, store.ErrNotFound):
			w.Header().Set("WWW-Authenticate", `Bearer realm="idtriage", error="invalid_token"`)
			s.fail(w, r, http.StatusUnauthorized, "the bearer token is not known")
			return
		case err != nil:
			s.log.Error("token lookup failed", keyError, err)
			s.fail(w, r, http.StatusServiceUnavailable, "the store does not answer")
			return
		}
		if !tok.Role.Allows(need) {
			s.log.Info("request refused", keyToken, tok.Name, keyRole, tok.Role,
				keyPath, r.URL.Path)
			s.fail(w, r, http.StatusForbidden, fmt.Sprintf("this needs the %s role; "+
				"token %s is a %s", need, tok.Name, tok.Role))
			return
		}
		ctx := context.WithValue(r.Context(), callerKey{}, caller{Name: tok.Name,
			Role: tok.Role})
		h(w, r.WithContext(ctx))
	})
}

// bearer reads the token of an Authorization: Bearer header.
func bearer(r *http.Request) (Secret, bool) {
	scheme, tok, ok := strings.Cut(r.Header.Get("Authorization"), " ")
	if !ok || !strings.EqualFold(scheme, "Bearer") {
		return "", false
	}
	tok = strings.TrimSpace(tok)
	return Secret(tok), tok != ""
}
