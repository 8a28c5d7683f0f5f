package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"os"
	"os/signal"
	"path/filepath"
	"syscall"
	"time"

	"github.com/spf13/cobra"

	"github.com/idtriage/idtriage/internal/queue"
	"github.com/idtriage/idtriage/internal/server"
	"github.com/idtriage/idtriage/internal/store"
)

// Log keys of the serve command, constant and snake_case.
const (
	serveKeyAddr    = "addr"
	serveKeyStore   = "store"
	serveKeyQueue   = "queue"
	serveKeyNode    = "node"
	serveKeyWorkers = "workers"
	serveKeyPath    = "path"
	serveKeyError   = "error"
)

// adminTokenFile is where the first run leaves the admin token it made,
// inside the data folder, readable by the owner only.
const adminTokenFile = "admin.token"

func newServe(stdout, stderr io.Writer) *cobra.Command {
	var fl serveFlags
	cmd := &cobra.Command{
		Use:   "serve [flags]",
		Short: "Run the shared service: alert intake, workers, case store, API and page",
		Long: `Serve runs idtriage as a service a SOC shares. Alerts posted to
/api/v1/alerts (a Graph riskyUser or riskDetection, with log files in the
shapes investigate reads) become jobs; workers investigate them and store
each case once; analysts read the cases and confirm or overturn them in the
API or on the page at /.

With no flags it runs on one machine with nothing else installed: cases in
SQLite in the data folder and the queue on a NATS server embedded in the
process. With --store postgres://... and --queue nats://... any number of
nodes share one backlog.

With --poll-graph it also asks Microsoft Graph every --poll-interval for the
users Identity Protection newly holds at risk, pulls each one's records
over --poll-since as pull does, and takes the flag in as an alert; the same
flag seen twice is one case, a new flag on the same user a new one. It signs
in with the --auth flags and AZURE_* variables of pull.

Every flag can also be set in the environment (IDTRIAGE_ADDR and so on, see
the README); a flag wins over the environment. IDTRIAGE_ADMIN_TOKEN, if set,
is an admin token the service accepts; otherwise the first run writes one to
DATA/admin.token.`,
		Example: `  idtriage serve
  idtriage serve --store postgres://idtriage@db:5432/idtriage --queue nats://nats:4222
  AZURE_TENANT_ID=... AZURE_CLIENT_ID=... AZURE_CLIENT_CERTIFICATE_PATH=app.pem \
    idtriage serve --poll-graph --auth certificate --poll-interval 5m
  idtriage serve token add alice --role analyst`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			if err := fl.resolve(cmd); err != nil {
				return err
			}
			return runServe(cmd.Context(), fl, stderr)
		},
	}
	fl.register(cmd)
	cmd.AddCommand(newServeToken(&fl, stdout, stderr))
	return cmd
}

// runServe runs the service until ctx ends or SIGINT or SIGTERM arrives,
// then shuts down: no new requests or jobs, jobs in hand finished within
// the grace or released.
func runServe(ctx context.Context, fl serveFlags, stderr io.Writer) error {
	log, err := newLogger(stderr, fl.logFormat, fl.verbose)
	if err != nil {
		return err
	}
	ctx, stop := signal.NotifyContext(ctx, os.Interrupt, syscall.SIGTERM)
	defer stop()

	// The address is taken first: a bad or busy one stops the service
	// before it writes an admin token or opens its store.
	ln, err := net.Listen("tcp", fl.addr)
	if err != nil {
		var bad *net.AddrError
		if errors.As(err, &bad) {
			return &usageError{fmt.Errorf("--addr %s: %w", fl.addr, err)}
		}
		return fmt.Errorf("listen on %s: %w", fl.addr, err)
	}
	defer ln.Close()

	st, err := openServeStore(ctx, fl, log)
	if err != nil {
		return err
	}
	defer st.Close()
	if err := bootstrapAdmin(ctx, st, fl, log); err != nil {
		return err
	}
	q, err := queue.Open(ctx, queue.Config{URL: fl.queue,
		Dir: filepath.Join(fl.data, "nats"), AckWait: fl.ackWait, Name: "idtriage " + fl.node,
		Logger: log.With(serveKeyQueue, "nats")})
	if err != nil {
		return err
	}
	defer q.Close()

	poll, err := fl.poll.config(ctx, log)
	if err != nil {
		return err
	}
	srv, err := server.New(server.Config{Store: st, Queue: q, Workers: fl.workers,
		MaxBody: fl.maxBody, Node: fl.node, Logger: log, Poll: poll})
	if err != nil {
		return err
	}
	return serveUntilDone(ctx, srv, ln, fl, log)
}

func serveUntilDone(ctx context.Context, srv *server.Server, ln net.Listener, fl serveFlags,
	log *slog.Logger) error {
	// Uploads of logs can be large and slow; headers cannot.
	hs := &http.Server{Handler: srv.Handler(), ReadHeaderTimeout: 10 * time.Second,
		ReadTimeout: 5 * time.Minute, IdleTimeout: 2 * time.Minute,
		ErrorLog: slog.NewLogLogger(log.Handler(), slog.LevelWarn)}
	srv.Start()
	log.Info("serving", serveKeyAddr, ln.Addr().String(), serveKeyNode, srv.Node(),
		serveKeyWorkers, fl.workers)

	failed := make(chan error, 1)
	go func() { failed <- hs.Serve(ln) }()
	var serveErr error
	select {
	case <-ctx.Done():
	case serveErr = <-failed:
	}

	log.Info("shutting down")
	grace, cancel := context.WithTimeout(context.Background(), fl.grace)
	defer cancel()
	if err := hs.Shutdown(grace); err != nil {
		log.Warn("requests cut at shutdown", serveKeyError, err)
	}
	srv.Shutdown(grace)
	log.Info("stopped")
	if serveErr != nil && !errors.Is(serveErr, http.ErrServerClosed) {
		return fmt.Errorf("serve on %s: %w", fl.addr, serveErr)
	}
	return nil
}

func openServeStore(ctx context.Context, fl serveFlags, log *slog.Logger) (store.Store,
	error) {
	if err := os.MkdirAll(fl.data, 0o700); err != nil {
		return nil, fmt.Errorf("data folder: %w", err)
	}
	st, err := store.Open(ctx, fl.store, log)
	if err != nil {
		return nil, err
	}
	log.Info("store open", serveKeyStore, st.Kind())
	return st, nil
}

// bootstrapAdmin makes sure someone can get in: the environment's admin
// token when given, else, on a store with no token at all, a new admin
// token written to the data folder (never to the log).
func bootstrapAdmin(ctx context.Context, st store.Store, fl serveFlags,
	log *slog.Logger) error {
	if sec := server.Secret(os.Getenv(envAdminToken)); sec != "" {
		return server.EnsureToken(ctx, st, "admin", sec, store.RoleAdmin)
	}
	toks, err := st.Tokens(ctx)
	if err != nil || len(toks) > 0 {
		return err
	}
	sec, err := server.AddToken(ctx, st, "admin", store.RoleAdmin)
	if err != nil {
		return err
	}
	path := filepath.Join(fl.data, adminTokenFile)
	if err := os.WriteFile(path, []byte(sec.Reveal()+"\n"), 0o600); err != nil {
		return fmt.Errorf("write the first admin token: %w", err)
	}
	log.Info("first admin token written", serveKeyPath, path)
	return nil
}
