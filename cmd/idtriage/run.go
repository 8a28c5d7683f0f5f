package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"strings"

	"github.com/spf13/cobra"

	"github.com/idtriage/idtriage/internal/investigate"
)

// Exit statuses.
const (
	exitOK    = 0
	exitError = 1
	exitUsage = 2
	// exitEmpty: hunt read no sign-in or audit, so "no alerts" says
	// nothing of the tenant.
	exitEmpty = 3
)

// emptyError marks a hunt that looked at nothing; it exits with status 3,
// so that a script never takes an empty input for a clean tenant.
type emptyError struct{ msg string }

func (e *emptyError) Error() string { return e.msg }

// usageError marks errors that are the caller's to fix by changing the
// command line; they exit with status 2.
type usageError struct{ err error }

func (e *usageError) Error() string { return e.err.Error() }
func (e *usageError) Unwrap() error { return e.err }

// run is the whole program: it builds the command tree, executes it with
// args, and maps the outcome to an exit status in one place.
func run(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	root := newRoot(stdout, stderr)
	root.SetArgs(args)
	root.SetOut(stdout)
	root.SetErr(stderr)

	err := root.ExecuteContext(ctx)
	if err == nil {
		return exitOK
	}
	fmt.Fprintf(stderr, "idtriage: %s\n", oneLine(err.Error()))

	var ue *usageError
	var amb *investigate.AmbiguousUserError
	var empty *emptyError
	switch {
	case errors.As(err, &ue), errors.As(err, &amb), isCobraUsage(err):
		return exitUsage
	case errors.As(err, &empty):
		return exitEmpty
	}
	return exitError
}

// isCobraUsage recognises the flag and argument errors cobra itself
// returns, which carry no type of their own.
// Only the start of the message is read, so a path or a user name that
// happens to contain these words cannot turn an error into a usage error.
func isCobraUsage(err error) bool {
	msg := err.Error()
	for _, p := range []string{"unknown flag", "unknown shorthand", "unknown command",
		"flag needs an argument", "invalid argument", "accepts ", "requires at least",
		"bad flag syntax", "required flag"} {
		if strings.HasPrefix(msg, p) {
			return true
		}
	}
	return false
}

// oneLine folds an error onto one line. The lines of a multi-line error
// (the Azure SDK lists each credential it tried on its own line) stay
// apart, joined by "; ", and rules of dashes between them are dropped.
func oneLine(s string) string {
	var b strings.Builder
	for _, l := range strings.Split(s, "\n") {
		l = strings.Join(strings.Fields(l), " ")
		if strings.Trim(l, "-") == "" {
			continue
		}
		if b.Len() > 0 {
			// A line that ends a sentence or opens a list needs no mark.
			if last := b.String()[b.Len()-1]; last == ':' || last == '.' || last == ';' {
				b.WriteString(" ")
			} else {
				b.WriteString("; ")
			}
		}
		b.WriteString(l)
	}
	return b.String()
}

func newRoot(stdout, stderr io.Writer) *cobra.Command {
	root := &cobra.Command{
		Use:   "idtriage",
		Short: "Investigate Microsoft Entra ID identity alerts from exported logs",
		Long: `idtriage reads the logs a SOC analyst would pull for an identity alert
(sign-ins, directory audits, risk detections, the user's profile, IP
intelligence), asks the same five questions every time, cites the records
behind every finding and reaches a verdict such as
"True Positive - Blocked, confidence High", offline and reproducibly.

Exit status: 0 when the work was done, 1 on an error (an unreadable path, a
user absent from the input), 2 on a usage error (a bad flag, no PATH, or
several users present with nothing saying which), 3 when hunt read no
sign-in or audit (its "No alerts." then says nothing of the tenant).`,
		SilenceUsage:  true,
		SilenceErrors: true,
		Version:       version(),
	}
	root.SetVersionTemplate("idtriage {{.Version}}\n")
	root.SetFlagErrorFunc(flagError)
	root.AddCommand(newInvestigate(stdout, stderr))
	root.AddCommand(newHunt(stdout, stderr))
	root.AddCommand(newRules(stdout))
	root.AddCommand(newEnrich(stdout, stderr))
	root.AddCommand(newPull(stdout, stderr))
	root.AddCommand(newSimulate(stdout, stderr))
	root.AddCommand(newServe(stdout, stderr))
	return root
}
