//go:build goexperiment.simd && amd64

package ingest

import (
	"bytes"
	"fmt"
	"math/rand/v2"
	"path/filepath"
	"testing"

	"github.com/google/go-cmp/cmp"
)

// The SIMD look (fast_scan_simd.go) must see in a record what the default
// build's scanner sees: the same plain and ascii answers as newText, and
// from every offset the same next quote as quoteAt and the same string and
// key ends as the word-at-a-time readers. These tests hold the
// AVX2 look and the word-at-a-time fallback to that on real and generated
// records, on copies damaged at random, on random texts of every length up
// to a few blocks, and on records shifted across block edges; and they
// check that the picker then reads every record alike both ways.

// withAVX2 runs f with the look chosen by on, and restores the CPU's own.
func withAVX2(on bool, f func()) {
	was := haveAVX2
	haveAVX2 = on && was
	defer func() { haveAVX2 = was }()
	f()
}

// sameLook fails when the look over b (AVX2 when avx is set, else the
// fallback) differs from newText and quoteAt.
func sameLook(t *testing.T, what string, b []byte, avx bool) {
	t.Helper()
	want := newText(b)
	var got text
	withAVX2(avx, func() { got.reset(b) })
	if got.plain != want.plain || got.ascii != want.ascii {
		t.Fatalf("%s (avx2 %v): plain %v ascii %v, want %v %v; text %.200q",
			what, avx, got.plain, got.ascii, want.plain, want.ascii, b)
	}
	for i := 0; i <= len(b); i++ {
		if g, w := got.plainEnd(i), quoteAt(b, i); g != w {
			t.Fatalf("%s (avx2 %v): plainEnd(%d) = %d, want %d; text %.200q",
				what, avx, i, g, w, b)
		}
		// What the default build's stringEnd and keyEnd answer.
		wantEnd, wantEsc := wordsEnd(b, i)
		wantKey := wordsKeyEnd(b, i)
		if want.plain {
			wantEnd, wantEsc = quoteAt(b, i), false
			if want.ascii {
				wantKey = wantEnd
			}
		}
		if g, e := got.stringEnd(i); g != wantEnd || e != wantEsc {
			t.Fatalf("%s (avx2 %v): stringEnd(%d) = %d %v, want %d %v; text %.200q",
				what, avx, i, g, e, wantEnd, wantEsc, b)
		}
		if g := got.keyEnd(i); g != wantKey {
			t.Fatalf("%s (avx2 %v): keyEnd(%d) = %d, want %d; text %.200q",
				what, avx, i, g, wantKey, b)
		}
	}
}

// samePick fails when the picker reads b differently with the AVX2 look
// and with the fallback, for any of the field sets.
func samePick(t *testing.T, what string, b []byte) {
	t.Helper()
	for _, f := range fieldSets {
		var simd, words pickResult
		withAVX2(true, func() { simd = viaPicker(b, f) })
		withAVX2(false, func() { words = viaPicker(b, f) })
		if diff := cmp.Diff(words, simd, addrComparer); diff != "" {
			t.Fatalf("%s (fields %b): AVX2 pick differs (-fallback +avx2):\n%s\nrecord: %.300s",
				what, f, diff, b)
		}
	}
}

// lookRecords returns real and generated records to look at.
func lookRecords(t *testing.T) [][]byte {
	requireCorpus(t)
	recs := append(recordTexts(t, smallTenant(t))[:300], []byte(pickBase))
	recs = append(recs, recordTexts(t, filepath.Join("..", "..", "examples"))...)
	return append(recs, recordTexts(t, corpusDir)...)
}

// TestLookRecords compares the looks on whole records, and on each shifted
// by 0 to 64 spaces after its opening brace so that its quotes and values
// fall at every offset of a block.
func TestLookRecords(t *testing.T) {
	if !haveAVX2 {
		t.Log("this CPU has no AVX2: only the fallback is compared")
	}
	for n, b := range lookRecords(t) {
		what := fmt.Sprintf("record %d", n)
		sameLook(t, what, b, true)
		sameLook(t, what, b, false)
		samePick(t, what, b)
		if n%10 != 0 || len(b) < 2 || b[0] != '{' {
			continue
		}
		for k := 1; k <= 64; k++ {
			shifted := append(append([]byte{'{'}, bytes.Repeat([]byte{' '}, k)...), b[1:]...)
			what := fmt.Sprintf("record %d shifted %d", n, k)
			sameLook(t, what, shifted, true)
			samePick(t, what, shifted)
			agree(t, what, shifted)
		}
	}
}

// TestLookDamage compares the looks and the picks on 20,000 copies of
// records with a byte changed to a quote, a backslash, a control
// character or a byte above ASCII, dropped, repeated, or the copy cut.
func TestLookDamage(t *testing.T) {
	base := lookRecords(t)
	rng := rand.New(rand.NewPCG(3, 5))
	special := []byte("\"\\\x00\x1f\x7f\x80\xc3\xa9\xff u{}[],:")
	for n := range 20000 {
		b := bytes.Clone(base[rng.IntN(len(base))])
		for range 1 + rng.IntN(3) {
			if len(b) == 0 {
				break
			}
			b = damage(rng, b, special)
		}
		what := fmt.Sprintf("damaged copy %d", n)
		sameLook(t, what, b, true)
		sameLook(t, what, b, false)
		samePick(t, what, b)
	}
}

// TestLookRandom compares the looks on random texts of every length from
// 0 to 260 bytes, from an alphabet of quotes, backslashes, bytes at the
// edges of the control and ASCII ranges, and letters.
func TestLookRandom(t *testing.T) {
	rng := rand.New(rand.NewPCG(8, 13))
	alphabet := []byte{'"', '"', '\\', 0x00, 0x1f, 0x20, 0x21, 0x23, 0x5b, 0x5d, 0x7f,
		0x80, 0xa2, 0xdc, 0xff, 'a', 'a', 'a'}
	for n := 0; n <= 260; n++ {
		for range 40 {
			b := make([]byte, n)
			for i := range b {
				b[i] = alphabet[rng.IntN(len(alphabet))]
			}
			what := fmt.Sprintf("random text of %d bytes", n)
			sameLook(t, what, b, true)
			sameLook(t, what, b, false)
		}
	}
}
