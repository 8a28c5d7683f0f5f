package main

import (
	"fmt"
	"strings"

	"github.com/spf13/cobra"
	"github.com/spf13/pflag"

	"github.com/idtriage/idtriage/internal/spell"
)

// flagError is the root's answer to a flag cobra cannot parse: a usage
// error that points at --help and, for a misspelt long flag, at the
// nearest flag of the command ("--sinec": did you mean --since?).
func flagError(c *cobra.Command, err error) error {
	hint := ""
	if name, ok := strings.CutPrefix(err.Error(), "unknown flag: --"); ok {
		if near := nearestFlag(c, name); near != "" {
			hint = fmt.Sprintf("; did you mean --%s?", near)
		}
	}
	return &usageError{fmt.Errorf("%w%s (see %s --help)", err, hint, c.CommandPath())}
}

// nearestFlag is the command's long flag closest to name: the only flag
// that starts with it (three letters or more), else the nearest within one
// edit, two for names of five letters or more; "" when none is.
func nearestFlag(c *cobra.Command, name string) string {
	name, _, _ = strings.Cut(name, "=")
	best, bestDist := "", 2
	if len(name) >= 5 {
		bestDist = 3
	}
	var prefixed []string
	visit := func(f *pflag.Flag) {
		if f.Hidden {
			return
		}
		if d := spell.Distance(name, f.Name); d < bestDist {
			best, bestDist = f.Name, d
		}
		if strings.HasPrefix(f.Name, name) {
			prefixed = append(prefixed, f.Name)
		}
	}
	c.Flags().VisitAll(visit)
	c.InheritedFlags().VisitAll(visit)
	if len(prefixed) == 1 && len(name) >= 3 {
		return prefixed[0]
	}
	return best
}
