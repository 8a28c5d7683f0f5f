package spill

import (
	"bufio"
	"encoding/gob"
	"errors"
	"fmt"
	"io"
	"os"
)

// runBuffer is the read and write buffer of one run file.
const runBuffer = 64 << 10

// write drains src, which gives items in order, into a new run file, and
// returns its path.
func (s *Sorter) write(src source) (string, error) {
	f, err := os.CreateTemp(s.dir, "run-*.gob")
	if err != nil {
		return "", fmt.Errorf("spill: create a run: %w", err)
	}
	w := bufio.NewWriterSize(f, runBuffer)
	enc := gob.NewEncoder(w)
	for {
		e, ok, err := src.next()
		if err == nil && ok {
			err = enc.Encode(&e)
		}
		if err != nil {
			f.Close()
			return "", fmt.Errorf("spill: write run %s: %w", f.Name(), err)
		}
		if !ok {
			break
		}
	}
	if err := w.Flush(); err != nil {
		f.Close()
		return "", fmt.Errorf("spill: write run %s: %w", f.Name(), err)
	}
	info, err := f.Stat()
	if err == nil {
		s.stats.Runs++
		s.stats.Bytes += info.Size()
	}
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		return "", fmt.Errorf("spill: write run %s: %w", f.Name(), err)
	}
	return f.Name(), nil
}

// runReader gives the entries of one run file, in the order written.
type runReader struct {
	f   *os.File
	dec *gob.Decoder
}

func openRun(path string) (*runReader, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, fmt.Errorf("spill: open run: %w", err)
	}
	return &runReader{f: f, dec: gob.NewDecoder(bufio.NewReaderSize(f, runBuffer))}, nil
}

func (r *runReader) next() (entry, bool, error) {
	var e entry
	err := r.dec.Decode(&e)
	if errors.Is(err, io.EOF) {
		return entry{}, false, nil
	}
	if err != nil {
		return entry{}, false, fmt.Errorf("spill: read run %s: %w", r.f.Name(), err)
	}
	return e, true, nil
}

func (r *runReader) close() { r.f.Close() }
