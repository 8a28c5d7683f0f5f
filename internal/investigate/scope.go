package investigate

import (
	"fmt"
	"strings"
)

// technicalTitles are words in a job title that make administrative tools
// part of the job.
var technicalTitles = []string{
	"admin", "administrator", "engineer", "developer", "devops", "it ", "i.t.",
	"information technology", "cloud", "security", "architect", "sysadmin",
	"infrastructure", "helpdesk", "help desk", "service desk", "identity", "platform",
}

// stepScope answers question 3: is what the attempts reached part of the
// user's job? It compares administrative resources reached against the
// job title and department, and against the other users of the same input.
func stepScope(ev *evidence, an *analysis) []Finding {
	f := Finding{Question: 3, Step: "job-scope", Title: "Resources against job scope",
		Source: "sign-in logs and directory profile", Read: len(an.suspicious)}
	if ev.profile != nil {
		f.Read++
	}

	reached := map[string]int{}
	for _, s := range an.adminReach {
		reached[adminResource(s)]++
	}
	baseAdmin := 0
	for _, s := range ev.base.signIns {
		if adminResource(s) != "" {
			baseAdmin++
		}
	}

	title := "unknown job title"
	technical := false
	if ev.profile != nil && ev.profile.JobTitle != "" {
		title = ev.profile.JobTitle
		if ev.profile.Department != "" {
			title += ", " + ev.profile.Department
		}
		technical = isTechnical(ev.profile.JobTitle + " " + ev.profile.Department)
	}

	switch {
	case len(reached) == 0:
		f.Kind = KindNegative
		f.Statement = "No attempt outside the baseline aimed at an administrative or " +
			"credential-management resource."
	case technical || baseAdmin > 0:
		f.Kind = KindRuledOut
		f.Statement = fmt.Sprintf("The attempts aimed at %s. For this user (%s) that is "+
			"part of the job", topList(reached, 4), title)
		if baseAdmin > 0 {
			f.Statement += fmt.Sprintf(": the baseline holds %s to such resources",
				plural(baseAdmin, "sign-in"))
		}
		f.Statement += "."
	default:
		f.Kind = KindPivot
		f.Statement = fmt.Sprintf("The attempts aimed at %s, which a %s has no reason to "+
			"use; the baseline holds no sign-in to any administrative resource.",
			topList(reached, 4), title)
		if ev.profile == nil {
			f.Statement = fmt.Sprintf("The attempts aimed at %s, and the baseline holds no "+
				"sign-in to any administrative resource. No directory profile was supplied, "+
				"so the job title cannot be weighed.", topList(reached, 4))
		}
	}
	if p := peers(ev, reached); p != "" {
		f.Statement += " " + p
	}
	f.Evidence = refsOf(an.adminReach)
	return []Finding{f}
}

func isTechnical(s string) bool {
	s = strings.ToLower(s) + " "
	for _, w := range technicalTitles {
		if strings.Contains(s, w) {
			return true
		}
	}
	return false
}

// peers says how many other users of the input reached the same resources,
// and how many of those share the user's department.
func peers(ev *evidence, reached map[string]int) string {
	if len(reached) == 0 {
		return ""
	}
	users, others := ev.ten.others(ev.who, reached)
	if users == 0 {
		return "The input holds no other users to compare with."
	}
	return fmt.Sprintf("Of %s in the input, %d signed in to those resources.",
		plural(users, "other user"), others)
}
