package ingest

import (
	"bytes"
	"fmt"

	"github.com/idtriage/idtriage/internal/jsonx"
)

// jsonDoc walks the top level of one JSON text. A file may hold any number
// of top-level values one after another: a bare array, a Graph page
// ({"value": [...]}), an Event Hub blob ({"records": [...]}), or single
// records (NDJSON, or pretty-printed objects back to back). One loop covers
// all of them.
type jsonDoc struct {
	f    *fileState
	b    []byte
	tops []string // what each top-level value was, for the shape
	// rescanned counts the bytes read again while recovering from damaged
	// values. Each recovery may read to the end of the file, so it is
	// capped to keep the work linear in the file's size.
	rescanned int
	// lineMode is set once a top-level record was read within one line:
	// the file is NDJSON, and each top-level object is looked for within
	// its own line, so that a cut line costs only itself. end is where the
	// current value must end (the end of its line, or of the file).
	lineMode bool
	end      int
	// failures counts values that could not be delimited and damaged page
	// wrappers: Stream uses it to tell a stretch whose damage reaches past
	// its own lines.
	failures int
	// long maps offsets of '{' to the sizes of the lines over MaxRecord
	// they stand for, in a stretch Stream rebuilt without them.
	long map[int]int
}

// rescanBudget is how many bytes recovery may read again: a few times the
// file, plenty for real damage, and a bound for hostile input.
func (d *jsonDoc) rescanBudget() int { return 4*len(d.b) + 1<<20 }

func (d *jsonDoc) run() {
	b := d.b
	for i := space(b, 0); i < len(b); i = space(b, i) {
		d.end = len(b)
		if d.lineMode && b[i] == '{' {
			if j := bytes.IndexByte(b[i:], '\n'); j >= 0 {
				d.end = i + j
			}
			if d.longLine(i) {
				i = d.end
				continue
			}
		}
		switch b[i] {
		case '[':
			d.tops = append(d.tops, "array")
			next, fl := d.elements(i)
			if fl != nil {
				next = d.fail(fl)
			}
			i = next
		case '{':
			i = d.object(i)
		case ',':
			// Objects separated by commas with the brackets stripped.
			d.f.warn("container: comma between top-level values")
			i++
		default:
			msg := fmt.Sprintf("unexpected %s at the top level", quoteChar(b[i]))
			i = d.fail(&failure{i, &syntaxError{i, msg}, true})
		}
	}
}

// longLine rejects, in line mode, the record at i when it opens its line
// and the line, without its line break, is longer than MaxRecord. Stream
// passes over such a line without holding it, so the line, not the
// record's brackets, is what is measured.
func (d *jsonDoc) longLine(i int) bool {
	b := d.b
	ls := bytes.LastIndexByte(b[:i], '\n') + 1
	size, standIn := d.long[i]
	if !standIn {
		size = d.end - ls
	}
	if size <= recordLimit || space(b, ls) != i {
		return false
	}
	d.tops = append(d.tops, "object")
	d.f.ordinal++
	d.f.fail(i, d.f.ordinal, tooLarge(size))
	return true
}

// shape names the container from the top-level values seen.
func (d *jsonDoc) shape() string {
	var t topValues
	for _, v := range d.tops {
		t.add(v)
	}
	return t.shape()
}

// topValues is what a container's shape needs of its top-level values: how
// many, the first, and whether any was not an object. The stream keeps it
// for a whole file in place of the list, which grows with the records.
type topValues struct {
	n     int
	first string
	other bool
}

func (t *topValues) add(v string) {
	if t.n == 0 {
		t.first = v
	}
	t.n++
	t.other = t.other || v != "object"
}

// shape names the container: "json" when nothing was seen, the value's
// kind for one value, "ndjson" for objects only, else "concatenated".
func (t *topValues) shape() string {
	switch {
	case t.n == 0:
		return "json"
	case t.n == 1:
		return t.first
	case t.other:
		return "concatenated"
	}
	return "ndjson"
}

// object reads a top-level object. When one of its members is a "value" or
// "records" array it is a page or an Event Hub blob and the array's
// elements are the records; otherwise the object is one record.
func (d *jsonDoc) object(start int) int {
	b := d.b[:d.end]
	wrapper, own := "", false
	i := space(b, start+1)
	if i < len(b) && b[i] == '}' {
		d.tops = append(d.tops, "object")
		d.f.jsonRecord(start, i+1)
		return i + 1
	}
	for i < len(b) && b[i] == '"' {
		kEnd, err := skipString(b, i)
		if err != nil {
			break
		}
		key := b[i+1 : kEnd-1]
		if i = space(b, kEnd); i >= len(b) || b[i] != ':' {
			break
		}
		i = space(b, i+1)
		if wrapper == "" && i < len(b) && b[i] == '[' && isRecordsKey(key) &&
			!listMember(b, i, own) {
			wrapper = "graph-page"
			if bytes.EqualFold(key, []byte("records")) {
				wrapper = "eventhub-records"
			}
			d.tops = append(d.tops, wrapper)
			next, fl := d.elements(i)
			if fl != nil {
				return d.fail(fl)
			}
			i = next
		} else {
			own = own || ownKey(key)
			end, err := skipValue(b, i)
			if err != nil {
				break
			}
			if bytes.EqualFold(key, []byte("@odata.nextLink")) {
				d.nextLink(b[i:end])
			}
			i = end
		}
		if i = space(b, i); i < len(b) && b[i] == ',' {
			i = space(b, i+1)
			continue
		}
		if i < len(b) && b[i] == '}' {
			if wrapper == "" {
				d.tops = append(d.tops, "object")
				d.f.jsonRecord(start, i+1)
				d.lineMode = d.lineMode || bytes.IndexByte(b[start:i], '\n') < 0
			}
			return i + 1
		}
		break
	}
	return d.badObject(start, i, wrapper)
}

// badObject handles an object whose members did not parse. A record is cut
// out by its brackets and handed to the decoder, which rejects it with the
// exact position; a page wrapper is reported as a damaged container.
func (d *jsonDoc) badObject(start, at int, wrapper string) int {
	b := d.b[:d.end]
	end, err := skipValue(b, start)
	if wrapper != "" {
		d.failures++
		e := checkJSON(b[start:min(end, len(b))])
		if e == nil || start+e.off < at {
			e = &syntaxError{at - start, "malformed page wrapper"}
		}
		d.f.fail(start+e.off, 0, "page wrapper: "+e.msg)
		if err != nil {
			return resync(d.b, at)
		}
		return end
	}
	if err != nil {
		return d.fail(&failure{start, err, true})
	}
	d.tops = append(d.tops, "object")
	d.f.jsonRecord(start, end)
	return end
}

// failure is a value that could not be delimited.
type failure struct {
	start int // where the value began
	err   *syntaxError
	// lost is set when the value was a record (now rejected), unset when
	// the container's own punctuation was wrong.
	lost bool
}

// elements reads the array at i one element at a time. It returns the
// offset past the closing bracket, or the failure that stopped it.
func (d *jsonDoc) elements(i int) (int, *failure) {
	b := d.b[:d.end]
	if i = space(b, i+1); i < len(b) && b[i] == ']' {
		return i + 1, nil
	}
	for {
		if i >= len(b) {
			return i, unclosedArray(i)
		}
		end, err := skipValue(b, i)
		if err != nil {
			return i, &failure{i, err, true}
		}
		if b[i] == '{' {
			d.f.jsonRecord(i, end)
		} else {
			d.f.notObject(i, b[i])
		}
		if i = space(b, end); i >= len(b) {
			return i, unclosedArray(i)
		}
		switch b[i] {
		case ']':
			return i + 1, nil
		case ',':
			if j := space(b, i+1); j < len(b) && b[j] == ']' {
				d.f.warn("container: trailing comma in an array of records")
				return j + 1, nil
			}
			i = space(b, i+1)
		default:
			return i, &failure{i, expected(b, i, "',' or ']' after a record"), false}
		}
	}
}

func unclosedArray(i int) *failure {
	return &failure{i, &syntaxError{i, "unexpected end of input: the array is not closed"}, false}
}

// fail reports a value that could not be delimited and returns where
// reading resumes: the next line that starts with '{' or '['. For a lost
// record the position is that of the first fault inside it.
func (d *jsonDoc) fail(fl *failure) int {
	d.failures++
	next := resync(d.b, fl.start)
	d.rescanned += max(fl.err.off, next) - fl.start
	if d.rescanned > d.rescanBudget() {
		next = len(d.b)
	}
	off, msg := fl.err.off, fl.err.msg
	if fl.lost {
		if e := locate(d.b[fl.start:next]); e != nil {
			off, msg = fl.start+e.off, e.msg
		}
	}
	switch {
	case next < len(d.b):
		line, _ := d.f.lines.pos(next)
		msg += fmt.Sprintf("; reading resumes at line %d", line)
	case d.rescanned > d.rescanBudget():
		msg += "; too much of the file is damaged, the rest is not read"
	case space(d.b, off+1) < len(d.b):
		msg += "; the rest of the file is not read"
	}
	record := 0
	if fl.lost {
		d.f.ordinal++
		record = d.f.ordinal
	}
	d.f.fail(off, record, msg)
	return next
}

// locate finds the first fault in b. A value cut short is reported just
// after its last non-blank byte rather than at the start of the next line.
func locate(b []byte) *syntaxError {
	e := checkJSON(b)
	if e == nil {
		return nil
	}
	if end := len(bytes.TrimRight(b, " \t\r\n")); e.off > end {
		e.off = end
	}
	return e
}

// nextLink keeps a saved page's @odata.nextLink: the export stopped early.
func (d *jsonDoc) nextLink(raw []byte) {
	var s string
	if err := jsonx.Unmarshal(raw, &s); err == nil {
		d.f.rep.NextLink = s
	}
}

// listMember reports whether the "value" or "records" array at b[i] is a
// record's own list rather than a page's or a blob's records: it starts
// with a string, and the object had members of its own before it (other
// than a page's @odata ones). The record ids of an alert idtriage hunt
// wrote are such a list; a blob whose first record is damaged is still a
// blob, its good records read and the bad one rejected.
func listMember(b []byte, i int, own bool) bool {
	j := space(b, i+1)
	return own && j < len(b) && b[j] == '"'
}

// ownKey reports whether a member with this key makes an object a record
// of its own rather than a page's or a blob's wrapper.
func ownKey(key []byte) bool {
	return !isRecordsKey(key) && !bytes.HasPrefix(key, []byte("@odata"))
}

func isRecordsKey(key []byte) bool {
	return bytes.EqualFold(key, []byte("value")) || bytes.EqualFold(key, []byte("records"))
}
