package report

import (
	"fmt"
	"strings"
	"time"

	"github.com/idtriage/idtriage/internal/investigate"
)

// This file holds the plain-text phrases every format shares; each format
// escapes them for itself.

// questions are the five questions of an investigation, in order.
var questions = []string{
	"Did anyone already triage this?",
	"Could this be normal work?",
	"Is this outside their job scope?",
	"Did anything actually stop it?",
	"Do we have enough to call it?",
}

var kindNames = map[investigate.Kind]string{
	investigate.KindNegative:    "Negative finding",
	investigate.KindPivot:       "Pivot",
	investigate.KindNotAssessed: "Not assessed",
	investigate.KindRuledOut:    "Ruled out",
	investigate.KindConfirmed:   "Confirmed",
}

// placeText says where an address is and who said so, or "unknown".
func placeText(ip investigate.IPSummary) string { return orUnknown(ip.Place()) }

// networkText names an address's network and who said so, or "unknown".
func networkText(ip investigate.IPSummary) string { return orUnknown(ip.Network()) }

func orUnknown(s string) string {
	if s == "" {
		return "unknown"
	}
	return s
}

// stamp formats a time for the report, or "unknown".
func stamp(t time.Time) string {
	if t.IsZero() {
		return "unknown"
	}
	return t.UTC().Format("2006-01-02 15:04:05")
}

func titleCase(s string) string {
	if s == "" {
		return s
	}
	return strings.ToUpper(s[:1]) + s[1:]
}

// recordsLine lists what the case read from each source.
func recordsLine(s investigate.Sources) string {
	return fmt.Sprintf("%d sign-ins (%d distinct attempts), %d directory audit events, "+
		"%d risk detections, %d risky-user record(s), %d profile(s), %d addresses with IP "+
		"intelligence", s.SignIns, s.Attempts, s.Audits, s.RiskDetections, s.RiskyUsers,
		s.Users, s.IPIntel)
}

// costText holds the closing lines of every report: what this run took,
// what it read and what the same work costs by hand. Took carries the wall
// time, the only part of a report that changes between runs.
type costText struct {
	Took, Read, Manual, Model string
}

func newCostText(c *investigate.Case) costText {
	k := c.Cost
	return costText{
		Took: fmt.Sprintf("This run took %s.", k.WallTime.Round(10*time.Microsecond)),
		Read: fmt.Sprintf("Read %d records from %d sources: %s.", k.RecordsRead, k.Sources,
			sourceList(c.Sources)),
		Manual: fmt.Sprintf("By hand, the same work is about %.0f minutes of a Tier-2 analyst "+
			"(about US$%.0f)", k.ManualMinutes, k.ManualCost),
		Model: k.Model,
	}
}

// sourceList names the sources the case read, with their record counts.
func sourceList(s investigate.Sources) string {
	var parts []string
	for _, src := range []struct {
		name string
		n    int
	}{
		{"sign-in logs", s.SignIns}, {"directory audit logs", s.Audits},
		{"risk detections", s.RiskDetections}, {"risky users", s.RiskyUsers},
		{"directory profiles", s.Users}, {"IP intelligence", s.IPIntel},
	} {
		if src.n > 0 {
			parts = append(parts, fmt.Sprintf("%s (%d)", src.name, src.n))
		}
	}
	if len(parts) == 0 {
		return "none"
	}
	return strings.Join(parts, ", ")
}
