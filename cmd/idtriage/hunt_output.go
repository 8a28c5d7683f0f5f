package main

import (
	"bufio"
	"encoding/json"
	"fmt"
	"io"
	"text/tabwriter"
	"time"

	"github.com/idtriage/idtriage/internal/detect"
	"github.com/idtriage/idtriage/internal/report"
)

// writeAlerts prints alerts in format: a table for people, a JSON array,
// or one JSON object per line. The table ends with the investigate command
// to run next, which carries args (handoff).
func writeAlerts(w io.Writer, alerts []detect.Alert, format, args string) error {
	bw := bufio.NewWriter(w)
	var err error
	switch format {
	case "json":
		if alerts == nil {
			alerts = []detect.Alert{}
		}
		enc := json.NewEncoder(bw)
		enc.SetIndent("", "  ")
		err = enc.Encode(alerts)
	case "ndjson":
		enc := json.NewEncoder(bw)
		for _, a := range alerts {
			if err = enc.Encode(a); err != nil {
				break
			}
		}
	default:
		err = writeTable(bw, alerts, args)
	}
	if err != nil {
		return fmt.Errorf("write alerts: %w", err)
	}
	if err := bw.Flush(); err != nil {
		return fmt.Errorf("write alerts: %w", err)
	}
	return nil
}

// writeTable prints one line per alert, most severe first, then a line
// naming the users to investigate and the command to do it with.
func writeTable(w io.Writer, alerts []detect.Alert, args string) error {
	if len(alerts) == 0 {
		_, err := fmt.Fprintln(w, "No alerts.")
		return err
	}
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
	fmt.Fprintln(tw, "SEVERITY\tRULE\tUSER\tSTART (UTC)\tEND (UTC)\tRECORDS\tREASON")
	for _, a := range alerts {
		who := a.User
		if who == "" {
			who = fmt.Sprintf("%s (%d users)", a.Subject, len(a.Users))
		} else if a.Subject != "" {
			who += " via " + a.Subject
		}
		fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%s\t%d\t%s\n", a.Severity, a.Rule, report.Clean(who),
			stamp(a.Start), stamp(a.End), len(a.Records), report.Clean(a.Reason))
	}
	if err := tw.Flush(); err != nil {
		return err
	}
	_, err := fmt.Fprintf(w, "\n%s, %s. Investigate one with:\n  idtriage investigate "+
		"--user USER --at START %s\n(USER and START as above, USER without what follows "+
		"\"via\", so that the case is anchored on the alert)\n", count(len(alerts), "alert"),
		count(len(alertUsers(alerts)), "user"), args)
	return err
}

// count renders "1 alert" or "3 alerts".
func count(n int, word string) string {
	if n == 1 {
		return "1 " + word
	}
	return fmt.Sprintf("%d %ss", n, word)
}

func stamp(t time.Time) string { return t.UTC().Format("2006-01-02 15:04") }
