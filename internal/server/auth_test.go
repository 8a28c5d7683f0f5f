package server_test

import (
	"bytes"
	"context"
	"log/slog"
	"net/http"
	"strings"
	"testing"

	"github.com/idtriage/idtriage/internal/server"
)

func TestAuthRefusals(t *testing.T) {
	n := embeddedNode(t, options{})
	tok := addTokens(t, n.store)
	alert := riskyUser(1)
	decision := []byte(`{"action":"confirm","note":"ok"}`)
	tests := []struct {
		name, method, path, token string
		body                      []byte
		want                      int
	}{
		{"health needs no token", "GET", "/api/v1/health", "", nil, 200},
		{"readiness needs no token", "GET", "/api/v1/ready", "", nil, 200},
		{"page shell needs no token", "GET", "/", "", nil, 200},
		{"list without a token", "GET", "/api/v1/cases", "", nil, 401},
		{"list with a wrong token", "GET", "/api/v1/cases", "idt_wrong", nil, 401},
		{"case without a token", "GET", "/api/v1/cases/x", "", nil, 401},
		{"unknown path without a token", "GET", "/api/v1/nothing", "", nil, 401},
		{"metrics without a token", "GET", "/metrics", "", nil, 401},
		{"post alert without a token", "POST", "/api/v1/alerts", "", alert, 401},
		{"post alert as reader", "POST", "/api/v1/alerts", tok.reader, alert, 403},
		{"decide as reader", "POST", "/api/v1/cases/x/decisions", tok.reader, decision, 403},
		{"tokens as analyst", "GET", "/api/v1/tokens", tok.analyst, nil, 403},
		{"add token as analyst", "POST", "/api/v1/tokens", tok.analyst,
			[]byte(`{"name":"eve","role":"admin"}`), 403},
		{"list as reader", "GET", "/api/v1/cases", tok.reader, nil, 200},
		{"metrics as reader", "GET", "/metrics", tok.reader, nil, 200},
		{"tokens as admin", "GET", "/api/v1/tokens", tok.admin, nil, 200},
		{"post alert as analyst", "POST", "/api/v1/alerts", tok.analyst, alert, 202},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			status, b := call(t, tt.method, n.http.URL+tt.path, tt.token, "application/json",
				tt.body)
			if status != tt.want {
				t.Errorf("%s %s = %d %s, want %d", tt.method, tt.path, status, b, tt.want)
			}
			if status == 401 && strings.Contains(string(b), "cases\"") {
				t.Errorf("a refusal carried data: %s", b)
			}
		})
	}
}

func TestTokensAdmin(t *testing.T) {
	n := embeddedNode(t, options{})
	tok := addTokens(t, n.store)
	url := n.http.URL + "/api/v1/tokens"
	status, b := call(t, "POST", url, tok.admin, "application/json",
		[]byte(`{"name":"carol","role":"reader"}`))
	if status != http.StatusCreated {
		t.Fatalf("add token = %d %s", status, b)
	}
	carol := decode[struct{ Token string }](t, b).Token
	if status, _ := call(t, "GET", n.http.URL+"/api/v1/cases", carol, "", nil); status != 200 {
		t.Errorf("the new token is refused: %d", status)
	}
	if status, _ := call(t, "POST", url, tok.admin, "application/json",
		[]byte(`{"name":"carol","role":"reader"}`)); status != http.StatusConflict {
		t.Errorf("a second carol = %d, want 409", status)
	}
	if _, list := call(t, "GET", url, tok.admin, "", nil); strings.Contains(string(list), carol) ||
		strings.Contains(string(list), "hash") {
		t.Errorf("the token list shows a secret or a hash: %s", list)
	}
	if status, _ := call(t, "DELETE", url+"/carol", tok.admin, "", nil); status != 204 {
		t.Errorf("delete = %d, want 204", status)
	}
	if status, _ := call(t, "GET", n.http.URL+"/api/v1/cases", carol, "", nil); status != 401 {
		t.Errorf("a deleted token still works: %d", status)
	}
}

func TestSecretRedactsItself(t *testing.T) {
	sec := server.NewSecret()
	var buf bytes.Buffer
	slog.New(slog.NewJSONHandler(&buf, nil)).Info("minted", "token", sec)
	for _, out := range []string{buf.String(), sec.String()} {
		if strings.Contains(out, sec.Reveal()) {
			t.Errorf("the secret leaked: %s", out)
		}
	}
	if !strings.HasPrefix(sec.Reveal(), "idt_") || len(sec.Reveal()) < 40 {
		t.Errorf("secret %d characters, want idt_ and 32 random bytes", len(sec.Reveal()))
	}
	if sec.Hash() == server.NewSecret().Hash() {
		t.Error("two secrets hash alike")
	}
	ctx := context.Background()
	n := embeddedNode(t, options{})
	for _, role := range []string{"admin", "admin"} { // the second is a no-op
		if err := server.EnsureToken(ctx, n.store, "bootstrap", sec, "admin"); err != nil {
			t.Fatalf("EnsureToken (%s): %v", role, err)
		}
	}
	other := server.NewSecret()
	if err := server.EnsureToken(ctx, n.store, "bootstrap", other, "admin"); err != nil {
		t.Fatal(err)
	}
	if _, err := n.store.TokenByHash(ctx, sec.Hash()); err == nil {
		t.Error("the replaced secret still works")
	}
}
