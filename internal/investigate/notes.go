package investigate

import (
	"fmt"
	"sort"

	"github.com/idtriage/idtriage/internal/entra"
)

// inputNotes summarises how the input was read, for the analyst who must
// judge how far to trust it: duplicates dropped, split rows merged, the
// oddities the decoder recovered from, error codes the code table does not
// know, and how many failed sign-ins came without per-step details. Unlike
// coverage gaps, none of these lowers the confidence by itself.
func inputNotes(ev *evidence) []string {
	var out []string
	set := ev.set
	if set.Duplicates > 0 {
		out = append(out, fmt.Sprintf("%s dropped as exact duplicates (same id and time, "+
			"for example overlapping exports)", plural(set.Duplicates, "record")))
	}
	if set.Merged > 0 {
		out = append(out, fmt.Sprintf("%s merged into the sign-in they belong to (one "+
			"sign-in split over several rows)", plural(set.Merged, "row")))
	}

	unknown := map[string]int{}
	failures, bare := 0, 0
	for _, s := range ev.signIns {
		if !s.HasCode {
			continue
		}
		if _, ok := entra.LookupCode(s.ErrorCode); !ok {
			unknown[fmt.Sprint(s.ErrorCode)]++
		}
		if c := s.Class(); c == entra.ClassCredentialFailure || c == entra.ClassLockout {
			failures++
			if len(s.AuthSteps) == 0 {
				bare++
			}
		}
	}
	if len(unknown) > 0 {
		out = append(out, fmt.Sprintf("error codes the code table (version %s) does not "+
			"know, reported rather than guessed: %s", entra.CodeTableVersion,
			topList(unknown, 8)))
	}
	if bare > 0 {
		out = append(out, fmt.Sprintf("%d%% of failed sign-ins (%d of %d) carry no "+
			"authenticationDetails; they are counted from the error code alone",
			bare*100/failures, bare, failures))
	}

	keys := make([]string, 0, len(set.Warnings))
	for k := range set.Warnings {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	for _, k := range keys {
		out = append(out, fmt.Sprintf("decoder warning, %dx: %s", set.Warnings[k], k))
	}
	return out
}
