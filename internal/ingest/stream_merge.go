package ingest

import (
	"bytes"
	"cmp"
	"errors"
	"fmt"
	"io"
	"os"
	"slices"
	"time"
)

// StreamByTime is Stream for files that each run oldest first but overlap
// one another in time, as exports do that keep one file or folder per log
// (a storage account's insights-logs-signinlogs beside
// insights-logs-noninteractiveusersigninlogs and insights-logs-auditlogs,
// each cut by hour). It orders the files by the time of their first
// record, reads the ones whose time has come at once, each through its own
// Stream, and hands the records over oldest first across them. Memory
// grows with the files open together, which for files cut by hour or day
// is two or three.
//
// The order holds only across files that are themselves in order; a file
// that is not (a Graph pull, newest first) gives its records in its own
// order, and the caller's check of the times says so. Files whose first
// records are already in path order are read one after another, as Stream
// reads them, so two such files that overlap in time come out of order
// too. At most maxMergeLanes files are read together: past that, a file
// waits for one to end, and its records may come late.
//
// Records with no time (profiles, IP intelligence, risky users) come as
// their file is reached. Risk detections are merged by their activity
// time: an export written in detection order holds offline detections up
// to 48 hours behind, which the caller's check of the times sees. The Summary is the files' summaries together,
// in path order.
func StreamByTime(paths []string, opts Options, fn func(Record) error) (*Summary, error) {
	files, err := collect(paths)
	if err != nil {
		return nil, err
	}
	m := &merger{opts: opts, fn: fn, quit: make(chan struct{}),
		free: make(chan []byte, 2*freeBlocks())}
	for i, f := range files {
		// A file that cannot be read sorts first; its own stream then
		// reports it as Stream does.
		first, _ := firstTime(f)
		m.sources = append(m.sources, mergeSource{path: f, first: first, last: lastTime(f),
			ord: i})
	}
	slices.SortStableFunc(m.sources, func(a, b mergeSource) int {
		return a.first.Compare(b.first)
	})
	if inPathOrder(m.sources, len(files)) {
		// Files that start in path order (a file a day in one folder) are
		// read one after another by one Stream, which keeps both cores
		// busy with less handing over than the lanes.
		return newStreamer(opts, fn).run(files)
	}
	err = m.run()
	m.stop()
	if err != nil {
		return nil, err
	}
	m.finish()
	return m.sum, nil
}

// inPathOrder reports whether the files that have a first time follow one
// another in path order: each starts no earlier than the one before it
// started and, where that one's last record's time is known, ended. So
// two logs that each span the whole period (signins.ndjson beside
// audits.ndjson) are merged, not read one after the other. Files with no
// time (profiles, IP intelligence, a file not recognised) do not count:
// their records have no time to be out of order.
func inPathOrder(srcs []mergeSource, n int) bool {
	byPath := make([]mergeSource, n)
	for _, s := range srcs {
		byPath[s.ord] = s
	}
	var first, last time.Time
	for _, s := range byPath {
		if s.first.IsZero() {
			continue
		}
		if s.first.Before(first) || s.first.Before(last) {
			return false
		}
		first, last = s.first, s.last
	}
	return true
}

// maxMergeLanes bounds the files StreamByTime reads together, and so its
// memory: each takes a few blocks.
const maxMergeLanes = 8

// mergeBatch is how many records a lane hands over at a time.
const mergeBatch = 64

// mergeSource is one file to merge: the times of its first and last
// records (zero where unknown) and its place in path order.
type mergeSource struct {
	path        string
	first, last time.Time
	ord         int
}

type merger struct {
	opts    Options
	fn      func(Record) error
	sources []mergeSource
	next    int // the first source not opened yet
	active  []*lane
	quit    chan struct{}
	free    chan []byte
	stopped bool
	sums    []laneSummary
	sum     *Summary
}

// lane is one file read by its own Stream, its records coming in chunks.
type lane struct {
	src  mergeSource
	ch   chan chunk
	buf  []Record
	i    int
	sum  *Summary
	err  error
	done bool
	// spares are what the batches of the chunk being handed over left,
	// which go back to the lane's stream (st) once the chunk is done: with
	// Options.Reuse, their sign-ins are the chunk's.
	spares []spare
	st     *streamer
	// free holds handed-over chunks' lists, cleared, for the lane to fill.
	free chan []Record
}

// chunk is up to mergeBatch records of a lane, with the spares of the
// batches whose records it ends (Options.Reuse).
type chunk struct {
	recs   []Record
	spares []spare
}

type laneSummary struct {
	ord int
	sum *Summary
}

var errMergeStopped = errors.New("ingest: merge stopped")

// run delivers the records, oldest head first.
func (m *merger) run() error {
	for {
		if err := m.openDue(); err != nil {
			return err
		}
		if len(m.active) == 0 {
			if m.next >= len(m.sources) {
				return nil
			}
			continue
		}
		k := m.earliest()
		l := m.active[k]
		if err := m.fn(l.buf[l.i]); err != nil {
			return err
		}
		l.i++
		if err := m.fill(l); err != nil {
			return err
		}
		if l.done {
			m.active = slices.Delete(m.active, k, k+1)
		}
	}
}

// openDue opens every source whose first record is no later than the
// earliest record waiting and, while only one lane is open, the next one
// too: it reads ahead while the other is handed over, so that files in
// sequence keep both cores busy across the change of file.
func (m *merger) openDue() error {
	for m.next < len(m.sources) && len(m.active) < maxMergeLanes {
		s := m.sources[m.next]
		if len(m.active) > 1 && s.first.After(m.headTime(m.active[m.earliest()])) {
			return nil
		}
		m.next++
		l := m.open(s)
		if err := m.fill(l); err != nil {
			return err
		}
		if !l.done {
			m.active = append(m.active, l)
		}
	}
	return nil
}

// earliest is the index of the active lane whose head comes first; ties go
// to the file first in path order.
func (m *merger) earliest() int {
	best := 0
	for k := 1; k < len(m.active); k++ {
		a, b := m.active[k], m.active[best]
		if c := m.headTime(a).Compare(m.headTime(b)); c < 0 || c == 0 && a.src.ord < b.src.ord {
			best = k
		}
	}
	return best
}

func (m *merger) headTime(l *lane) time.Time { return l.buf[l.i].Time() }

// open starts a lane's Stream. With Options.Reuse, a batch's sign-ins stay
// out of the stream's reach until the merge has handed over the chunk that
// holds the batch's last record (fill gives them back).
func (m *merger) open(s mergeSource) *lane {
	l := &lane{src: s, ch: make(chan chunk, 4), free: make(chan []Record, 6)}
	var next chunk
	l.st = newStreamer(m.opts, func(r Record) error {
		if next.recs = append(next.recs, r); len(next.recs) == mergeBatch {
			return m.send(l, &next)
		}
		return nil
	})
	// The lanes share one pool of blocks, as one stream's files do, and
	// log their files' lines but not a summary each.
	l.st.free, l.st.lane = m.free, true
	l.st.hold = func(sp spare) { next.spares = append(next.spares, sp) }
	// The batches whose records wait in the lane's chunks (up to six:
	// four queued, one handed over, one filling) come back together, up
	// to one a record when records are as large as blocks.
	l.st.spares = make(chan spare, 6*mergeBatch)
	go func() {
		defer close(l.ch)
		l.sum, l.err = l.st.run([]string{s.path})
		if l.err == nil && len(next.recs) > 0 {
			l.err = m.send(l, &next)
		}
	}()
	return l
}

// send hands a lane's chunk to the merge and starts the next.
func (m *merger) send(l *lane, c *chunk) error {
	select {
	case l.ch <- *c:
		*c = chunk{}
		select {
		case c.recs = <-l.free:
		default:
			c.recs = make([]Record, 0, mergeBatch)
		}
		return nil
	case <-m.quit:
		return errMergeStopped
	}
}

// fill makes sure l has a record at its head, or marks it done and keeps
// its summary.
func (m *merger) fill(l *lane) error {
	for l.i >= len(l.buf) {
		for _, sp := range l.spares {
			l.st.giveBack(sp)
		}
		if l.buf != nil {
			clear(l.buf)
			select {
			case l.free <- l.buf[:0]:
			default:
			}
		}
		c, ok := <-l.ch
		if !ok {
			l.done = true
			if l.err != nil {
				return l.err
			}
			m.sums = append(m.sums, laneSummary{l.src.ord, l.sum})
			return nil
		}
		l.buf, l.i, l.spares = c.recs, 0, c.spares
	}
	return nil
}

// stop ends the lanes still reading and waits for them.
func (m *merger) stop() {
	if !m.stopped {
		close(m.quit)
		m.stopped = true
	}
	for _, l := range m.active {
		for range l.ch {
		}
	}
	m.active = nil
}

// finish puts the summaries together in path order and logs them as
// Stream does.
func (m *merger) finish() {
	slices.SortFunc(m.sums, func(a, b laneSummary) int { return cmp.Compare(a.ord, b.ord) })
	sum := &Summary{Counts: map[Kind]int{}}
	for _, ls := range m.sums {
		s := ls.sum
		sum.Files = append(sum.Files, s.Files...)
		sum.addProblems(s.Problems)
		sum.ProblemsDropped += s.ProblemsDropped
		sum.addWarnings(s.Warnings)
		for k, n := range s.Counts {
			sum.Counts[k] += n
		}
		sum.Bytes += s.Bytes
		sum.Fast += s.Fast
		sum.General += s.General
	}
	sum.addUnread(m.opts.Unread)
	m.sum = sum
	(&streamer{opts: m.opts, sum: sum}).logSummary()
}

// Time is when the record happened: a sign-in's or an audit's time, and a
// risk detection's activity time (entra.RiskDetection.Time), the time of
// the sign-in it concerns. Other records have none here (zero), and sort
// first.
func (r Record) Time() time.Time {
	switch {
	case r.SignIn != nil:
		return r.SignIn.Time
	case r.Audit != nil:
		return r.Audit.Time
	case r.Risk != nil:
		return r.Risk.Time()
	}
	return time.Time{}
}

// firstTime is the time of a file's first record, read from its first 64
// KiB; zero when that record has none or none is recognised there.
func firstTime(path string) (time.Time, error) {
	r, err := firstRecord(path)
	if err != nil {
		return time.Time{}, err
	}
	return r.Time(), nil
}

// lastTime is the time of a file's last record when the file holds a
// record a line: the last line in its last 64 KiB, decoded. It is zero
// when that line is not a whole record with a time (a JSON array or page,
// CSV, a line longer than that, a file that cannot be read).
func lastTime(path string) time.Time {
	f, err := os.Open(path)
	if err != nil {
		return time.Time{}
	}
	defer f.Close()
	info, err := f.Stat()
	if err != nil {
		return time.Time{}
	}
	from := max(info.Size()-peekSize, 0)
	tail := make([]byte, info.Size()-from)
	if _, err := f.ReadAt(tail, from); err != nil && err != io.EOF {
		return time.Time{}
	}

	tail = bytes.TrimRight(tail, " \t\r\n")
	nl := bytes.LastIndexByte(tail, '\n')
	if nl < 0 && from > 0 {
		return time.Time{}
	}
	set := &Set{}
	Decode(path, tail[nl+1:], set)
	if recs := setRecords(set); len(recs) == 1 && len(set.Problems) == 0 {
		return recs[0].Time()
	}
	return time.Time{}
}

// firstRecord decodes the first records of a file from its first 64 KiB
// and returns the first; its Kind is KindUnknown when none is there.
func firstRecord(path string) (Record, error) {
	f, err := os.Open(path)
	if err != nil {
		return Record{}, fmt.Errorf("read %s: %w", path, err)
	}
	defer f.Close()
	head := make([]byte, peekSize)
	n, err := io.ReadFull(f, head)
	if err != nil && err != io.EOF && err != io.ErrUnexpectedEOF {
		return Record{}, fmt.Errorf("read %s: %w", path, err)
	}
	// Most exports hold a record a line: the first line alone is enough,
	// and much cheaper than the general decoder over 64 KiB.
	if nl := bytes.IndexByte(head[:n], '\n'); nl > 0 {
		set := &Set{}
		Decode(path, head[:nl], set)
		if recs := setRecords(set); len(recs) > 0 && len(set.Problems) == 0 {
			return recs[0], nil
		}
	}
	set := &Set{}
	Decode(path, head[:n], set)
	if recs := setRecords(set); len(recs) > 0 {
		return recs[0], nil
	}
	return Record{}, nil
}
