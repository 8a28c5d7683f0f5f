package ingest

import (
	"runtime"
	"sync"

	"github.com/idtriage/idtriage/internal/entra"
)

// Stream reads the files named in paths, as Read does (folders recursively,
// in sorted order, hidden names skipped), and hands every record to fn in
// file order: within a file, in the order of the file. It reads each file
// in blocks, so memory does not grow with the size of the input, and
// decodes on every core (GOMAXPROCS workers) while fn runs on the calling
// goroutine, one record at a time.
//
// Stream gives the records, problems and warnings Read gives, before
// Read's Set.Finish: split sign-in rows are not merged, duplicates are not
// dropped, and the records keep file order. Sign-ins in the common shapes
// (Graph pages and arrays, NDJSON, Event Hub records) are decoded by a
// fast path that reads only the fields entra.SignIn keeps; everything else,
// and any record the fast path cannot read exactly as the general decoder
// does, goes to the general decoder.
//
// The error is for a path that cannot be read, or the first error fn
// returns, which stops the stream.
func Stream(paths []string, opts Options, fn func(Record) error) (*Summary, error) {
	files, err := collect(paths)
	if err != nil {
		return nil, err
	}
	s := newStreamer(opts, fn)
	return s.run(files)
}

// blockSize is how much of a file one batch covers. A batch is decoded by
// one worker; a few batches per worker are in flight at a time. Small
// blocks are still in the core's cache when a worker decodes them and the
// consumer reads their records: 128 KiB took about 7% less CPU than 1 MiB
// when hunting, and less memory.
var blockSize = 128 << 10

// itemKind says what one item of a batch is.
type itemKind uint8

const (
	itemLine      itemKind = iota // a line of an NDJSON file
	itemRecord                    // an object: an array element or a record at the top
	itemNotObject                 // an array element that is not an object
	itemTooLarge                  // an NDJSON line over MaxRecord, passed over unread
)

// item is one line or record of a batch: data[start:end], which starts at
// line (1-based) and column col0+1 of the file's text.
type item struct {
	start, end int
	line, col0 int
	kind       itemKind
	// nl is set on a line followed by a line break.
	nl bool
	// size is the length of an itemTooLarge line, whose bytes are gone.
	size int
}

// result is what a worker made of one item: a record from the fast path,
// a piece from the general decoder, or nothing (a blank line).
type result struct {
	rec   Record
	piece *piece
	blank bool
	// damaged is set on a line whose damage may reach past it; the
	// consumer decodes it together with the lines after it.
	damaged bool
}

// batch is a block of one file and the items cut out of it, or one of the
// whole-file jobs (whole, fallback), or a read error.
type batch struct {
	file  *fileRun
	data  []byte
	items []item
	last  bool
	// whole asks the worker to decode the whole file with the general
	// decoder: a shape or encoding the stream does not read in blocks, or
	// (fallback) damage the stream cannot delimit.
	whole bool
	err   error
	// Container facts found by the reader: top-level values, warnings,
	// the page's @odata.nextLink.
	tops     []string
	warnings map[string]int
	nextLink string

	results  []result
	wholeSet *Set
	done     chan struct{}
	// signIns holds the fast path's sign-ins when Options.Reuse is set,
	// one place per item.
	signIns []entra.SignIn
}

// spare is what a consumed batch leaves for the next one to fill again: its
// lists of items and results and, with Options.Reuse, its sign-ins.
type spare struct {
	items   []item
	results []result
	signIns []entra.SignIn
}

// fileRun is what the reader knows of the file it reads.
type fileRun struct {
	path string
	size int64
	enc  encoding
	// textLen is the length of the text (the file less its byte-order
	// mark), which sets the recovery budget as the general decoder does.
	textLen int
}

type streamer struct {
	opts    Options
	fn      func(Record) error
	workers int
	jobs    chan *batch
	order   chan *batch
	quit    chan struct{}
	sum     *Summary
	// free holds blocks the consumer is done with, for the reader to
	// fill again: nothing decoded keeps a reference into a block.
	free chan []byte
	// spares holds what consumed batches leave (spare), for the reader's
	// next batches.
	spares chan spare
	// lane marks a stream of one file within StreamByTime, which logs the
	// summary of them all once: the lane logs only its file's lines.
	lane bool
	// hold, when set, takes what consumed batches leave instead of spares:
	// a merge lane's records wait after fn returns, and the merge gives
	// the spares back (giveBack) once it has handed them over.
	hold func(spare)
}

// inFlight is how many batches a stream of w workers holds between its
// reader and its consumer: enough that the consumer's uneven pace (the
// engine's sweeps, a burst of alerts) neither stalls the workers nor
// leaves the consumer waiting. On two cores, 16 took about 10% off a
// hunt's wall time against the 5 it held before, for 2 MiB more of blocks;
// 48 gave no more.
func inFlight(w int) int { return 8 * w }

// freeBlocks is how many consumed blocks a stream keeps for reuse: one per
// batch in flight and a few more.
func freeBlocks() int { return inFlight(max(runtime.GOMAXPROCS(0), 1)) + 4 }

func newStreamer(opts Options, fn func(Record) error) *streamer {
	w := max(runtime.GOMAXPROCS(0), 1)
	return &streamer{opts: opts, fn: fn, workers: w,
		jobs:   make(chan *batch, w),
		order:  make(chan *batch, inFlight(w)),
		quit:   make(chan struct{}),
		free:   make(chan []byte, freeBlocks()),
		spares: make(chan spare, freeBlocks()),
		sum:    &Summary{Counts: map[Kind]int{}}}
}

// run starts the reader and the workers and consumes the batches in order.
func (s *streamer) run(files []string) (*Summary, error) {
	go s.read(files)
	var wg sync.WaitGroup
	for range s.workers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			dec := fastDecoder{lean: s.opts.Lean, fields: s.opts.fields(),
				reuse: s.opts.Reuse, whole: s.opts.Whole}
			for b := range s.jobs {
				b.decode(&dec)
				close(b.done)
			}
		}()
	}
	err := s.consume()
	if err != nil {
		close(s.quit)
		for range s.order {
		}
	}
	wg.Wait()
	if err != nil {
		return nil, err
	}
	if !s.lane {
		s.sum.addUnread(s.opts.Unread)
		s.logSummary()
	}
	return s.sum, nil
}

// block returns an empty block of at least size bytes, reused if one of
// the usual size is free.
func (s *streamer) block(size int) []byte {
	if size == blockSize {
		select {
		case b := <-s.free:
			if cap(b) == size {
				return b[:0]
			}
		default:
		}
	}
	return make([]byte, 0, size)
}

// release hands a consumed block back for reuse.
func (s *streamer) release(b []byte) {
	if cap(b) != blockSize {
		return
	}
	select {
	case s.free <- b:
	default:
	}
}

// newBatch returns a batch of run over data, with the lists of a consumed
// batch if one is spare.
func (s *streamer) newBatch(run *fileRun, data []byte) *batch {
	b := &batch{file: run, data: data}
	select {
	case sp := <-s.spares:
		b.items, b.results, b.signIns = sp.items, sp.results, sp.signIns
	default:
	}
	return b
}

// recycle keeps a consumed batch's lists for a new batch. The results are
// cleared so that they hold no record or piece while they wait; the
// sign-ins are filled whole before they are given again.
func (s *streamer) recycle(b *batch) {
	clear(b.results)
	sp := spare{items: b.items[:0], results: b.results[:0], signIns: b.signIns}
	if s.hold != nil {
		s.hold(sp)
		return
	}
	s.giveBack(sp)
}

// giveBack keeps sp for a new batch, unless enough are kept.
func (s *streamer) giveBack(sp spare) {
	select {
	case s.spares <- sp:
	default:
	}
}

// send queues b for a worker and for the consumer; false when stopped.
func (s *streamer) send(b *batch) bool {
	b.done = make(chan struct{})
	select {
	case s.order <- b:
	case <-s.quit:
		return false
	}
	select {
	case s.jobs <- b:
		return true
	case <-s.quit:
		close(b.done)
		return false
	}
}

// decode runs in a worker.
func (b *batch) decode(dec *fastDecoder) {
	switch {
	case b.err != nil:
	case b.whole:
		b.wholeSet, b.err = decodeWhole(b.file.path)
	default:
		b.results = grow(b.results, len(b.items))
		if dec.reuse {
			b.signIns = grow(b.signIns, len(b.items))
		}
		for i := range b.items {
			b.results[i] = b.decodeItem(dec, i)
		}
	}
}

// grow returns list with length n, reusing its room when it is enough.
func grow[T any](list []T, n int) []T {
	if cap(list) < n {
		return make([]T, n)
	}
	return list[:n]
}

// decodeItem decodes item i of the batch; with Options.Reuse, a sign-in
// the fast path reads goes into the batch's place for it.
func (b *batch) decodeItem(dec *fastDecoder, i int) result {
	it := &b.items[i]
	var into *entra.SignIn
	if dec.reuse {
		into = &b.signIns[i]
	}
	name := b.file.path
	text := b.data[it.start:it.end]
	// A record over MaxRecord goes to the general decoder, which rejects it
	// unread.
	fast := len(text) <= recordLimit
	switch it.kind {
	case itemTooLarge:
		return result{piece: tooLargePiece(name, it.line, it.col0, it.size)}
	case itemNotObject:
		return result{piece: notObjectPiece(name, text, it.line, it.col0)}
	case itemRecord:
		if fast {
			if r, ok := fastRecord(dec, name, text, it.line, into); ok {
				return r
			}
		}
		return result{piece: recordPiece(name, text, it.line, it.col0)}
	}
	lead := space(text, 0)
	if lead == len(text) {
		return result{blank: true}
	}
	if fast {
		if r, ok := fastRecord(dec, name, trimRight(text[lead:]), it.line, into); ok {
			return r
		}
	}
	p := linePiece(name, text, it.line, it.col0)
	return result{piece: p, damaged: p.failures > 0}
}

// fastRecord decodes a sign-in on the fast path, into into when it is not
// nil, else into a new struct.
func fastRecord(dec *fastDecoder, name string, text []byte, line int,
	into *entra.SignIn) (result, bool) {
	s, ok := dec.signIn(text, entra.Pos{File: name, Line: line})
	if ok && dec.whole != nil {
		ok = dec.again(text, &s)
	}
	if !ok {
		return result{}, false
	}
	if into == nil {
		into = new(entra.SignIn)
	}
	*into = s
	rec := Record{Kind: KindSignIn, SignIn: into, Pos: s.Pos}
	return result{rec: rec}, true
}

// trimRight drops the JSON white space at the end of b.
func trimRight(b []byte) []byte {
	for len(b) > 0 {
		switch b[len(b)-1] {
		case ' ', '\t', '\n', '\r':
			b = b[:len(b)-1]
		default:
			return b
		}
	}
	return b
}
