package main

import (
	"log/slog"
	"time"

	"github.com/idtriage/idtriage/internal/detect"
	"github.com/idtriage/idtriage/internal/entra"
	"github.com/idtriage/idtriage/internal/ingest"
)

// Log keys of hunt's warnings about its input: the interactive sign-ins it
// read, and a file (the same key as ingest's file lines).
const (
	keyInteractive = "interactive_signins"
	keyPath        = "path"
	keyDropped     = "risk_detections_dropped"
)

// logCount counts the sign-ins a hunt read by the log they came from, to
// tell the analyst when an export holds only half of the sign-in logs.
type logCount struct {
	interactive, nonInteractive int
	// signIns counts every sign-in, placed those with coordinates.
	signIns, placed int
}

func (c *logCount) add(s *entra.SignIn) {
	c.signIns++
	if s.Location.HasCoords {
		c.placed++
	}
	switch s.Source {
	case entra.SourceInteractive:
		c.interactive++
	case entra.SourceNonInteractive:
		c.nonInteractive++
	}
}

// warnMissing warns when the input has interactive sign-ins and no
// non-interactive ones: token refreshes, ROPC and most legacy clients land
// in the non-interactive log, so the rules that look for them see only part
// of the attack, and a run that finds nothing proves little.
func (c logCount) warnMissing(log *slog.Logger) {
	if c.interactive == 0 || c.nonInteractive > 0 {
		return
	}
	log.Warn("no non-interactive sign-ins in the input: ENTRA-SPRAY-DISTRIBUTED and "+
		"ENTRA-LEGACY-AUTH-SUCCESS see only the interactive log (export "+
		"AADNonInteractiveUserSignInLogs too, or use idtriage pull, which reads both)",
		keyInteractive, c.interactive)
}

// warnPartial warns, for each file that is a Graph page whose
// @odata.nextLink was saved, that the pages after it were not exported:
// the hunt saw part of the period and a quiet result proves little
// (field reports BR-29, BR-30).
func warnPartial(log *slog.Logger, sum *ingest.Summary) {
	for _, f := range sum.Files {
		if f.NextLink != "" {
			log.Warn("Graph page says more pages follow; the hunt sees only the pages "+
				"exported", keyPath, f.Path)
		}
	}
}

// warnStrayUsers warns when user records came in files that start with
// other records: hunt takes its directory of object ids only from files
// whose first record is a user (read before any sign-in, so that no alert
// depends on where in the input a user record sits), and these were not
// used.
func warnStrayUsers(log *slog.Logger, sum *ingest.Summary) {
	for _, f := range sum.Files {
		if n := f.Counts[ingest.KindUser]; n > 0 {
			log.Warn("user records among other records were not used to name object ids; "+
				"give the users export its own file", keyPath, f.Path, keyCount, n)
		}
	}
}

// emptyHunt is the error of a hunt that no sign-in or audit reached: an
// empty folder, files of other kinds only, or --since past the data. The
// output ("No alerts.", or an empty list) then means nothing was looked
// at, which the exit status says (exitEmpty).
func emptyHunt(st detect.Stats, since time.Time) error {
	// Service-principal sign-ins and records with no identity are counted
	// among the sign-ins but reach no rule (Stats.Skipped).
	if st.SignIns-st.Skipped > 0 || st.Audits > 0 {
		return nil
	}
	msg := "no sign-ins or audits reached the rules: nothing was hunted"
	if !since.IsZero() {
		msg += " (none from --since on)"
	}
	return &emptyError{msg}
}

// warnDropped says when the risk-detection rule let detections go
// undecided because a user had more waiting for a later sign-in than it
// keeps: those detections were never tied, so no alert is not a verdict.
func warnDropped(log *slog.Logger, st detect.Stats) {
	if st.RisksDropped == 0 {
		return
	}
	log.Warn("risk detections dropped untied: a user had more waiting for a later "+
		"sign-in than ENTRA-RISK-DETECTION-SUCCESS keeps (the least severe went)",
		keyDropped, st.RisksDropped)
}

// warnUnplaced warns when the travel rule is on and no sign-in of the input
// carries coordinates (a portal CSV export gives a place name and none):
// ENTRA-IMPOSSIBLE-TRAVEL then cannot fire, and its silence says nothing.
// Coordinates are read only when the rule is on, so it is asked only then.
func (c logCount) warnUnplaced(log *slog.Logger, travelOn bool) {
	if !travelOn || c.signIns == 0 || c.placed > 0 {
		return
	}
	log.Warn("no sign-in in the input carries coordinates (a portal CSV export gives "+
		"none): ENTRA-IMPOSSIBLE-TRAVEL cannot judge any move", keySignIns, c.signIns)
}
