package graph

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/idtriage/idtriage/internal/jsonx"
)

// RiskyUser is one user Identity Protection holds at risk: the fields of
// a Graph riskyUser that the at-risk list selects.
type RiskyUser struct {
	// ID is the user's object id, UserPrincipalName the name to pull, and
	// RiskLevel Identity Protection's low, medium or high.
	ID                string `json:"id"`
	UserPrincipalName string `json:"userPrincipalName"`
	RiskLevel         string `json:"riskLevel"`
	// RiskState is atRisk for every user the list returns; RiskDetail says
	// why the state last changed ("none" while nobody has acted).
	RiskState  string `json:"riskState"`
	RiskDetail string `json:"riskDetail"`
	// RiskLastUpdated is riskLastUpdatedDateTime, in UTC: when the user's
	// risk last changed, so a new flag on the same user has a new time.
	// It is zero when Graph sent none or a time it cannot be read as.
	RiskLastUpdated time.Time `json:"-"`
	// Raw is the record as Graph sent it, with the fields above: a
	// riskyUser that the service's alert intake reads as it reads a post.
	Raw json.RawMessage `json:"-"`
}

// AtRisk lists every user whose risk state is atRisk, following every
// page, each user once, sorted by principal name. It needs
// IdentityRiskyUser.Read.All and is bound by the same time budget as a
// pull; running out of it is an error here, as a partial list would hide
// users.
func (c *Client) AtRisk(ctx context.Context) ([]RiskyUser, error) {
	return c.AtRiskSince(ctx, time.Time{})
}

// AtRiskSince is AtRisk limited to the users whose risk changed at or
// after since (riskLastUpdatedDateTime ge since, to the second); the zero
// time lists them all. A poller that asks again with an earlier since
// than its last answer sees the users it saw then once more: Graph makes
// a change queryable minutes after it happens, so polls must overlap and
// the caller drop the flags it already holds (field report BR-31).
func (c *Client) AtRiskSince(ctx context.Context, since time.Time) ([]RiskyUser, error) {
	b := &budget{}
	if c.cfg.Budget > 0 {
		b.deadline = c.cfg.Now().Add(c.cfg.Budget)
	}
	q := atRiskQuery(c.cfg.PageSize, since)
	var out []RiskyUser
	ids := map[string]bool{}
	for next := q.url(c.cfg.GraphHost); next != ""; {
		p, err := c.page(ctx, b, next, q.permission)
		if errors.Is(err, ErrBudget) {
			return nil, fmt.Errorf("graph: list the users at risk: %w", err)
		}
		if err != nil {
			return nil, err
		}
		for _, raw := range p.Value {
			u, err := decodeRiskyUser(raw)
			if err != nil {
				return nil, err
			}
			key := u.ID + "\x00" + strings.ToLower(u.UserPrincipalName)
			if u.UserPrincipalName == "" || ids[key] {
				continue
			}
			ids[key] = true
			out = append(out, u)
		}
		next = p.NextLink
	}
	slices.SortFunc(out, func(a, b RiskyUser) int {
		return strings.Compare(strings.ToLower(a.UserPrincipalName),
			strings.ToLower(b.UserPrincipalName))
	})
	attrs := []any{logKeyCount, len(out), logKeyRequests, b.requests, logKeyRetries, b.retries}
	if !since.IsZero() {
		attrs = append(attrs, logKeyStart, since)
	}
	c.log.Info("graph users at risk listed", attrs...)
	return out, nil
}

// decodeRiskyUser reads one record of the list. A time Graph writes
// without a zone is UTC, as everywhere in its logs.
func decodeRiskyUser(raw json.RawMessage) (RiskyUser, error) {
	var u struct {
		RiskyUser
		Updated string `json:"riskLastUpdatedDateTime"`
	}
	if err := jsonx.Unmarshal(raw, &u); err != nil {
		return RiskyUser{}, fmt.Errorf("graph: a risky user record: %w", err)
	}
	out := u.RiskyUser
	out.Raw = slices.Clone(raw)
	if s := strings.TrimSpace(u.Updated); s != "" {
		t, err := time.Parse(time.RFC3339Nano, s)
		if err != nil {
			t, err = time.Parse(time.RFC3339Nano, s+"Z")
		}
		if err == nil {
			out.RiskLastUpdated = t.UTC()
		}
	}
	return out, nil
}
