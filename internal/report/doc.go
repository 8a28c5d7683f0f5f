// Package report renders a finished case as Markdown or JSON.
//
// Every string that came from a log (an application name, a city, a user
// agent, a policy name) is untrusted: Markdown output escapes it so it
// cannot open a link, an image or raw HTML, and every format strips
// terminal control codes and bidirectional overrides so a report printed to
// a terminal cannot move the cursor or reorder text.
//
// Output is deterministic: the same case gives the same bytes, except the
// lines that carry the run's wall time ("This run took ...", and
// "wallTimeMs" in JSON).
package report
