package ingest

import (
	"bufio"
	"bytes"
	"os"
	"path/filepath"
	"testing"

	"github.com/idtriage/idtriage/internal/entra"
	"github.com/idtriage/idtriage/internal/simulate"
)

// benchLines returns the sign-in lines of a small generated tenant.
func benchLines(b *testing.B) [][]byte {
	b.Helper()
	out := b.TempDir()
	if _, err := simulate.Run(simulate.Config{Users: 60, Days: 2, Seed: 5, Out: out}); err != nil {
		b.Fatal(err)
	}
	files, err := filepath.Glob(filepath.Join(out, simulate.LogsDir, "*"))
	if err != nil || len(files) == 0 {
		b.Fatal("no logs", err)
	}
	var lines [][]byte
	for _, f := range files {
		fh, err := os.Open(f)
		if err != nil {
			b.Fatal(err)
		}
		sc := bufio.NewScanner(fh)
		sc.Buffer(make([]byte, 1<<20), 1<<24)
		for sc.Scan() {
			lines = append(lines, append([]byte(nil), sc.Bytes()...))
		}
		fh.Close()
	}
	return lines
}

// BenchmarkLeanSignIn decodes lean sign-ins one at a time, in memory, with
// the picker and with the JSON decoder, for every field and for the few
// the two benchmark rules read.
func BenchmarkLeanSignIn(b *testing.B) {
	lines := benchLines(b)
	var size int
	for _, l := range lines {
		size += len(l)
	}
	two := entra.FieldBase | entra.FieldKind | entra.FieldCountry | entra.FieldRisk | entra.FieldNetwork
	for _, c := range []struct {
		name   string
		fields entra.Fields
		json   bool
	}{
		{"pick-lean", entra.FieldsLean, false},
		{"pick-two", two, false},
		{"json-lean", entra.FieldsLean, true},
	} {
		b.Run(c.name, func(b *testing.B) {
			d := fastDecoder{lean: true, fields: c.fields}
			b.SetBytes(int64(size))
			b.ReportAllocs()
			n := 0
			for b.Loop() {
				for _, l := range lines {
					var ok bool
					if c.json {
						_, ok = d.signInJSON(l, entra.Pos{})
					} else {
						_, ok = d.signIn(l, entra.Pos{})
					}
					if ok {
						n++
					}
				}
			}
			if n == 0 {
				b.Fatal("nothing decoded")
			}
			b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N*len(lines)), "ns/record")
		})
	}
}

// BenchmarkScanFloor measures what any scanner of these records costs in
// Go, whatever it keeps: passing over every value with checks (passValue),
// finding every quote with bytes.IndexByte, and closing every string with
// stringEnd. It is the floor under the picker.
func BenchmarkScanFloor(b *testing.B) {
	lines := benchLines(b)
	var size int
	for _, l := range lines {
		size += len(l)
	}
	b.Run("pass", func(b *testing.B) {
		b.SetBytes(int64(size))
		var t text
		for b.Loop() {
			for _, l := range lines {
				if t.reset(l); t.passValue(0, 0) < 0 {
					b.Fatal("bad")
				}
			}
		}
	})
	b.Run("quotes", func(b *testing.B) {
		b.SetBytes(int64(size))
		for b.Loop() {
			for _, l := range lines {
				eachQuote(l, func(q int) int { return q + 1 })
			}
		}
	})
	b.Run("strings", func(b *testing.B) {
		b.SetBytes(int64(size))
		for b.Loop() {
			for _, l := range lines {
				t := text{b: l}
				eachQuote(l, func(q int) int {
					e, _ := t.stringEnd(q + 1)
					return e + 1
				})
			}
		}
	})
}

// eachQuote finds quotes in l with bytes.IndexByte, from the start and
// then from where next, given each quote's offset, says to go on; it
// returns how many it found.
func eachQuote(l []byte, next func(q int) int) int {
	n := 0
	for i := 0; i < len(l); n++ {
		j := bytes.IndexByte(l[i:], '"')
		if j < 0 {
			break
		}
		i = next(i + j)
	}
	return n
}
