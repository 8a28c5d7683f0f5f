package detect

import (
	"cmp"
	"slices"
	"time"
)

// Severities of an alert, from least to most severe.
const (
	SeverityLow      = "low"
	SeverityMedium   = "medium"
	SeverityHigh     = "high"
	SeverityCritical = "critical"
)

// MaxRecords caps the record ids one alert cites; Reason gives the full
// counts. The first ids in time are kept.
const MaxRecords = 200

// Alert is one rule firing for one user (or, for rules about a source
// address or an application, for one subject) over one window.
type Alert struct {
	// Rule is the rule id (ENTRA-CA-BLOCK-BURST); Title, Technique and
	// Tactic come from the rule; Technique is an ATT&CK id (T1078.004).
	Rule      string `json:"rule"`
	Title     string `json:"title"`
	Technique string `json:"technique"`
	Tactic    string `json:"tactic"`
	// Severity is low, medium, high or critical.
	Severity string `json:"severity"`
	// User is the principal name, case-folded ("id:" and the object id when
	// the records named no principal and Options.Directory does not know
	// the id). It is empty for an alert about a source address or an
	// application; Subject and Users then say whom it concerns.
	User string `json:"user"`
	// Start and End are the times of the first and last record behind the
	// alert.
	Start time.Time `json:"start"`
	End   time.Time `json:"end"`
	// Reason is one line with the numbers that crossed the threshold.
	Reason string `json:"reason"`
	// Records are the ids of the sign-ins and audit events behind the
	// alert, in time order, at most MaxRecords of them.
	Records []string `json:"records"`

	// Subject is the source address or application an alert is about when
	// it is not about one user (password spray); empty otherwise.
	Subject string `json:"subject,omitempty"`
	// Users lists the principals an address or application alert touched,
	// sorted; empty for a one-user alert.
	Users []string `json:"users,omitempty"`
}

// severityRank orders severities; an unknown one ranks below low.
func severityRank(s string) int {
	switch s {
	case SeverityLow:
		return 1
	case SeverityMedium:
		return 2
	case SeverityHigh:
		return 3
	case SeverityCritical:
		return 4
	}
	return 0
}

// validSeverity reports whether s is one of the four severities.
func validSeverity(s string) bool { return severityRank(s) > 0 }

// maxSeverity returns the more severe of a and b.
func maxSeverity(a, b string) string {
	if severityRank(b) > severityRank(a) {
		return b
	}
	return a
}

// SortAlerts orders alerts the way Close returns them: most severe first,
// then by start time, user, rule, subject and end.
func SortAlerts(as []Alert) {
	slices.SortStableFunc(as, func(a, b Alert) int {
		if c := cmp.Compare(severityRank(b.Severity), severityRank(a.Severity)); c != 0 {
			return c
		}
		if c := a.Start.Compare(b.Start); c != 0 {
			return c
		}
		return cmp.Or(cmp.Compare(a.User, b.User), cmp.Compare(a.Rule, b.Rule),
			cmp.Compare(a.Subject, b.Subject), a.End.Compare(b.End))
	})
}
