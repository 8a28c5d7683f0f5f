package graph

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strings"

	"github.com/idtriage/idtriage/internal/jsonx"
)

// RiskyUser is one user Identity Protection holds at risk.
type RiskyUser struct {
	// ID is the user's object id, UserPrincipalName the name to pull, and
	// RiskLevel Identity Protection's low, medium or high.
	ID                string `json:"id"`
	UserPrincipalName string `json:"userPrincipalName"`
	RiskLevel         string `json:"riskLevel"`
}

// AtRisk lists every user whose risk state is atRisk, following every
// page, each user once, sorted by principal name. It needs
// IdentityRiskyUser.Read.All and is bound by the same time budget as a
// pull; running out of it is an error here, as a partial list would hide
// users.
func (c *Client) AtRisk(ctx context.Context) ([]RiskyUser, error) {
	b := &budget{}
	if c.cfg.Budget > 0 {
		b.deadline = c.cfg.Now().Add(c.cfg.Budget)
	}
	q := atRiskQuery(c.cfg.PageSize)
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
			var u RiskyUser
			if err := jsonx.Unmarshal(raw, &u); err != nil {
				return nil, fmt.Errorf("graph: a risky user record: %w", err)
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
	c.log.Info("graph users at risk listed", logKeyCount, len(out), logKeyRequests, b.requests,
		logKeyRetries, b.retries)
	return out, nil
}
