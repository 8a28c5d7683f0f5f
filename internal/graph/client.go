package graph

import (
	"context"
	"fmt"
	"log/slog"
	"sync"
	"time"

	"github.com/Azure/azure-sdk-for-go/sdk/azcore"
	"github.com/Azure/azure-sdk-for-go/sdk/azcore/policy"
)

// Client reads Microsoft Graph for one tenant. It is safe for use by one
// goroutine at a time; a command runs its pulls one after the other.
type Client struct {
	cfg   Config
	cred  azcore.TokenCredential
	log   *slog.Logger
	scope string

	mu    sync.Mutex
	token Secret
	until time.Time // when the cached token must be renewed
}

// tokenMargin renews a token this long before it expires, so that a slow
// page never travels with a token that dies on the way.
const tokenMargin = 5 * time.Minute

// New builds a client. No request is sent until the first read.
func New(cfg Config) (*Client, error) {
	cfg, err := cfg.withDefaults()
	if err != nil {
		return nil, fmt.Errorf("graph: %w", err)
	}
	cred := cfg.Credential
	if cred == nil {
		if cred, err = NewCredential(cfg.Auth, cfg.LoginHost, cfg.HTTPClient); err != nil {
			return nil, fmt.Errorf("graph: %w", err)
		}
	}
	cfg.Logger.Debug("graph client ready", logKeyURL, cfg.GraphHost, logKeyAuth, cfg.Auth)
	return &Client{cfg: cfg, cred: cred, log: cfg.Logger, scope: cfg.GraphHost + "/.default"}, nil
}

// bearer returns a valid access token, asking the credential for a new
// one when the cached one is close to its end or was refused.
func (c *Client) bearer(ctx context.Context, renew bool) (Secret, error) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if !renew && !c.token.IsZero() && c.cfg.Now().Before(c.until) {
		return c.token, nil
	}
	tok, err := c.cred.GetToken(ctx, policy.TokenRequestOptions{Scopes: []string{c.scope}})
	if err != nil {
		return Secret{}, fmt.Errorf("graph: get a token for %s: %w", c.cfg.GraphHost, err)
	}
	c.token, c.until = NewSecret(tok.Token), tok.ExpiresOn.Add(-tokenMargin)
	return c.token, nil
}
