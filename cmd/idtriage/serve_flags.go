package main

import (
	"fmt"
	"maps"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"time"

	"github.com/spf13/cobra"

	"github.com/idtriage/idtriage/internal/server"
	"github.com/idtriage/idtriage/internal/store"
)

// envAdminToken names the environment variable holding an admin token.
const envAdminToken = "IDTRIAGE_ADMIN_TOKEN"

// serveFlags is the configuration of serve: each flag, when not given, is
// read from its environment variable (serveEnv), then defaults.
type serveFlags struct {
	addr      string
	data      string
	store     string
	queue     string
	node      string
	workers   int
	maxBody   int64
	ackWait   time.Duration
	grace     time.Duration
	logFormat string
	verbose   bool
	poll      pollFlags
}

// serveEnv maps each flag to its environment variable.
var serveEnv = map[string]string{
	"addr":       "IDTRIAGE_ADDR",
	"data":       "IDTRIAGE_DATA",
	"store":      "IDTRIAGE_STORE",
	"queue":      "IDTRIAGE_QUEUE",
	"node":       "IDTRIAGE_NODE",
	"workers":    "IDTRIAGE_WORKERS",
	"max-body":   "IDTRIAGE_MAX_BODY",
	"ack-wait":   "IDTRIAGE_ACK_WAIT",
	"grace":      "IDTRIAGE_SHUTDOWN_GRACE",
	"log-format": "IDTRIAGE_LOG_FORMAT",
}

func (fl *serveFlags) register(cmd *cobra.Command) {
	f := cmd.PersistentFlags()
	f.StringVar(&fl.data, "data", "idtriage-data", "folder for the SQLite store, the "+
		"embedded queue and the first admin token")
	f.StringVar(&fl.store, "store", "", "case store: postgres://... or a SQLite file "+
		"(default DATA/cases.db)")
	f.StringVar(&fl.logFormat, "log-format", "text", "log format on stderr: text or json")
	f.BoolVarP(&fl.verbose, "verbose", "v", false, "debug logs")

	f = cmd.Flags()
	f.StringVar(&fl.addr, "addr", "127.0.0.1:8080", "address to listen on")
	f.StringVar(&fl.queue, "queue", "", "external NATS JetStream server, nats://host:4222 "+
		"(default: one embedded in the process)")
	f.StringVar(&fl.node, "node", "", "name of this node on its cases and in logs "+
		"(default host name and process id)")
	f.IntVar(&fl.workers, "workers", runtime.NumCPU(), "jobs investigated at once")
	f.Int64Var(&fl.maxBody, "max-body", server.DefaultMaxBody, "largest alert post with its "+
		"files, in bytes")
	f.DurationVar(&fl.ackWait, "ack-wait", 30*time.Second, "time a job may go "+
		"unacknowledged before another worker gets it")
	f.DurationVar(&fl.grace, "grace", 30*time.Second, "time to finish jobs in hand at "+
		"shutdown; the rest are released")
	fl.poll.register(f)
}

// resolve fills flags not given from the environment, then checks them.
func (fl *serveFlags) resolve(cmd *cobra.Command) error {
	for name, env := range all(serveEnv, pollEnv) {
		f := cmd.Flags().Lookup(name)
		if f == nil || f.Changed {
			continue
		}
		if v, ok := os.LookupEnv(env); ok && v != "" {
			if err := f.Value.Set(v); err != nil {
				return &usageError{fmt.Errorf("%s=%q: %w", env, v, err)}
			}
		}
	}
	if fl.store == "" {
		fl.store = filepath.Join(fl.data, "cases.db")
	}
	return fl.validate(fl.poll.validate(cmd))
}

// all is the union of maps.
func all(sets ...map[string]string) map[string]string {
	out := map[string]string{}
	for _, m := range sets {
		maps.Copy(out, m)
	}
	return out
}

// validate checks the flags, adding the problems found already.
func (fl *serveFlags) validate(problems []string) error {
	if fl.workers < 1 {
		problems = append(problems, "--workers must be at least 1")
	}
	if fl.maxBody < 1<<10 {
		problems = append(problems, "--max-body must be at least 1024 bytes")
	}
	if fl.ackWait < time.Second {
		problems = append(problems, "--ack-wait must be at least 1s")
	}
	if fl.grace < 0 {
		problems = append(problems, "--grace must not be negative")
	}
	if fl.queue != "" && !strings.HasPrefix(fl.queue, "nats://") &&
		!strings.HasPrefix(fl.queue, "tls://") {
		problems = append(problems, "--queue must be a nats:// or tls:// URL")
	}
	if strings.Contains(fl.store, "://") && !store.IsPostgres(fl.store) {
		problems = append(problems, "--store must be postgres://... or a SQLite file path")
	}
	if len(problems) > 0 {
		return &usageError{fmt.Errorf("%s", strings.Join(problems, "; "))}
	}
	return nil
}
