package ingest

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"os"

	"github.com/idtriage/idtriage/internal/jsonx"
)

// read runs in its own goroutine: it reads the files one after another
// and sends their batches, then closes the channels.
func (s *streamer) read(files []string) {
	defer close(s.jobs)
	defer close(s.order)
	for _, p := range files {
		if !s.readFile(p) {
			return
		}
	}
}

// readFile splits one file into batches; false when the stream stopped.
func (s *streamer) readFile(path string) bool {
	run := &fileRun{path: path}
	f, err := os.Open(path)
	if err != nil {
		s.send(&batch{file: run, err: fmt.Errorf("read %s: %w", path, err), last: true})
		return false
	}
	defer f.Close()
	info, err := f.Stat()
	if err != nil {
		s.send(&batch{file: run, err: fmt.Errorf("read %s: %w", path, err), last: true})
		return false
	}
	run.size = info.Size()
	sp := &splitter{s: s, src: f, run: run}
	if err := sp.split(); err != nil {
		if errors.Is(err, errStopped) {
			return false
		}
		s.send(&batch{file: run, err: fmt.Errorf("read %s: %w", path, err), last: true})
		return false
	}
	return true
}

var errStopped = errors.New("ingest: stream stopped")

// Where the splitter is in the file's JSON, mirroring jsonDoc: at the top
// level, inside a top-level object (a record or a page wrapper), inside an
// array of records, or past the first single-line record, in line mode.
const (
	stTop = iota
	stObject
	stMember
	stAfterMember
	stArray
	stElement
	stAfterElement
	stLines
)

// step outcomes.
const (
	stepOK = iota
	stepMore
	stepDamage
	stepDone
)

// splitter cuts one file into batches of records or lines. It reads the
// file a block at a time; a value cut by the end of a block is moved to the
// start of the next, so that every item lies whole in one block.
type splitter struct {
	s   *streamer
	src io.Reader
	run *fileRun
	buf []byte
	eof bool
	b   *batch

	// The line count is kept up to cur: line is the 1-based number of the
	// line at cur, which starts at lineStart (negative once that start
	// has moved out of the block).
	cur, line, lineStart int

	state    int
	pos      int
	objStart int
	wrapper  string
	// own is set once the top-level object has a member of its own, not a
	// page's or a blob's (listMember).
	own       bool
	inWrapper bool
	// long is the NDJSON line being passed over, longer than MaxRecord:
	// its bytes are dropped as they are read, and it is emitted, with its
	// size, at its line break.
	long *item
}

// split reads the file and sends its batches.
func (p *splitter) split() error {
	// The first block holds the whole of a small file, and at least what
	// the general decoder sniffs the encoding from (a named pipe has no
	// size).
	p.buf = make([]byte, 0, max(min(int64(blockSize), max(p.run.size, 0)+512), 2*sniffWindow))
	if err := p.fill(); err != nil {
		return err
	}
	if !p.sniff() {
		return p.send(&batch{file: p.run, whole: true, last: true})
	}
	p.line, p.state = 1, stTop
	p.b = p.s.newBatch(p.run, p.buf)
	for {
		switch p.step() {
		case stepOK:
		case stepMore:
			if err := p.next(); err != nil {
				return err
			}
		case stepDamage:
			// The general decoder reads the whole file again; the consumer
			// keeps only what follows the records already handed over.
			if err := p.send(p.b); err != nil {
				return err
			}
			return p.send(&batch{file: p.run, whole: true, last: true})
		case stepDone:
			p.b.last = true
			return p.send(p.b)
		}
	}
}

func (p *splitter) send(b *batch) error {
	if !p.s.send(b) {
		return errStopped
	}
	return nil
}

// fill reads until the block is full or the file ends.
func (p *splitter) fill() error {
	n, err := io.ReadFull(p.src, p.buf[len(p.buf):cap(p.buf)])
	p.buf = p.buf[:len(p.buf)+n]
	switch {
	case errors.Is(err, io.EOF), errors.Is(err, io.ErrUnexpectedEOF):
		p.eof = true
	case err != nil:
		return err
	case len(p.buf) < cap(p.buf):
		p.eof = true
	}
	return nil
}

// sniff decides from the first block whether the file is UTF-8 JSON the
// splitter can read; anything else (CSV, UTF-16, binary, empty) goes to the
// general decoder whole. It drops a UTF-8 byte-order mark.
func (p *splitter) sniff() bool {
	d := p.buf
	switch {
	case len(d) >= 2 && (d[0] == 0xFF && d[1] == 0xFE || d[0] == 0xFE && d[1] == 0xFF),
		len(d) >= 4 && (d[0] == 0 || d[1] == 0 || d[2] == 0 || d[3] == 0):
		return false
	case bytes.HasPrefix(d, []byte{0xEF, 0xBB, 0xBF}):
		p.run.enc, d = encUTF8BOM, d[3:]
	}
	if _, _, err := checkText(d, p.run.enc); err != nil {
		return false
	}
	i := space(d, 0)
	if i == len(d) || d[i] != '{' && d[i] != '[' {
		return false
	}
	p.run.textLen = int(p.run.size) - (len(p.buf) - len(d)) // less the mark
	p.buf = d
	return true
}

// next moves what is still needed to a new block, sends the batch of the
// old one, and reads on.
func (p *splitter) next() error {
	if p.state == stLines && p.long == nil {
		p.passOver()
	}
	keep := p.keep()
	p.lineCol(keep) // count the line breaks of what is dropped
	old := p.buf
	nb := p.s.block(max(blockSize, 2*(len(old)-keep)))[:len(old)-keep]
	copy(nb, old[keep:])
	if len(p.b.items) > 0 || len(p.b.tops) > 0 || len(p.b.warnings) > 0 || p.b.nextLink != "" {
		if err := p.send(p.b); err != nil {
			return err
		}
	}
	p.buf = nb
	p.pos -= keep
	p.objStart -= keep
	p.cur -= keep
	p.lineStart -= keep
	p.b = p.s.newBatch(p.run, p.buf)
	if err := p.fill(); err != nil {
		return err
	}
	p.b.data = p.buf
	return nil
}

// keep is the first byte the current step still needs: a record object is
// kept whole until it closes.
func (p *splitter) keep() int {
	if (p.state == stObject || p.state == stMember || p.state == stAfterMember) && p.wrapper == "" {
		return p.objStart
	}
	return p.pos
}

// passOver starts passing over the line at pos, which runs past the block,
// when it is longer than MaxRecord and opens (after blanks) with '{', as a
// record line does. Any other line is kept whole: the general decoder's
// recovery may read past it, and the stream must read it as that does.
func (p *splitter) passOver() {
	held := len(p.buf) - p.pos
	first := space(p.buf, p.pos)
	if held <= recordLimit || first == len(p.buf) || p.buf[first] != '{' {
		return
	}
	line, col0 := p.lineCol(first)
	p.long = &item{line: line, col0: col0, kind: itemTooLarge, size: held}
	p.pos, p.cur = len(p.buf), len(p.buf)
}

// endLong looks for the end of the line being passed over, and emits it
// there; false when the block ends first.
func (p *splitter) endLong() bool {
	j := bytes.IndexByte(p.buf[p.pos:], '\n')
	if j < 0 && !p.eof {
		p.long.size += len(p.buf) - p.pos
		p.pos, p.cur = len(p.buf), len(p.buf)
		return false
	}
	end := len(p.buf)
	if j >= 0 {
		end = p.pos + j
		p.long.nl = true
		p.line++
	}
	p.long.size += end - p.pos
	p.b.items = append(p.b.items, *p.long)
	p.long = nil
	p.pos, p.cur, p.lineStart = min(end+1, len(p.buf)), min(end+1, len(p.buf)), end+1
	return true
}

// lineCol returns the line and the column (0-based) of offset i, counting
// line breaks from where the count stopped.
func (p *splitter) lineCol(i int) (line, col0 int) {
	seg := p.buf[p.cur:i]
	if k := bytes.Count(seg, []byte{'\n'}); k > 0 {
		p.line += k
		p.lineStart = p.cur + bytes.LastIndexByte(seg, '\n') + 1
	}
	p.cur = i
	return p.line, i - p.lineStart
}

// emit adds an item for buf[start:end].
func (p *splitter) emit(kind itemKind, start, end int) {
	line, col0 := p.lineCol(start)
	p.b.items = append(p.b.items, item{start: start, end: end, line: line, col0: col0, kind: kind})
}

func (p *splitter) warn(key string) {
	if p.b.warnings == nil {
		p.b.warnings = map[string]int{}
	}
	p.b.warnings[key]++
}

// more is the outcome when a step ran off the end of the block: more data
// if the file goes on, damage (a value cut by the end of the file) if not.
func (p *splitter) more() int {
	if p.eof {
		return stepDamage
	}
	return stepMore
}

// cut reports whether a value found to end at end may go on past the
// block: one byte after it must be in the block, unless the file ended.
func (p *splitter) cut(end int) bool { return end >= len(p.buf) && !p.eof }

func (p *splitter) step() int {
	switch p.state {
	case stTop:
		return p.top()
	case stObject:
		return p.object()
	case stMember:
		return p.member()
	case stAfterMember:
		return p.afterMember()
	case stArray:
		return p.array()
	case stElement:
		return p.element()
	case stAfterElement:
		return p.afterElement()
	}
	return p.lines()
}

// top reads the next top-level value, as jsonDoc.run does before line mode.
func (p *splitter) top() int {
	b := p.buf
	i := space(b, p.pos)
	if i == len(b) {
		if p.eof {
			return stepDone
		}
		return stepMore
	}
	switch b[i] {
	case '[':
		p.b.tops = append(p.b.tops, "array")
		p.pos, p.inWrapper, p.state = i, false, stArray
	case '{':
		p.pos, p.objStart, p.wrapper, p.own, p.state = i, i, "", false, stObject
	case ',':
		p.warn("container: comma between top-level values")
		p.pos = i + 1
	default:
		return stepDamage
	}
	return stepOK
}

// object starts a top-level object: an empty one is a record.
func (p *splitter) object() int {
	b := p.buf
	i := space(b, p.objStart+1)
	if i == len(b) {
		return p.more()
	}
	if b[i] == '}' {
		p.b.tops = append(p.b.tops, "object")
		p.emit(itemRecord, p.objStart, i+1)
		p.pos, p.state = i+1, stTop
		return stepOK
	}
	p.pos, p.state = i, stMember
	return stepOK
}

// member reads one member of a top-level object. A "value" or "records"
// array makes the object a page or an Event Hub wrapper, whose elements
// are the records.
func (p *splitter) member() int {
	b := p.buf
	i := p.pos
	if i == len(b) {
		return p.more()
	}
	if b[i] != '"' {
		return stepDamage
	}
	kEnd, err := skipString(b, i)
	if p.cut(kEnd) {
		return stepMore
	}
	if err != nil {
		return stepDamage
	}
	key := b[i+1 : kEnd-1]
	if i = space(b, kEnd); i == len(b) {
		return p.more()
	}
	if b[i] != ':' {
		return stepDamage
	}
	if i = space(b, i+1); i == len(b) {
		return p.more()
	}
	if p.wrapper == "" && b[i] == '[' && isRecordsKey(key) {
		if j := space(b, i+1); j == len(b) {
			return p.more()
		}
	}
	if p.wrapper == "" && b[i] == '[' && isRecordsKey(key) && !listMember(b, i, p.own) {
		p.wrapper = "graph-page"
		if bytes.EqualFold(key, []byte("records")) {
			p.wrapper = "eventhub-records"
		}
		p.b.tops = append(p.b.tops, p.wrapper)
		p.pos, p.inWrapper, p.state = i, true, stArray
		return stepOK
	}
	end, serr := skipValue(b, i)
	if p.cut(end) {
		return stepMore
	}
	if serr != nil {
		return stepDamage
	}
	p.own = p.own || ownKey(key)
	if bytes.EqualFold(key, []byte("@odata.nextLink")) {
		var s string
		if jsonx.Unmarshal(b[i:end], &s) == nil {
			p.b.nextLink = s
		}
	}
	p.pos, p.state = end, stAfterMember
	return stepOK
}

// afterMember reads what follows a member: another member, or the end of
// the object. A record on a single line puts the file in line mode.
func (p *splitter) afterMember() int {
	b := p.buf
	i := space(b, p.pos)
	if i == len(b) {
		return p.more()
	}
	switch b[i] {
	case ',':
		p.pos, p.state = space(b, i+1), stMember
		return stepOK
	case '}':
	default:
		return stepDamage
	}
	p.pos, p.state = i+1, stTop
	if p.wrapper != "" {
		return stepOK
	}
	p.b.tops = append(p.b.tops, "object")
	p.emit(itemRecord, p.objStart, i+1)
	if bytes.IndexByte(b[p.objStart:i], '\n') < 0 {
		p.state = stLines
	}
	return stepOK
}

// array opens an array of records.
func (p *splitter) array() int {
	b := p.buf
	i := space(b, p.pos+1)
	if i == len(b) {
		return p.more()
	}
	if b[i] == ']' {
		p.pos = i + 1
		p.afterArray()
		return stepOK
	}
	p.pos, p.state = i, stElement
	return stepOK
}

func (p *splitter) afterArray() {
	p.state = stTop
	if p.inWrapper {
		p.state = stAfterMember
	}
}

// element cuts out one element of an array.
func (p *splitter) element() int {
	b := p.buf
	i := p.pos
	if i == len(b) {
		return p.more()
	}
	end, err := skipValue(b, i)
	if p.cut(end) {
		return stepMore
	}
	if err != nil {
		return stepDamage
	}
	if b[i] == '{' {
		p.emit(itemRecord, i, end)
	} else {
		// The general decoder names the element by its first byte, even
		// when it is empty (a second comma).
		p.emit(itemNotObject, i, i+1)
	}
	p.pos, p.state = end, stAfterElement
	return stepOK
}

// afterElement reads the comma or bracket after an element.
func (p *splitter) afterElement() int {
	b := p.buf
	i := space(b, p.pos)
	if i == len(b) {
		return p.more()
	}
	switch b[i] {
	case ']':
		p.pos = i + 1
		p.afterArray()
		return stepOK
	case ',':
	default:
		return stepDamage
	}
	j := space(b, i+1)
	if j == len(b) {
		return p.more()
	}
	if b[j] == ']' {
		p.warn("container: trailing comma in an array of records")
		p.pos = j + 1
		p.afterArray()
		return stepOK
	}
	p.pos, p.state = j, stElement
	return stepOK
}

// lines cuts the block into lines once the file is known to be NDJSON.
func (p *splitter) lines() int {
	b := p.buf
	if p.long != nil && !p.endLong() {
		return stepMore
	}
	for {
		j := bytes.IndexByte(b[p.pos:], '\n')
		if j < 0 {
			break
		}
		end := p.pos + j
		_, col0 := p.lineCol(p.pos)
		p.b.items = append(p.b.items, item{start: p.pos, end: end, line: p.line,
			col0: col0, nl: true})
		p.pos, p.cur, p.lineStart = end+1, end+1, end+1
		p.line++
	}
	if !p.eof {
		return stepMore
	}
	if p.pos < len(b) {
		_, col0 := p.lineCol(p.pos)
		p.b.items = append(p.b.items, item{start: p.pos, end: len(b), line: p.line, col0: col0})
		p.pos = len(b)
	}
	return stepDone
}
