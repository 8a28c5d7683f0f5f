package ingest

import (
	"os"
	"path/filepath"
	"testing"
)

// FuzzDecode feeds arbitrary bytes to Decode and Finish. Seeds are every
// corpus file, every field-report input and a few hand-made shapes. Decode
// must never panic, must report exactly one file, and every Error must
// point at a line and column of at least 1.
func FuzzDecode(f *testing.F) {
	for _, rel := range corpusFiles(f) {
		data, err := os.ReadFile(filepath.Join(corpusDir, rel))
		if err != nil {
			f.Fatal(err)
		}
		f.Add(data)
	}
	reports, err := filepath.Glob(filepath.Join("testdata", "fieldreports", "*"))
	if err != nil || len(reports) == 0 {
		f.Fatalf("no field-report inputs: %v", err)
	}
	for _, p := range reports {
		data, err := os.ReadFile(p)
		if err != nil {
			f.Fatal(err)
		}
		f.Add(data)
	}
	f.Add(utf16LE("[" + goodA + "]"))
	f.Add(utf16BE(goodA + "\n" + goodB))
	f.Add([]byte("[" + goodA + "][" + goodB + "]"))
	f.Add([]byte("#TYPE x\n\"Id\",\"CreatedDateTime\"\n\"a\",\"1/2/2024 3:04:05 PM\"\n"))

	f.Fuzz(func(t *testing.T, data []byte) {
		set := &Set{}
		Decode("fuzz", data, set)
		set.Finish()
		if len(set.Files) != 1 {
			t.Fatalf("%d file reports, want 1", len(set.Files))
		}
		for _, p := range set.Problems {
			if p.Line < 1 || p.Column < 1 || p.File != "fuzz" {
				t.Fatalf("bad position: %+v", p)
			}
		}
		rep := set.Files[0]
		if rep.Records < 0 || rep.Rejected < 0 || rep.Skipped && rep.Records > 0 {
			t.Fatalf("inconsistent report %+v", rep)
		}
		for _, s := range set.SignIns {
			if s.Pos.Line < 1 || s.Time.IsZero() || s.Rows < 1 {
				t.Fatalf("bad sign-in %+v", s)
			}
		}
	})
}

// FuzzTime checks that parseTime never panics and returns UTC times only.
func FuzzTime(f *testing.F) {
	for _, s := range []string{"2021-06-30T16:34:32Z", "2022-09-09T8:48:50.361Z", "11/14/2025 1:48:53 AM",
		"1/9/2007 10:41:00 AM +01:00", "9/19/2023, 1:45:17.287 PM", "2023-07-26 22:58:30.983201900",
		"15/11/2025 3:55:59 AM", "2007-01-09T09:41:00", "String (timestamp)"} {
		f.Add(s, false)
		f.Add(s, true)
	}
	f.Fuzz(func(t *testing.T, s string, utcDeclared bool) {
		got, _, err := parseTime(s, utcDeclared)
		if err == nil && (got.Location().String() != "UTC" || got.Year() < 1900) {
			t.Fatalf("parseTime(%q) = %v", s, got)
		}
	})
}
