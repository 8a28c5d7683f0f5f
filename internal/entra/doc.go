// Package entra holds the records idtriage reads from Microsoft Entra ID
// (sign-ins, directory audits, risk detections, risky users, user profiles and
// IP enrichment) and the meaning of their codes: which error codes are
// credential failures, interrupts or Conditional Access blocks, and which
// audit activities belong to self-service password reset or security-info
// registration.
//
// # Records
//
// Every record is already normalised: one field has one type whatever shape
// the export had (Graph, Event Hub, Log Analytics, PowerShell). The raw value
// of an enum-like field is kept beside its folded form, and every record
// knows where it came from (file and position), so a finding can cite it.
//
// # Semantics
//
// Logic keys on numbers and enum values, never on description text:
// Microsoft rewords failure reasons without notice. The tables in codes.go
// and activity.go are versioned; a code or activity not in them is reported
// as unknown, never guessed.
//
// This package does no I/O.
package entra
