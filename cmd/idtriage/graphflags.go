package main

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"os"
	"slices"
	"strings"
	"time"

	"github.com/spf13/pflag"

	"github.com/idtriage/idtriage/internal/graph"
)

// keySubsystem names the part of the program a log line comes from.
const keySubsystem = "subsystem"

// graphFlags are the flags of the commands that read Microsoft Graph.
type graphFlags struct {
	enabled     bool
	alerts      bool
	since       string
	auth        string
	tenant      string
	clientID    string
	certificate string
	cloud       string
	graphHost   string
	loginHost   string
	budget      time.Duration
}

// register declares the flags of a command that reads Graph on demand.
func (g *graphFlags) register(f *pflag.FlagSet) {
	f.BoolVar(&g.enabled, "graph", false, "read the records from Microsoft Graph (see the "+
		"README for the app registration and its permissions)")
	f.BoolVar(&g.alerts, "alerts", false, "with --graph: every user Identity Protection "+
		"holds at risk, instead of --user")
	f.StringVar(&g.since, "since", "30d", "with --graph: how far back to read, as 30d, 12h "+
		"or a start date (2026-11-01); Graph keeps sign-ins and audits for 30 days")
	g.registerAccess(f, "with --graph")
}

// registerAccess declares how to reach Graph and sign in to it; with names
// the flag they go with, for the help.
func (g *graphFlags) registerAccess(f *pflag.FlagSet, with string) {
	f.StringVar(&g.auth, "auth", string(graph.AuthDefault), with+": how to sign in: "+
		joinMethods()+"; default is the Azure SDK's chain (AZURE_* variables, managed "+
		"identity, Azure CLI)")
	f.StringVar(&g.tenant, "tenant", "", with+": tenant id (default $AZURE_TENANT_ID)")
	f.StringVar(&g.clientID, "client-id", "", with+": app registration's client id "+
		"(default $AZURE_CLIENT_ID); the secret is read from $AZURE_CLIENT_SECRET only")
	f.StringVar(&g.certificate, "client-certificate", "", with+" --auth certificate: "+
		"PEM or PKCS#12 FILE with the key (default $AZURE_CLIENT_CERTIFICATE_PATH)")
	f.StringVar(&g.cloud, "cloud", "global", with+": Microsoft cloud: "+
		strings.Join(graph.CloudNames(), ", "))
	f.StringVar(&g.graphHost, "graph-host", "", with+": Graph endpoint such as "+
		"https://graph.microsoft.us (default: the cloud's, or $IDTRIAGE_GRAPH_HOST)")
	f.StringVar(&g.loginHost, "login-host", "", with+": Entra ID authority such as "+
		"https://login.microsoftonline.us (default: the cloud's, or $AZURE_AUTHORITY_HOST)")
	f.DurationVar(&g.budget, "budget", graph.DefaultBudget, with+": time allowed per "+
		"user; when it runs out the export is kept and marked PARTIAL")
}

// accessFlags are the flags registerAccess declares.
var accessFlags = []string{"auth", "tenant", "client-id", "client-certificate", "cloud",
	"graph-host", "login-host", "budget"}

func joinMethods() string {
	var names []string
	for _, m := range graph.AuthMethods {
		names = append(names, string(m))
	}
	return strings.Join(names, ", ")
}

// graphHooks are what the in-process tests change to reach a fake Graph on
// loopback: an HTTP client that trusts its certificate, and a clock. A
// command finds none in its context and uses the real ones.
type graphHooks struct {
	client *http.Client
	now    func() time.Time
	sleep  func(context.Context, time.Duration) error
}

type graphHooksKey struct{}

func hooksOf(ctx context.Context) graphHooks {
	h, _ := ctx.Value(graphHooksKey{}).(graphHooks)
	return h
}

// open builds the Graph client and the window the flags describe.
func (g *graphFlags) open(ctx context.Context, log *slog.Logger) (*graph.Client,
	graph.Window, error) {
	c, err := g.client(ctx, log)
	if err != nil {
		return nil, graph.Window{}, err
	}
	now := time.Now
	if h := hooksOf(ctx); h.now != nil {
		now = h.now
	}
	w, err := graph.ParseSince(g.since, now())
	if err != nil {
		return nil, graph.Window{}, &usageError{fmt.Errorf("--%w", err)}
	}
	return c, w, nil
}

// client builds the Graph client the flags describe. A flag wins over its
// environment variable, which wins over the cloud's default.
func (g *graphFlags) client(ctx context.Context, log *slog.Logger) (*graph.Client, error) {
	cloud, ok := graph.Clouds[g.cloud]
	if !ok {
		return nil, &usageError{fmt.Errorf("--cloud %q is not one of %s", g.cloud,
			strings.Join(graph.CloudNames(), ", "))}
	}
	method := graph.AuthMethod(g.auth)
	if !slices.Contains(graph.AuthMethods, method) {
		return nil, &usageError{fmt.Errorf("--auth %q is not one of %s", g.auth,
			joinMethods())}
	}
	h := hooksOf(ctx)
	cfg := graph.Config{
		GraphHost: first(g.graphHost, os.Getenv("IDTRIAGE_GRAPH_HOST"), cloud.GraphHost),
		LoginHost: first(g.loginHost, os.Getenv("AZURE_AUTHORITY_HOST"), cloud.LoginHost),
		Auth: graph.Auth{Method: method,
			TenantID:            g.tenantID(),
			ClientID:            first(g.clientID, os.Getenv("AZURE_CLIENT_ID")),
			ClientSecret:        graph.NewSecret(os.Getenv("AZURE_CLIENT_SECRET")),
			CertificatePath:     first(g.certificate, os.Getenv("AZURE_CLIENT_CERTIFICATE_PATH")),
			CertificatePassword: graph.NewSecret(os.Getenv("AZURE_CLIENT_CERTIFICATE_PASSWORD")),
		},
		Budget: g.budget, Logger: log.With(keySubsystem, "graph"),
		HTTPClient: h.client, Now: h.now, Sleep: h.sleep,
	}
	if g.budget <= 0 {
		return nil, &usageError{fmt.Errorf("--budget %s: want a positive duration such as "+
			"10m", g.budget)}
	}
	if err := cfg.Auth.Validate(); err != nil {
		return nil, &usageError{err}
	}
	return graph.New(cfg)
}

// tenantID is the tenant the flags or the environment name; empty when
// the credential finds its own (a managed identity, the Azure CLI).
func (g *graphFlags) tenantID() string {
	return first(g.tenant, os.Getenv("AZURE_TENANT_ID"))
}

func first(vals ...string) string {
	for _, v := range vals {
		if v != "" {
			return v
		}
	}
	return ""
}

// graphUsage turns the errors the caller fixes by changing the command
// line (a window beyond the retention) into usage errors.
func graphUsage(err error) error {
	var re *graph.RetentionError
	if errors.As(err, &re) {
		return &usageError{err}
	}
	return err
}
