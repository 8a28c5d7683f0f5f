// Package detect runs detection rules over Microsoft Entra ID sign-ins and
// directory audits, for one user's investigation or a whole tenant's hunt,
// and exports the same rules as Sigma and as Microsoft Sentinel KQL.
//
// # Rules
//
// Each rule is one type in its own file (rule_*.go) with its id, title,
// ATT&CK technique and tactic, severity, description, its logic, the
// groups of sign-in fields it reads (a hunt decodes no others; see
// FieldsFor), and its KQL and Sigma forms. Its parameters live in
// defaults.yaml, embedded in the binary and documented there; Load reads a
// file over those defaults.
// Each rule ships positive and negative sample records under
// testdata/samples/<rule id>/, and one test walks every rule over them.
//
// Rules count distinct attempts, not rows: a sign-in split over several
// rows (interrupted flows, MFA steps, more than 34 policies) counts once,
// by originalRequestId, else by id (field reports BR-11 and BR-12).
//
// # Input order and memory
//
// An Engine takes records one at a time (SignIn, Audit) in any order and
// more than once; a repeated id is held once. State is kept per user, per
// source address and per application, and each rule keeps only the window
// it looks back over. Rules evaluate a group's records in time order (ties
// broken by kind and id), so the alerts depend on the records, not on the
// order they came in.
//
// By default the engine buffers every record per group until Close, which
// gives the same alerts for any order; memory then grows with the input,
// at roughly 500 bytes per sign-in held (the compact copy the rules read
// and its strings). When the caller knows the input is in time order
// (Options.Ordered), the engine evaluates records once they are more than
// Options.Lateness behind the newest seen, and releases what no rule can
// look at again: memory then grows with the users, addresses and
// applications active within the longest rule window and its merge gap
// (about two days with the defaults), not with the size of the input. Every user ever seen keeps a small history (countries
// and networks of successful sign-ins, account creation) for the rules
// that compare with the past.
package detect
