package ingest

import (
	"bytes"
	"fmt"
	"path/filepath"
	"sort"
	"strings"

	"github.com/idtriage/idtriage/internal/jsonx"
)

// Decode reads one file's bytes into set: it finds the encoding and the
// container from the content (never the name), decodes every record on its
// own, and appends a FileReport, the records kept and an Error for every
// record rejected. It never fails as a whole; Read calls it for each file
// and then set.Finish.
func Decode(name string, data []byte, set *Set) {
	f := &fileState{name: name, set: set, rep: FileReport{Path: name}}
	f.decode(data)
	f.close()
}

// fileState is one file being decoded.
type fileState struct {
	name  string
	set   *Set
	rep   FileReport
	text  []byte
	lines lineIndex

	ordinal  int      // records met so far, good or bad
	problems []*Error // this file's errors, sorted by position on close
	// unknown holds records that matched no kind. They become errors only
	// if something else in the file was recognised; otherwise the file is
	// simply not an Entra export and is reported as skipped.
	unknown   []*Error
	firstKeys []string
	// dayFirst names the CSV fields whose slash dates the file shows to
	// be written day first; mixedDates the columns that show both orders
	// (csv_dates.go).
	dayFirst   map[string]bool
	mixedDates []string
}

func (f *fileState) decode(data []byte) {
	text, enc, err := toUTF8(data)
	if err != nil {
		f.rep.Shape = "unknown"
		f.skip("unknown encoding or binary content")
		f.problems = append(f.problems, &Error{File: f.name, Line: 1, Column: 1,
			Msg: fmt.Sprintf("not a text export (%v); first bytes: %s", err, hexHead(data))})
		return
	}
	f.text, f.lines = text, newLineIndex(text)
	start := space(text, 0)
	shape := ""
	switch {
	case start == len(text):
		f.rep.Shape = withEncoding(enc, "empty")
		f.skip("empty file")
		return
	case text[start] == '{' || text[start] == '[':
		doc := &jsonDoc{f: f, b: text}
		doc.run()
		shape = doc.shape()
	case looksLikeCSV(text):
		shape = "csv"
		f.decodeCSV()
	default:
		// Text that is neither is a note beside the export (a README): it
		// is listed as skipped, not counted as a rejected record.
		f.rep.Shape = withEncoding(enc, "text")
		if ext := noteExt(f.rep.Path); ext != "" && !holdsJSON(text) {
			f.rep.Note = true
			f.skip("a note beside the logs (" + ext + "), not JSON or CSV")
			return
		}
		f.skip("not JSON or CSV")
		return
	}
	f.rep.Shape = withEncoding(enc, shape)
}

func withEncoding(enc encoding, shape string) string {
	if enc == encUTF8 {
		return shape
	}
	return string(enc) + "+" + shape
}

// close settles the file's report and hands everything to the set.
func (f *fileState) close() {
	if len(f.unknown) > 0 {
		if f.rep.Records > 0 || f.rep.Rejected > 0 {
			f.problems = append(f.problems, f.unknown...)
			f.rep.Rejected += len(f.unknown)
		} else {
			f.skip("no Entra ID records: first record has keys " + strings.Join(f.firstKeys, ", "))
		}
	}
	if f.rep.Records == 0 && f.rep.Rejected == 0 && !f.rep.Skipped {
		f.skip("no records")
	}
	sort.SliceStable(f.problems, func(i, j int) bool {
		a, b := f.problems[i], f.problems[j]
		if a.Line != b.Line {
			return a.Line < b.Line
		}
		return a.Column < b.Column
	})
	f.set.Problems = append(f.set.Problems, f.problems...)
	f.set.Files = append(f.set.Files, f.rep)
}

// noteExt returns the extension of a file named as documentation (a
// README.md beside an export: Markdown, reStructuredText, AsciiDoc, HTML,
// or a .txt named README, NOTES, LICENSE or SOURCES), or "". A .txt of any
// other name is where exports get pasted, and is no note.
func noteExt(path string) string {
	ext := strings.ToLower(filepath.Ext(path))
	switch ext {
	case ".md", ".markdown", ".rst", ".adoc", ".html", ".htm":
		return ext
	case ".txt":
		base := strings.ToLower(filepath.Base(path))
		for _, p := range []string{"readme", "notes", "license", "sources"} {
			if strings.HasPrefix(base, p) {
				return ext
			}
		}
	}
	return ""
}

// holdsJSON reports whether text holds a brace or a line that opens an
// array: records pasted after a title line, numbered, in a list, or cut
// short, which deserve a warning, not the quiet of a note. A note beside
// the logs (the example's README) has neither.
func holdsJSON(text []byte) bool {
	if bytes.IndexByte(text, '{') >= 0 {
		return true
	}
	for line := range bytes.Lines(text) {
		l := bytes.TrimLeft(line, " \t")
		if len(l) > 0 && l[0] == '[' {
			if rest := bytes.TrimSpace(l[1:]); len(rest) == 0 || rest[0] == '[' {
				return true
			}
		}
	}
	return false
}

func (f *fileState) skip(reason string) {
	if !f.rep.Skipped {
		f.rep.Skipped, f.rep.Reason = true, reason
	}
}

// jsonRecord decodes the record in text[start:end] and normalises it.
func (f *fileState) jsonRecord(start, end int) {
	f.ordinal++
	if end-start > recordLimit {
		f.fail(start, f.ordinal, tooLarge(end-start))
		return
	}
	data := f.text[start:end]
	var m map[string]any
	err := jsonx.Unmarshal(data, &m)
	if err != nil {
		if fixed, n := escapeControls(data); n > 0 && jsonx.Unmarshal(fixed, &m) == nil {
			err = nil
			f.warn(fmt.Sprintf("raw control characters in strings, escaped (%s)", f.name))
		}
	}
	if err != nil || m == nil {
		off, msg := start, "not a JSON object"
		if err != nil {
			msg = err.Error()
		}
		if e := locate(data); e != nil {
			off, msg = start+e.off, e.msg
		}
		f.fail(off, f.ordinal, "record is not valid JSON: "+msg)
		return
	}
	f.handle(m, start, f.ordinal, nil)
}

// escapeControls rewrites raw control characters inside JSON strings as
// \u escapes, which JSON allows, and says how many it rewrote. Exports carry
// them when a client sent them (a user agent is attacker-controlled), and
// rejecting such a record would let an attacker hide it.
func escapeControls(data []byte) ([]byte, int) {
	var out []byte
	n, inString, escaped := 0, false, false
	for i, c := range data {
		switch {
		case escaped:
			escaped = false
		case inString && c == '\\':
			escaped = true
		case c == '"':
			inString = !inString
		case inString && c < 0x20:
			if out == nil {
				out = append(make([]byte, 0, len(data)+16), data[:i]...)
			}
			out = fmt.Appendf(out, "\\u%04x", c)
			n++
			continue
		}
		if out != nil {
			out = append(out, c)
		}
	}
	return out, n
}

// notObject rejects an array element that is not an object.
func (f *fileState) notObject(off int, first byte) {
	f.ordinal++
	what := "a number or literal"
	switch first {
	case '"':
		what = "a string"
	case '[':
		what = "an array"
	}
	f.fail(off, f.ordinal, "record is "+what+", not an object")
}

// fail records an error at byte offset off. A non-zero record is counted
// as rejected.
func (f *fileState) fail(off, record int, msg string) {
	f.failField(off, record, "", msg)
}

func (f *fileState) failField(off, record int, field, msg string) {
	line, col := f.lines.pos(off)
	f.problems = append(f.problems, &Error{File: f.name, Line: line, Column: col,
		Record: record, Field: field, Msg: msg})
	if record > 0 {
		f.rep.Rejected++
	}
}

// warn counts one recoverable oddity under key.
func (f *fileState) warn(key string) {
	if f.set.Warnings == nil {
		f.set.Warnings = map[string]int{}
	}
	f.set.Warnings[key]++
}

// kept counts one record of kind k as read.
func (f *fileState) kept(k Kind) {
	if f.rep.Counts == nil {
		f.rep.Counts = map[Kind]int{}
	}
	f.rep.Counts[k]++
	f.rep.Records++
}
