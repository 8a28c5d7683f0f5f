package main

import (
	"strings"
	"unicode"
	"unicode/utf8"
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
		// A path that starts with a dash would be read as a flag.
		if strings.HasPrefix(p, "-") {
			p = "./" + p
		}
		args = append(args, shellWord(p))
	}
	return strings.Join(args, " ")
}

// shellWord quotes s for a POSIX shell when it holds anything but letters,
// digits and a few safe marks. A word with a control, bidi or separator
// character, or that is not UTF-8, cannot be shown safely or pasted back,
// so it is replaced by a placeholder.
func shellWord(s string) string {
	if s == "" {
		return "''"
	}
	if !utf8.ValidString(s) {
		return "PATH"
	}
	safe := !strings.HasPrefix(s, "=") // zsh expands =word to a command's path
	for _, r := range s {
		switch {
		case unicode.IsControl(r) || unicode.In(r, unicode.Cf, unicode.Zl, unicode.Zp):
			// Control, bidi and line-separator characters would print a
			// word other than the one that runs.
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
