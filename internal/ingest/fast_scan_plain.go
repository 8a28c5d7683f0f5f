//go:build !(goexperiment.simd && amd64)

package ingest

// The scanner's look over a record in the default build: a word at a time
// (newText), with strings closed by quoteAt. fast_scan_simd.go replaces
// both when Go's SIMD experiment is on.

// quoteBits is empty here; the SIMD build keeps a quote bitmap in it.
type quoteBits struct{}

// reset makes t the look over b.
func (t *text) reset(b []byte) { *t = newText(b) }

// plainEnd is stringEnd for a plain record, small enough to be inlined:
// the offset of the next quote from i, or -1.
func (t *text) plainEnd(i int) int { return quoteAt(t.b, i) }

// escapedEnd is stringEnd for a record that is not plain.
func (t *text) escapedEnd(i int) (int, bool) { return wordsEnd(t.b, i) }

// asciiKeyEnd is keyEnd for a record that is not plain ASCII.
func (t *text) asciiKeyEnd(i int) int { return wordsKeyEnd(t.b, i) }
