package main

import (
	"strings"
)

// handoff is the part of the investigate command line a hunt's table
// suggests that repeats the hunt's own: the same rule parameters,
// provider networks and break-glass accounts (without them the case would
// judge by other rules than the hunt did, and lose ENTRA-BREAK-GLASS-USE),
// and the same paths.
func handoff(fl huntFlags, paths []string) string {
	var args []string
	if fl.rules != "" {
		args = append(args, "--rules", shellWord(fl.rules))
	}
	if fl.providers != "" {
		args = append(args, "--provider-networks", shellWord(fl.providers))
	}
	for _, a := range fl.breakGlass {
		args = append(args, "--break-glass", shellWord(a))
	}
	for _, p := range paths {
		args = append(args, shellWord(p))
	}
	return strings.Join(args, " ")
}

// shellWord quotes s for a POSIX shell when it holds anything but letters,
// digits and a few safe marks. A control character cannot be shown safely
// or pasted back, so such a word is replaced by a placeholder.
func shellWord(s string) string {
	if s == "" {
		return "''"
	}
	safe := true
	for _, r := range s {
		switch {
		case r < 0x20 || r == 0x7f || (r >= 0x80 && r < 0xa0):
			return "PATH"
		case r >= 'a' && r <= 'z', r >= 'A' && r <= 'Z', r >= '0' && r <= '9':
		case strings.ContainsRune("@%+=:,./_-", r):
		default:
			safe = false
		}
	}
	if safe {
		return s
	}
	return "'" + strings.ReplaceAll(s, "'", `'\''`) + "'"
}
