package graph

import (
	"context"
	"errors"
	"fmt"
	"net/http"

	"github.com/idtriage/idtriage/internal/jsonx"
)

// Pull reads everything Graph holds on one user within w into dir, one
// file per source (see Source), and writes ManifestFile beside them: the
// export investigate reads. It refuses a window that starts before the
// retention of sign-ins and audits, before any request is sent.
//
// When the time budget runs out, Pull stops, keeps what it read, writes
// the source it was reading with the @odata.nextLink where it stopped and
// each source it did not reach as an empty page whose nextLink is its
// first page, and returns a PARTIAL report without error; investigate
// then says the export is incomplete. Any other failure (a missing
// permission, a user not in the tenant, an answer that outlasted the
// retries) is returned as an error, and the files already written stay.
func (c *Client) Pull(ctx context.Context, upn string, w Window, dir string) (*Report, error) {
	now := c.cfg.Now()
	logs, errL := w.within(SourceSignInsInteractive, c.cfg.LogRetention, now)
	risk, errR := w.within(SourceRiskDetections, c.cfg.RiskRetention, now)
	if err := errors.Join(errL, errR); err != nil {
		return nil, err
	}
	b := &budget{}
	if c.cfg.Budget > 0 {
		b.deadline = now.Add(c.cfg.Budget)
	}
	rep := &Report{User: upn, GraphHost: c.cfg.GraphHost, Window: logs, Status: StatusComplete,
		Started: now}
	c.log.Info("graph pull started", logKeyUser, upn, logKeyStart, logs.Start,
		logKeyEnd, logs.End)

	id, err := c.profile(ctx, b, upn, dir, rep)
	if err != nil {
		return nil, err
	}
	sets := map[string]seen{}
	for _, q := range userQueries(id, logs, risk, c.cfg.PageSize) {
		ids := seen{}
		if q.dedupe != "" {
			if sets[q.dedupe] == nil {
				sets[q.dedupe] = ids
			}
			ids = sets[q.dedupe]
		}
		if err := c.source(ctx, b, q, dir, ids, rep); err != nil {
			return nil, err
		}
	}

	rep.Finished = c.cfg.Now()
	rep.Requests, rep.Retries, rep.Throttled = b.requests, b.retries, b.throttled
	manifest, err := jsonx.MarshalIndent(rep)
	if err == nil {
		err = writeFile(dir, ManifestFile, manifest)
	}
	if err != nil {
		return nil, fmt.Errorf("graph: %w", err)
	}
	level := c.log.Info
	if rep.Partial() {
		level = c.log.Warn
	}
	level("graph pull done", logKeyUser, upn, logKeyPartial, rep.Partial(),
		logKeyRequests, b.requests, logKeyRetries, b.retries,
		logKeyDuration, rep.Finished.Sub(rep.Started))
	return rep, nil
}

// profile reads the user's profile into user.json and returns the user's
// object id, on which the other sources filter.
func (c *Client) profile(ctx context.Context, b *budget, upn, dir string, rep *Report) (
	string, error) {
	u := profileURL(c.cfg.GraphHost, upn)
	body, err := c.get(ctx, b, u, PermUserReadAll)
	var se *StatusError
	switch {
	case errors.As(err, &se) && se.Status == http.StatusNotFound:
		return "", fmt.Errorf("graph: no user %s in the tenant (GET %s answered 404 %s)", upn,
			se.Endpoint, se.Code)
	case errors.Is(err, ErrBudget):
		return "", fmt.Errorf("graph: the time budget ran out before the profile of %s "+
			"was read: %w", upn, err)
	case err != nil:
		return "", err
	}
	var p struct {
		ID string `json:"id"`
	}
	if err := jsonx.Unmarshal(body, &p); err != nil || p.ID == "" {
		return "", fmt.Errorf("graph: the profile of %s has no id", upn)
	}
	if err := writeFile(dir, SourceUser.File(), body); err != nil {
		return "", fmt.Errorf("graph: %w", err)
	}
	rep.UserID = p.ID
	rep.Sources = append(rep.Sources, SourceReport{Source: SourceUser, File: SourceUser.File(),
		URL: u, Pages: 1, Records: 1, Complete: true})
	return p.ID, nil
}

// source reads one query into its file. After the budget has run out it
// reads nothing and writes an empty page that points at the first one.
func (c *Client) source(ctx context.Context, b *budget, q query, dir string, ids seen,
	rep *Report) error {
	sr := SourceReport{Source: q.source, File: q.source.File(), URL: q.url(c.cfg.GraphHost),
		Window: q.window}
	out := newPageFile(dir, q.source)
	var err error
	if rep.Partial() {
		sr.NextLink = sr.URL
	} else {
		err = c.list(ctx, b, q, out, ids, &sr)
	}
	switch {
	case errors.Is(err, ErrBudget):
		rep.Status, rep.Reason = StatusPartial, err.Error()
	case err != nil:
		out.abort()
		return err
	}
	// A source read to its end that holds nothing gets no file, only its
	// line in the manifest: investigate would list an empty file as
	// skipped.
	if sr.Complete && sr.Records == 0 {
		out.abort()
		sr.File = ""
	} else if err := out.close(sr.NextLink); err != nil {
		return fmt.Errorf("graph: %w", err)
	}
	rep.Sources = append(rep.Sources, sr)
	c.log.Info("graph source read", logKeySource, q.source, logKeyPages, sr.Pages,
		logKeyRecords, sr.Records, logKeyDuplicates, sr.Duplicates,
		logKeySplitRows, sr.SplitRows, logKeyPartial, !sr.Complete)
	return nil
}
