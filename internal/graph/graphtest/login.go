package graphtest

import (
	"crypto/rand"
	"encoding/base64"
	"encoding/hex"
	"encoding/json"
	"net/http"
	"strings"
)

// serveLogin answers what MSAL asks of an Entra ID authority with instance
// discovery turned off: the tenant's OpenID configuration, then the token
// endpoint (client credentials with a secret or a certificate assertion).
func (s *Server) serveLogin(w http.ResponseWriter, r *http.Request) {
	tenant, rest, _ := strings.Cut(strings.TrimPrefix(r.URL.Path, "/"), "/")
	switch {
	case tenant != s.opts.TenantID:
		s.loginError(w, http.StatusBadRequest, "invalid_tenant",
			"AADSTS90002: Tenant '"+tenant+"' not found.")
	case rest == "v2.0/.well-known/openid-configuration" && r.Method == http.MethodGet:
		base := s.login.URL + "/" + tenant
		writeJSON(w, http.StatusOK, map[string]string{
			"token_endpoint":         base + "/oauth2/v2.0/token",
			"authorization_endpoint": base + "/oauth2/v2.0/authorize",
			"issuer":                 base + "/v2.0",
		})
	case rest == "oauth2/v2.0/token" && r.Method == http.MethodPost:
		s.token(w, r)
	default:
		s.count(func(st *Stats) { st.Unexpected++ })
		http.NotFound(w, r)
	}
}

// token issues an access token to the configured app, for the Graph
// host's default scope only.
func (s *Server) token(w http.ResponseWriter, r *http.Request) {
	if err := r.ParseForm(); err != nil {
		s.loginError(w, http.StatusBadRequest, "invalid_request", err.Error())
		return
	}
	f := r.PostForm
	switch {
	case f.Get("grant_type") != "client_credentials":
		s.loginError(w, http.StatusBadRequest, "unsupported_grant_type", f.Get("grant_type"))
		return
	case f.Get("client_id") != s.opts.ClientID:
		s.loginError(w, http.StatusBadRequest, "unauthorized_client",
			"AADSTS700016: Application not found in the directory.")
		return
	case !strings.Contains(" "+f.Get("scope")+" ", " "+s.graph.URL+"/.default "):
		s.loginError(w, http.StatusBadRequest, "invalid_scope",
			"AADSTS1002012: The provided value for scope is not valid: "+f.Get("scope"))
		return
	case !s.proof(f.Get("client_secret"), f.Get("client_assertion")):
		s.loginError(w, http.StatusUnauthorized, "invalid_client",
			"AADSTS7000215: Invalid client secret provided.")
		return
	}
	var b [24]byte
	_, _ = rand.Read(b[:])
	tok := "fake-token-" + hex.EncodeToString(b[:])
	s.mu.Lock()
	s.tokens[tok] = true
	s.stats.Tokens++
	s.mu.Unlock()
	writeJSON(w, http.StatusOK, map[string]any{"token_type": "Bearer", "expires_in": 3600,
		"ext_expires_in": 3600, "access_token": tok})
}

// proof accepts the client secret, or a certificate assertion issued by
// the client (its signature is not checked: the fake tests the wiring, not
// the cryptography, which MSAL owns).
func (s *Server) proof(secret, assertion string) bool {
	if secret != "" {
		return secret == s.opts.ClientSecret
	}
	parts := strings.Split(assertion, ".")
	if len(parts) != 3 {
		return false
	}
	payload, err := base64.RawURLEncoding.DecodeString(parts[1])
	var claims struct {
		Iss string `json:"iss"`
	}
	return err == nil && json.Unmarshal(payload, &claims) == nil && claims.Iss == s.opts.ClientID
}

func (s *Server) loginError(w http.ResponseWriter, status int, code, desc string) {
	writeJSON(w, status, map[string]any{"error": code, "error_description": desc,
		"error_codes": []int{}})
}

func writeJSON(w http.ResponseWriter, status int, v any) {
	b, _ := encode(v)
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	w.Write(b)
}

// count updates the stats under the lock.
func (s *Server) count(f func(*Stats)) {
	s.mu.Lock()
	defer s.mu.Unlock()
	f(&s.stats)
}
