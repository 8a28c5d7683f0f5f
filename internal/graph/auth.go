package graph

import (
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"os"

	"github.com/Azure/azure-sdk-for-go/sdk/azcore"
	"github.com/Azure/azure-sdk-for-go/sdk/azcore/cloud"
	"github.com/Azure/azure-sdk-for-go/sdk/azidentity"
)

// AuthMethod chooses how the client gets its tokens.
type AuthMethod string

// Authentication methods. AuthDefault is what users get unless they ask
// for another: the Azure SDK's default chain (environment, workload
// identity, managed identity, Azure CLI, Azure Developer CLI, Azure
// PowerShell, in that order).
const (
	AuthDefault         AuthMethod = "default"
	AuthSecret          AuthMethod = "secret"
	AuthCertificate     AuthMethod = "certificate"
	AuthManagedIdentity AuthMethod = "managed-identity"
	AuthAzureCLI        AuthMethod = "azure-cli"
	AuthEnvironment     AuthMethod = "environment"
)

// AuthMethods lists every method, in the order the help text shows them.
var AuthMethods = []AuthMethod{AuthDefault, AuthSecret, AuthCertificate, AuthManagedIdentity,
	AuthAzureCLI, AuthEnvironment}

// Auth says how to authenticate. The zero value is the default chain,
// which reads its settings from the standard AZURE_* variables itself.
type Auth struct {
	Method AuthMethod
	// TenantID and ClientID identify the app registration (for secret and
	// certificate), the user-assigned managed identity (ClientID only), or
	// the tenant the Azure CLI and the default chain should use.
	TenantID string
	ClientID string
	// ClientSecret is for AuthSecret. It is never taken from a flag, which
	// other users of the machine could read in the process list.
	ClientSecret Secret
	// CertificatePath is a PEM or PKCS#12 file holding the certificate and
	// its private key, for AuthCertificate; CertificatePassword opens it.
	CertificatePath     string
	CertificatePassword Secret
}

// LogValue shows how the client authenticates without any secret.
func (a Auth) LogValue() slog.Value {
	return slog.GroupValue(slog.String(logKeyCredential, string(a.method())),
		slog.String(logKeyTenant, a.TenantID), slog.String(logKeyClientID, a.ClientID),
		slog.Bool(logKeySecret, !a.ClientSecret.IsZero()))
}

func (a Auth) method() AuthMethod {
	if a.Method == "" {
		return AuthDefault
	}
	return a.Method
}

// Validate reports a missing setting of the chosen method, naming the
// environment variable or flag that gives it.
func (a Auth) Validate() error {
	need := func(v, what string) error {
		if v == "" {
			return fmt.Errorf("auth %s needs %s", a.method(), what)
		}
		return nil
	}
	switch a.method() {
	case AuthDefault, AuthManagedIdentity, AuthAzureCLI, AuthEnvironment:
		return nil
	case AuthSecret:
		return errors.Join(need(a.TenantID, "a tenant (--tenant or AZURE_TENANT_ID)"),
			need(a.ClientID, "a client id (--client-id or AZURE_CLIENT_ID)"),
			need(a.ClientSecret.Reveal(), "a client secret (AZURE_CLIENT_SECRET)"))
	case AuthCertificate:
		return errors.Join(need(a.TenantID, "a tenant (--tenant or AZURE_TENANT_ID)"),
			need(a.ClientID, "a client id (--client-id or AZURE_CLIENT_ID)"),
			need(a.CertificatePath, "a certificate file (--client-certificate or "+
				"AZURE_CLIENT_CERTIFICATE_PATH)"))
	}
	return fmt.Errorf("auth %q is not one of %v", a.Method, AuthMethods)
}

// NewCredential builds the credential a describes, talking to the Entra ID
// authority at loginHost through client (nil: the Azure SDK's own). The
// Azure CLI credential runs the az command and ignores both.
func NewCredential(a Auth, loginHost string, client *http.Client) (azcore.TokenCredential, error) {
	if err := a.Validate(); err != nil {
		return nil, err
	}
	opts := azcore.ClientOptions{
		Cloud: cloud.Configuration{ActiveDirectoryAuthorityHost: loginHost}}
	if client != nil {
		opts.Transport = client
	}
	noDiscovery := !isMicrosoftLoginHost(loginHost)

	var cred azcore.TokenCredential
	var err error
	switch a.method() {
	case AuthDefault:
		cred, err = azidentity.NewDefaultAzureCredential(&azidentity.DefaultAzureCredentialOptions{
			ClientOptions: opts, DisableInstanceDiscovery: noDiscovery, TenantID: a.TenantID})
	case AuthSecret:
		cred, err = azidentity.NewClientSecretCredential(a.TenantID, a.ClientID,
			a.ClientSecret.Reveal(), &azidentity.ClientSecretCredentialOptions{
				ClientOptions: opts, DisableInstanceDiscovery: noDiscovery})
	case AuthCertificate:
		cred, err = certificateCredential(a, opts, noDiscovery)
	case AuthManagedIdentity:
		mo := &azidentity.ManagedIdentityCredentialOptions{ClientOptions: opts}
		if a.ClientID != "" {
			mo.ID = azidentity.ClientID(a.ClientID)
		}
		cred, err = azidentity.NewManagedIdentityCredential(mo)
	case AuthAzureCLI:
		cred, err = azidentity.NewAzureCLICredential(&azidentity.AzureCLICredentialOptions{
			TenantID: a.TenantID})
	case AuthEnvironment:
		cred, err = azidentity.NewEnvironmentCredential(&azidentity.EnvironmentCredentialOptions{
			ClientOptions: opts, DisableInstanceDiscovery: noDiscovery})
	}
	if err != nil {
		return nil, fmt.Errorf("auth %s: %w", a.method(), err)
	}
	return cred, nil
}

func certificateCredential(a Auth, opts azcore.ClientOptions, noDiscovery bool) (
	azcore.TokenCredential, error) {
	data, err := os.ReadFile(a.CertificatePath)
	if err != nil {
		return nil, fmt.Errorf("read client certificate: %w", err)
	}
	var password []byte
	if !a.CertificatePassword.IsZero() {
		password = []byte(a.CertificatePassword.Reveal())
	}
	certs, key, err := azidentity.ParseCertificates(data, password)
	if err != nil {
		return nil, fmt.Errorf("read client certificate %s: %w", a.CertificatePath, err)
	}
	return azidentity.NewClientCertificateCredential(a.TenantID, a.ClientID, certs, key,
		&azidentity.ClientCertificateCredentialOptions{ClientOptions: opts,
			DisableInstanceDiscovery: noDiscovery})
}
