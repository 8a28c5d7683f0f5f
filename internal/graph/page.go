package graph

import (
	"context"
	"encoding/json"
	"fmt"
	"strings"

	"github.com/idtriage/idtriage/internal/jsonx"
)

// page is one answer of a Graph list endpoint.
type page struct {
	Context  string            `json:"@odata.context"`
	NextLink string            `json:"@odata.nextLink"`
	Value    []json.RawMessage `json:"value"`
}

// list reads every page of q, following @odata.nextLink to the end, into
// out, dropping records ids has seen. On failure rep.NextLink is the page
// that could not be read, where a later pull would go on.
func (c *Client) list(ctx context.Context, b *budget, q query, out *pageFile, ids seen,
	rep *SourceReport) error {
	for next := rep.URL; next != ""; {
		p, err := c.page(ctx, b, next, q.permission)
		if err != nil {
			rep.NextLink = next
			return err
		}
		if err := out.open(p.Context); err != nil {
			return err
		}
		for _, raw := range p.Value {
			switch ids.check(raw) {
			case duplicate:
				rep.Duplicates++
				continue
			case splitRow:
				rep.SplitRows++
			case anonymous:
				rep.Anonymous++
			}
			if err := out.add(raw); err != nil {
				return err
			}
			rep.Records++
		}
		rep.Pages++
		c.log.Debug("graph page read", logKeySource, q.source, logKeyPages, rep.Pages,
			logKeyRecords, len(p.Value))
		next = p.NextLink
	}
	rep.Complete = true
	return nil
}

// page fetches and decodes one page at u, which must be on the Graph host:
// the client never sends its token to a host a nextLink names.
func (c *Client) page(ctx context.Context, b *budget, u, perm string) (*page, error) {
	if !strings.HasPrefix(u, c.cfg.GraphHost+"/") {
		return nil, fmt.Errorf("graph: refusing to follow a link off %s: %s", c.cfg.GraphHost, u)
	}
	body, err := c.get(ctx, b, u, perm)
	if err != nil {
		return nil, err
	}
	var p page
	if err := jsonx.Unmarshal(body, &p); err != nil {
		endpoint, _ := endpointOf(u)
		return nil, fmt.Errorf("graph: GET %s: the answer is not a Graph page: %w", endpoint, err)
	}
	return &p, nil
}
