// Package report renders a finished case as Markdown, JSON or one
// self-contained HTML page, and redacts a case for sharing.
//
// # Escaping
//
// Every string that came from a log (an application name, a city, a user
// agent, a policy name) is untrusted: Markdown output escapes it so it
// cannot open a link, an image or raw HTML; the HTML page goes through
// html/template, which escapes every value for its context, under a
// Content-Security-Policy that forbids scripts and every outside load; and
// every format strips terminal control codes and bidirectional overrides so
// a report printed to a terminal cannot move the cursor or reorder text.
//
// # Redaction
//
// Redact replaces identities with typed placeholders (user_1,
// [INTERNAL_DOMAIN_1], [EXTERNAL_IP_1], [CA_POLICY_1], ...) in a copy of the
// case, before any format renders it, so every format of a redacted report
// says the same thing. It learns the names to hide from the records and
// catches addresses, GUIDs, mail addresses and phone numbers by their
// shape. Free text it has never seen and that has no recognisable shape (a
// colleague named only by first name in a policy's description, say) is
// beyond it.
//
// # Determinism
//
// Output is deterministic: the same case gives the same bytes, except the
// lines that carry the run's wall time ("This run took ...", and
// "wallTimeMs" in JSON).
package report
