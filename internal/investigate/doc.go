// Package investigate walks one identity alert through the questions a
// Tier-2 analyst asks, in order, and reaches a verdict:
//
//  1. Did anyone already triage this? (risk states an administrator changed)
//  2. Could this be normal work? (the user's baseline against the window)
//  3. Is this outside their job scope? (resources reached against the title)
//  4. Did anything actually stop it? (what was blocked, and what was not)
//  5. Do we have enough to call it? (disposition, outcome, confidence)
//
// # Steps
//
// Each step is a function over one user's evidence that returns findings:
// a kind (negative, pivot, ruled out, confirmed), a statement, the records it
// rests on, the data source it read and how many records. Steps only read;
// the window, the baseline and the attribution of attempts are settled once,
// before any step runs.
//
// # Verdict
//
// verdict.go holds the rules as plain Go, in order, each with the reason it
// exists. Signals are gathered first (toward a true positive, against it,
// or about coverage), then the first matching rule decides. A gap in the
// data lowers the confidence of any verdict that rests on absence.
//
// # Shortcomings
//
// Earlier cases are not read: the command line has no case store, so
// question 1 only sees decisions recorded in Identity Protection. Provider
// infrastructure (Microsoft's own addresses acting for the user) is not yet
// configurable, so such non-interactive sign-ins count as the user's.
package investigate
