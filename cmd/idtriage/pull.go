package main

import (
	"fmt"
	"io"
	"os"
	"path/filepath"

	"github.com/spf13/cobra"
)

type pullFlags struct {
	graph     graphFlags
	user      string
	out       string
	logFormat string
	verbose   bool
}

func newPull(stdout, stderr io.Writer) *cobra.Command {
	var fl pullFlags
	cmd := &cobra.Command{
		Use:   "pull --graph (--user UPN | --alerts) [--since 30d] --out DIR",
		Short: "Save one user's records from Microsoft Graph as files investigate reads",
		Long: `Pull reads from Microsoft Graph what idtriage investigates for one user
over a window: the profile and manager, the risky-user record, risk
detections, interactive and non-interactive sign-ins, and the directory
audits the user initiated or was the target of. It writes them into DIR as
Graph pages, one file per source, plus a hidden manifest
(.idtriage-pull.json), so that "idtriage investigate DIR" gives the same
investigation later, offline.

With --alerts it pulls every user Identity Protection holds at risk, each
into DIR/<user principal name>/.

When the time budget runs out, pull keeps what it read and marks the export
PARTIAL: the summary and the manifest say which sources were not read to
their end, and investigate reports the export as incomplete.

Only reads are sent. The README lists the permissions the app registration
needs and what leaves the machine.`,
		Example: `  idtriage pull --graph --user someone@contoso.com --since 30d --out ./case-42/
  idtriage pull --graph --alerts --since 7d --out ./at-risk/
  AZURE_TENANT_ID=... AZURE_CLIENT_ID=... AZURE_CLIENT_SECRET=... \
    idtriage pull --graph --auth secret --user someone@contoso.com --out ./case-42/`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			return runPull(cmd, fl, stdout, stderr)
		},
	}
	f := cmd.Flags()
	fl.graph.register(f)
	f.StringVarP(&fl.user, "user", "u", "", "user principal name to pull")
	f.StringVarP(&fl.out, "out", "o", "", "folder to write the export into (new or empty)")
	f.StringVar(&fl.logFormat, "log-format", "text", "log format on stderr: text or json")
	f.BoolVarP(&fl.verbose, "verbose", "v", false, "log each page at debug level")
	return cmd
}

func runPull(cmd *cobra.Command, fl pullFlags, stdout, stderr io.Writer) error {
	switch {
	case !fl.graph.enabled:
		return &usageError{fmt.Errorf("pull reads Microsoft Graph only: add --graph")}
	case fl.out == "":
		return &usageError{fmt.Errorf("pull needs --out DIR, a new or empty folder")}
	case (fl.user == "") == !fl.graph.alerts:
		return &usageError{fmt.Errorf("pull needs either --user UPN or --alerts")}
	}
	if err := emptyFolder(fl.out); err != nil {
		return err
	}
	log, err := newLogger(stderr, fl.logFormat, fl.verbose)
	if err != nil {
		return err
	}
	ctx := cmd.Context()
	client, window, err := fl.graph.open(ctx, log)
	if err != nil {
		return err
	}

	users := []string{fl.user}
	if fl.graph.alerts {
		risky, err := client.AtRisk(ctx)
		if err != nil {
			return err
		}
		users = users[:0]
		for _, u := range risky {
			users = append(users, u.UserPrincipalName)
		}
		fmt.Fprintf(stdout, "users at risk: %d\n", len(users))
	}
	for _, upn := range users {
		dir := fl.out
		if fl.graph.alerts {
			dir = filepath.Join(fl.out, safeName(upn))
		}
		if err := os.MkdirAll(dir, 0o700); err != nil {
			return fmt.Errorf("pull: %w", err)
		}
		rep, err := client.Pull(ctx, upn, window, dir)
		if err != nil {
			return graphUsage(err)
		}
		if err := rep.WriteSummary(stdout); err != nil {
			return err
		}
	}
	return nil
}

// emptyFolder checks that dir is new or empty: a pull into a folder that
// holds an older export would mix the two.
func emptyFolder(dir string) error {
	entries, err := os.ReadDir(dir)
	switch {
	case os.IsNotExist(err):
		return nil
	case err != nil:
		return fmt.Errorf("pull: %w", err)
	case len(entries) > 0:
		return &usageError{fmt.Errorf("--out %s is not empty; pull into a new folder", dir)}
	}
	return nil
}

// safeName turns a principal name into a folder name.
func safeName(upn string) string {
	out := []rune(upn)
	for i, r := range out {
		if r == '/' || r == '\\' || r == ':' || r < ' ' {
			out[i] = '_'
		}
	}
	if s := string(out); s != "" && s[0] != '.' {
		return s
	}
	return "_" + string(out)
}
