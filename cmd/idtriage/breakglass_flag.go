package main

import (
	"fmt"
	"strings"

	"github.com/idtriage/idtriage/internal/detect"
)

// checkBreakGlass checks the accounts of --break-glass, in the flag's
// words: the check's own ("give one account an entry") are a rules file's.
func checkBreakGlass(accounts []string) error {
	// The rules file may leave an entry empty on purpose; a flag given
	// with nothing in it is a slip (a reviewer's case: --break-glass " "
	// and --break-glass id: named no account, silently).
	for _, a := range accounts {
		id, isID := strings.CutPrefix(strings.ToLower(strings.TrimSpace(a)), "id:")
		if strings.TrimSpace(id) == "" {
			what := "is empty"
			if isID {
				what = "gives no object id after id:"
			}
			return &usageError{fmt.Errorf("--break-glass %q %s; give a principal name "+
				"or an object id", a, what)}
		}
	}
	if err := detect.CheckAccounts(accounts); err != nil {
		return &usageError{fmt.Errorf("--break-glass %w; give each account its own "+
			"--break-glass, or separate accounts with commas", err)}
	}
	return nil
}
