package main

import (
	"log/slog"

	"github.com/idtriage/idtriage/internal/entra"
)

// keyInteractive is the log key of the interactive sign-ins a hunt read.
const keyInteractive = "interactive_signins"

// logCount counts the sign-ins a hunt read by the log they came from, to
// tell the analyst when an export holds only half of the sign-in logs.
type logCount struct {
	interactive, nonInteractive int
}

func (c *logCount) add(s *entra.SignIn) {
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
