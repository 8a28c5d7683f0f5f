// Package ingest reads exported Microsoft Entra ID logs into the records of
// package entra. It finds the shape of each file from its content, never its
// name, decodes every record on its own, and reports what it could not read
// with the file, line and column, so that one bad record never stops the
// others and is never dropped in silence.
//
// # Shapes
//
// A file may be UTF-8 with or without a byte-order mark, or UTF-16 (little
// or big endian) with a byte-order mark, as Windows PowerShell writes it.
// UTF-16 without a mark is recognised from the zero bytes of ASCII text.
//
// JSON files may hold any number of top-level values, read by one loop: a
// bare array (portal download, PowerShell ConvertTo-Json), a Microsoft
// Graph page ({"value": [...]}, whose @odata.nextLink is reported), an
// Event Hub or storage blob ({"records": [...]}, payload under
// "properties"), NDJSON, arrays written back to back, or a single object.
//
// CSV files may come from the Entra portal (display names such as "Date
// (UTC)" and "Sign-in error code"), from Log Analytics or Sentinel
// (PascalCase columns, a " [UTC]" suffix, _dynamic/_string pairs, JSON
// text in cells spanning several lines) or from PowerShell Export-Csv.
//
// Each record is classified on its own, so a file may mix kinds: sign-ins
// (every *SignInLogs category, tagged with entra.Source), directory audits
// (including the 2018 "Audit" schema), risk detections, risky users, Graph
// user profiles and IPData responses. The Event Hub category or the Log
// Analytics Type decides when present; otherwise the fields do. Keys are
// matched without regard to case everywhere.
//
// # Normalisation
//
// Nested fields that arrive as JSON text are decoded once. Timestamps are
// read in every layout met in exports and kept in UTC; a time whose zone
// was assumed, whose day and month could be swapped, or that came from a
// fallback field is marked approximate, and local time is never assumed.
// Error codes are read from status.errorCode, resultType or the portal's
// columns, as numbers or text. Addresses are made canonical, and text that
// is not an address is kept raw. Fields of unexpected types are kept raw on
// the record and counted in Set.Warnings rather than rejected.
//
// # Errors
//
// A record is rejected, with an Error naming the file, line, column, record
// and field, when its JSON is invalid, when it carries no readable time,
// when it names a log category idtriage does not read, or when it is larger
// than MaxRecord (16 MiB; real records stay under 100 KB): such a record is
// rejected with its size, without being decoded. A file that holds no
// Entra record is reported as skipped with a reason. Read fails only when a
// path cannot be read.
//
// # Merging
//
// Set.Finish merges sign-in rows that share an id, as the service splits
// one sign-in into several rows; the latest row decides the status and the
// authentication steps of all rows are kept in time order. Exact duplicates,
// as from overlapping exports, are dropped and counted.
//
// # Streaming
//
// Stream reads the same inputs as Read, a block of 128 KiB at a time, decodes
// on every core and hands the records to a callback in file order, so that
// memory does not grow with the input. NDJSON is cut into lines, arrays,
// Graph pages and Event Hub blobs into their elements. Sign-ins in the
// usual shapes (Graph, Event Hub) go to a fast path that decodes typed
// structs and reads only the fields entra.SignIn keeps (with Options.Lean,
// only those hunting reads, narrowed by Options.Fields to the groups the
// caller uses). With Lean, a flat Graph sign-in is read first by the picker,
// a scanner that copies out only those fields and passes over the rest
// without building anything; what the picker is unsure of goes to the typed
// structs as before. A record the fast path cannot read exactly as the general
// decoder would (any other kind or shape, a field of an unexpected type,
// anything the general decoder warns about) goes to the general decoder.
// A damaged NDJSON line whose damage can run past it is decoded together
// with the lines after it, up to a clean record the general decoder is seen
// to read on its own. Tests hold Stream to Read on the corpus, the field
// reports, generated tenants and fuzzed input: same records, reports,
// problems and warnings. Stream does not merge split rows; Set.Finish does.
//
// # Shortcomings
//
// Read reads a file into memory whole; its records are then decoded one at
// a time. Memory therefore grows with the largest file, not with the number
// of records in the run. Stream reads whole, with the general decoder, what
// it cannot cut into records: CSV, UTF-16, and an array or page with damage
// that breaks its brackets (the records already handed over are not handed
// over again).
//
// MaxRecord bounds what one record costs only where the record can be
// passed over unread: an NDJSON line, once the file is known to be NDJSON,
// that opens with '{'. Stream drops its bytes as it reads them. Any other
// record over the limit (an array or page element, the first line of a
// file, a pretty-printed object) is still held whole by Stream to find its
// end, about twice its size in memory, and then rejected unread; so is an
// NDJSON line that does not open with '{'. Read, the whole-file fallbacks
// above, CSV and UTF-16 hold the whole file, records over the limit
// included; the limit only spares decoding them. A CSV row is not bounded.
//
// On Stream's fast path, a key that one object spells twice in different
// case (userPrincipalName and UserPrincipalName) gives the value that comes
// last; Read takes the exact spelling. No export writes one key twice in
// one object; checking costs a third of the decoding speed.
//
// Columns are counted in bytes of the decoded UTF-8 text, so a tab or a
// non-ASCII character before the fault counts as its bytes.
//
// A broken record whose brackets do not close cannot be told apart from
// the records after it; reading resumes at the next line that starts with
// '{' or '[', and the error says where. In a pretty-printed page that is
// usually the end of the file.
//
// Once a file has shown a record on a single line it is read as NDJSON:
// each later top-level object must end on the line where it starts, so a
// cut line costs only itself, but a pretty-printed object after such lines
// is rejected. Recovery from damage that would read the file more than
// about four times over stops, and the error says the rest was not read.
//
// Records without an id are never merged or deduplicated, even when
// identical. All rows that share a sign-in id are merged, whatever their
// log category.
//
// Slash dates are read month first. A day-first export is recognised only
// when the day is above 12; otherwise the time is marked approximate.
//
// The Log Analytics REST shape (tables, columns, rows) is not read.
package ingest
