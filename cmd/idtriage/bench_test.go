package main

import (
	"io"
	"testing"

	"github.com/idtriage/idtriage/internal/ingest"
	"github.com/idtriage/idtriage/internal/investigate"
	"github.com/idtriage/idtriage/internal/report"
)

// BenchmarkInvestigateExample measures the whole investigation of the
// reference case: reading and decoding its files, the questions and the
// verdict, and the Markdown report.
func BenchmarkInvestigateExample(b *testing.B) {
	b.ReportAllocs()
	for b.Loop() {
		set, err := ingest.Read([]string{example}, ingest.Options{})
		if err != nil {
			b.Fatal(err)
		}
		c, err := investigate.Run(set, investigate.DefaultConfig())
		if err != nil {
			b.Fatal(err)
		}
		if err := report.Markdown(io.Discard, c); err != nil {
			b.Fatal(err)
		}
	}
}
