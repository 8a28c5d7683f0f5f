package graph_test

import (
	"context"
	"crypto/rand"
	"crypto/rsa"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/pem"
	"math/big"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/idtriage/idtriage/internal/graph"
	"github.com/idtriage/idtriage/internal/graph/graphtest"
)

// TestAuthMethods signs in through the real azidentity credentials against
// the fake login host and reads the profile with the token.
func TestAuthMethods(t *testing.T) {
	srv := graphtest.New(graphtest.Options{})
	defer srv.Close()
	if _, err := srv.Load(example); err != nil {
		t.Fatal(err)
	}
	cert := certificate(t)
	tests := []struct {
		name    string
		auth    graph.Auth
		env     map[string]string
		wantErr string
	}{
		{name: "client secret", auth: graph.Auth{Method: graph.AuthSecret,
			TenantID: graphtest.TenantID, ClientID: graphtest.ClientID,
			ClientSecret: graph.NewSecret(graphtest.ClientSecret)}},
		{name: "client certificate", auth: graph.Auth{Method: graph.AuthCertificate,
			TenantID: graphtest.TenantID, ClientID: graphtest.ClientID, CertificatePath: cert}},
		{name: "environment", auth: graph.Auth{Method: graph.AuthEnvironment},
			env: map[string]string{"AZURE_TENANT_ID": graphtest.TenantID,
				"AZURE_CLIENT_ID": graphtest.ClientID, "AZURE_CLIENT_SECRET": graphtest.ClientSecret}},
		// The default chain, limited to the credential the variables feed, so
		// that the test probes no managed identity endpoint.
		{name: "default chain", auth: graph.Auth{},
			env: map[string]string{"AZURE_TENANT_ID": graphtest.TenantID,
				"AZURE_CLIENT_ID": graphtest.ClientID, "AZURE_CLIENT_SECRET": graphtest.ClientSecret,
				"AZURE_TOKEN_CREDENTIALS": "EnvironmentCredential"}},
		{name: "wrong secret", auth: graph.Auth{Method: graph.AuthSecret,
			TenantID: graphtest.TenantID, ClientID: graphtest.ClientID,
			ClientSecret: graph.NewSecret(hidden)}, wantErr: "get a token"},
		{name: "unknown tenant", auth: graph.Auth{Method: graph.AuthSecret,
			TenantID: "00000000-0000-4000-8000-0000000000cc", ClientID: graphtest.ClientID,
			ClientSecret: graph.NewSecret(graphtest.ClientSecret)}, wantErr: "get a token"},
	}
	now := time.Date(2026, 11, 18, 12, 0, 0, 0, time.UTC)
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			for k, v := range tt.env {
				t.Setenv(k, v)
			}
			cfg := config(srv, newClock(now))
			cfg.Auth = tt.auth
			w, _ := graph.ParseSince("1d", now)
			_, err := newClient(t, cfg).Pull(context.Background(), "ana.reyes@example.com", w,
				t.TempDir())
			switch {
			case tt.wantErr == "" && err != nil:
				t.Fatal(err)
			case tt.wantErr != "" && (err == nil || !strings.Contains(err.Error(), tt.wantErr)):
				t.Fatalf("err = %v, want %q", err, tt.wantErr)
			case err != nil && strings.Contains(err.Error(), hidden):
				t.Errorf("the error shows the secret: %v", err)
			}
		})
	}
	if st := srv.Stats(); st.Unexpected != 0 || st.Tokens < 4 {
		t.Errorf("login host: %d tokens, %d unexpected requests", st.Tokens, st.Unexpected)
	}
}

func TestAuthValidate(t *testing.T) {
	tests := []struct {
		name string
		auth graph.Auth
		want []string
	}{
		{"default needs nothing", graph.Auth{}, nil},
		{"managed identity needs nothing", graph.Auth{Method: graph.AuthManagedIdentity}, nil},
		{"Azure CLI needs nothing", graph.Auth{Method: graph.AuthAzureCLI}, nil},
		{"secret needs all three", graph.Auth{Method: graph.AuthSecret},
			[]string{"AZURE_TENANT_ID", "AZURE_CLIENT_ID", "AZURE_CLIENT_SECRET"}},
		{"certificate needs a file", graph.Auth{Method: graph.AuthCertificate, TenantID: "t",
			ClientID: "c"}, []string{"AZURE_CLIENT_CERTIFICATE_PATH"}},
		{"unknown method", graph.Auth{Method: "kerberos"}, []string{"not one of"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := tt.auth.Validate()
			if (err == nil) != (tt.want == nil) {
				t.Fatalf("err = %v", err)
			}
			for _, w := range tt.want {
				if !strings.Contains(err.Error(), w) {
					t.Errorf("err %q does not name %s", err, w)
				}
			}
		})
	}
}

func TestConfigHosts(t *testing.T) {
	cred := &staticToken{}
	tests := []struct {
		name string
		cfg  graph.Config
		want string
	}{
		{"sovereign hosts", graph.Config{GraphHost: "https://graph.microsoft.us/",
			LoginHost: "https://login.microsoftonline.us", Credential: cred}, ""},
		{"plain HTTP", graph.Config{GraphHost: "http://graph.example", Credential: cred},
			"https"},
		{"a path after the host", graph.Config{LoginHost: "https://login.example/tenant",
			Credential: cred}, "nothing after the host"},
		{"page size", graph.Config{PageSize: 5000, Credential: cred}, "page size"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := graph.New(tt.cfg)
			if (err == nil) != (tt.want == "") || (err != nil && !strings.Contains(err.Error(),
				tt.want)) {
				t.Errorf("err = %v, want %q", err, tt.want)
			}
		})
	}
}

// certificate writes a self-signed certificate with its key as PEM.
func certificate(t *testing.T) string {
	t.Helper()
	key, err := rsa.GenerateKey(rand.Reader, 2048)
	if err != nil {
		t.Fatal(err)
	}
	tmpl := &x509.Certificate{SerialNumber: big.NewInt(1),
		Subject:   pkix.Name{CommonName: "idtriage test"},
		NotBefore: time.Now().Add(-time.Hour), NotAfter: time.Now().Add(time.Hour)}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, tmpl, &key.PublicKey, key)
	if err != nil {
		t.Fatal(err)
	}
	keyDER, err := x509.MarshalPKCS8PrivateKey(key)
	if err != nil {
		t.Fatal(err)
	}
	b := pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: der})
	b = append(b, pem.EncodeToMemory(&pem.Block{Type: "PRIVATE KEY", Bytes: keyDER})...)
	path := filepath.Join(t.TempDir(), "app.pem")
	if err := os.WriteFile(path, b, 0o600); err != nil {
		t.Fatal(err)
	}
	return path
}
