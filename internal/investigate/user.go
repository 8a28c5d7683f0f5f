package investigate

import (
	"errors"
	"fmt"
	"slices"
	"sort"
	"strings"

	"github.com/idtriage/idtriage/internal/ingest"
)

// ErrNoUser is returned when the input names no user at all.
var ErrNoUser = errors.New("no user found in the input: it holds no sign-ins, audits or alerts " +
	"that name a user")

// AmbiguousUserError is returned when several users are present and nothing
// says which one to investigate; the command turns it into a usage error.
type AmbiguousUserError struct {
	Candidates []string
	// Alerted says the candidates are the users the alerts (risky users
	// or risk detections) name, not every user present.
	Alerted bool
}

func (e *AmbiguousUserError) Error() string {
	if e.Alerted {
		return fmt.Sprintf("the alerts (risky users or risk detections) name %d users; "+
			"choose with --user: %s", len(e.Candidates), strings.Join(e.Candidates, ", "))
	}
	return fmt.Sprintf("%d users are present and no alert names one; choose with --user: %s",
		len(e.Candidates), strings.Join(e.Candidates, ", "))
}

// UnknownUserError is returned when --user names someone absent from the
// input.
type UnknownUserError struct {
	User    string
	Present []string
	// Files, when no user is present at all, are the files the input
	// held, so that the message can say why (all skipped, say, as empty).
	Files []ingest.FileReport
}

func (e *UnknownUserError) Error() string {
	msg := fmt.Sprintf("user %q does not appear in the input", e.User)
	if len(e.Present) > 0 {
		return msg + "; users present: " + strings.Join(e.Present, ", ")
	}
	return msg + "; it names no user at all" + filesRead(e.Files)
}

// filesRead says what the files of an input without users were: how many,
// and why those skipped were (the first three reasons).
func filesRead(files []ingest.FileReport) string {
	if len(files) == 0 {
		return " (no file was read)"
	}
	var skipped []string
	for _, f := range files {
		if f.Skipped {
			skipped = append(skipped, fmt.Sprintf("%s: %s", f.Path, f.Reason))
		}
	}
	n := len(skipped)
	switch {
	case n == 0:
		return fmt.Sprintf(" (%d files read)", len(files))
	case n > 3:
		skipped = append(skipped[:3], fmt.Sprintf("%d more", n-3))
	}
	return fmt.Sprintf(" (%d of %d files skipped: %s)", n, len(files),
		strings.Join(skipped, "; "))
}

// selectUser decides whose case this is: --user when given, else the
// alert's user, else the only user present. want may be a principal name or
// a key idtriage hunt prints ("id:" and an object id, or the bare object id);
// the key is kept as given, so the report names the user the way the
// analyst did.
func selectUser(set *ingest.Set, want string) (string, error) {
	dir := newDirectory(set)
	present := usersPresent(set, dir)

	if want != "" {
		return chooseKey(dir, present, want)
	}

	// The alert names the user: a riskyUser first, then a risk detection.
	alerted := map[string]bool{}
	for _, r := range set.RiskyUsers {
		dir.add(alerted, r.ID, r.UserPrincipalName)
	}
	if len(alerted) == 0 {
		for _, r := range set.Risks {
			dir.add(alerted, r.UserID, r.UserPrincipalName)
		}
	}
	if len(alerted) == 1 {
		for k := range alerted {
			return k, nil
		}
	}
	if len(alerted) > 1 {
		return "", &AmbiguousUserError{Candidates: sortedKeys(alerted), Alerted: true}
	}

	switch len(present) {
	case 0:
		return "", ErrNoUser
	case 1:
		return present[0], nil
	}
	return "", &AmbiguousUserError{Candidates: present}
}

// chooseKey turns --user into the key of a person present, or returns
// UnknownUserError.
func chooseKey(dir *directory, present []string, want string) (string, error) {
	key := keyOf(want)
	if key != "" && slices.Contains(present, dir.canonical(key)) {
		return key, nil
	}
	return "", &UnknownUserError{User: want, Present: limit(present, 20)}
}

// usersPresent lists the keys of people (not applications) that records
// name, one per person as directory.canonical gives it, sorted.
func usersPresent(set *ingest.Set, dir *directory) []string {
	seen := map[string]bool{}
	for i := range set.SignIns {
		s := &set.SignIns[i]
		if !s.IsServicePrincipal() {
			dir.add(seen, s.UserID, s.UserPrincipalName)
		}
	}
	for i := range set.Audits {
		for _, t := range set.Audits[i].Targets {
			if strings.EqualFold(t.Type, "user") {
				dir.add(seen, t.ID, t.UserPrincipalName)
			}
		}
	}
	for _, r := range set.RiskyUsers {
		dir.add(seen, r.ID, r.UserPrincipalName)
	}
	for _, r := range set.Risks {
		dir.add(seen, r.UserID, r.UserPrincipalName)
	}
	for _, u := range set.Users {
		dir.add(seen, u.ID, u.UserPrincipalName)
	}
	return sortedKeys(seen)
}

func sortedKeys(m map[string]bool) []string {
	out := make([]string, 0, len(m))
	for k := range m {
		out = append(out, k)
	}
	sort.Strings(out)
	return out
}

func limit(s []string, n int) []string {
	if len(s) <= n {
		return s
	}
	return append(s[:n:n], fmt.Sprintf("and %d more", len(s)-n))
}
