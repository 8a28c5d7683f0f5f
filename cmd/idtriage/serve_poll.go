package main

import (
	"context"
	"fmt"
	"log/slog"
	"time"

	"github.com/spf13/cobra"
	"github.com/spf13/pflag"

	"github.com/idtriage/idtriage/internal/graph"
	"github.com/idtriage/idtriage/internal/server"
)

// pollFlags configure the Graph poller of serve.
type pollFlags struct {
	enabled  bool
	interval time.Duration
	overlap  time.Duration
	since    string
	window   time.Duration // since, read
	graph    graphFlags
}

// pollEnv maps each poller flag to its environment variable; the Graph
// access flags keep the AZURE_* variables they have everywhere.
var pollEnv = map[string]string{
	"poll-graph":    "IDTRIAGE_POLL_GRAPH",
	"poll-interval": "IDTRIAGE_POLL_INTERVAL",
	"poll-overlap":  "IDTRIAGE_POLL_OVERLAP",
	"poll-since":    "IDTRIAGE_POLL_SINCE",
}

// Bounds of the poller's settings.
const (
	minPollInterval = 10 * time.Second
	minPollOverlap  = time.Minute
)

func (p *pollFlags) register(f *pflag.FlagSet) {
	f.BoolVar(&p.enabled, "poll-graph", false, "ask Microsoft Graph every --poll-interval "+
		"for users newly at risk and take each flag in as an alert (needs "+
		"IdentityRiskyUser.Read.All and the permissions of pull)")
	f.DurationVar(&p.interval, "poll-interval", server.DefaultPollInterval, "with "+
		"--poll-graph: time between polls")
	f.DurationVar(&p.overlap, "poll-overlap", server.DefaultPollOverlap, "with "+
		"--poll-graph: how far before the last poll each poll reaches back, for flags "+
		"Graph shows late")
	f.StringVar(&p.since, "poll-since", "7d", "with --poll-graph: how far back each "+
		"alert's records are pulled, as 7d, 12h or 90m (at most 30d)")
	p.graph.registerAccess(f, "with --poll-graph")
}

// validate checks the poller's flags; without --poll-graph, giving any of
// them is a mistake worth saying.
func (p *pollFlags) validate(cmd *cobra.Command) []string {
	if !p.enabled {
		var given []string
		for _, name := range append([]string{"poll-interval", "poll-overlap", "poll-since"},
			accessFlags...) {
			if f := cmd.Flags().Lookup(name); f != nil && f.Changed {
				given = append(given, "--"+name+" needs --poll-graph")
			}
		}
		return given
	}
	var problems []string
	if p.interval < minPollInterval {
		problems = append(problems, fmt.Sprintf("--poll-interval must be at least %s",
			minPollInterval))
	}
	if p.overlap < minPollOverlap {
		problems = append(problems, fmt.Sprintf("--poll-overlap must be at least %s",
			minPollOverlap))
	}
	var err error
	switch p.window, err = graph.ParseSpan(p.since); {
	case err != nil:
		problems = append(problems, "--poll-since "+err.Error())
	case p.window > graph.DefaultLogRetention:
		problems = append(problems, "--poll-since must be at most 30d, as Graph keeps "+
			"sign-ins and audits for 30 days")
	}
	return problems
}

// config builds the poller's Graph client. Polled alerts are filed under
// the tenant id, or under the tenant of posts that name none when the
// credential finds its tenant on its own.
func (p *pollFlags) config(ctx context.Context, log *slog.Logger) (*server.PollConfig,
	error) {
	if !p.enabled {
		return nil, nil
	}
	client, err := p.graph.client(ctx, log)
	if err != nil {
		return nil, err
	}
	return &server.PollConfig{Graph: client, Tenant: p.graph.tenantID(),
		Interval: p.interval, Overlap: p.overlap, Window: p.window,
		Now: hooksOf(ctx).now}, nil
}
