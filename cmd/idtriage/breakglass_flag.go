package main

import (
	"fmt"

	"github.com/idtriage/idtriage/internal/detect"
)

// checkBreakGlass checks the accounts of --break-glass, in the flag's
// words: the check's own ("give one account an entry") are a rules file's.
func checkBreakGlass(accounts []string) error {
	if err := detect.CheckAccounts(accounts); err != nil {
		return &usageError{fmt.Errorf("--break-glass %w; give each account its own "+
			"--break-glass, or separate accounts with commas", err)}
	}
	return nil
}
