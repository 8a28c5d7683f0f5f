package ipintel

import (
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"slices"
	"strings"
)

// row is one data line of a CSV table, with its line number for errors.
type row struct {
	line   int
	fields []string
}

// readTable reads a small CSV table, after a UTF-8 byte-order mark if it
// starts with one: lines starting with '#' are comments,
// fields are trimmed, and a first line equal to header (ignoring case) is
// skipped. Every row must have len(header) fields. name is used in errors,
// which give the line.
func readTable(r io.Reader, name string, header []string) ([]row, error) {
	cr := csv.NewReader(skipBOM(r))
	cr.Comment = '#'
	cr.FieldsPerRecord = -1
	cr.TrimLeadingSpace = true

	var out []row
	for {
		rec, err := cr.Read()
		if errors.Is(err, io.EOF) {
			return out, nil
		}
		if err != nil {
			// A csv.ParseError names the line and column itself.
			return nil, fmt.Errorf("read %s: %w", name, err)
		}
		line, _ := cr.FieldPos(0)
		for i := range rec {
			rec[i] = strings.TrimSpace(rec[i])
		}
		if len(out) == 0 && isHeader(rec, header) {
			continue
		}
		if len(rec) != len(header) {
			return nil, fmt.Errorf("%s:%d: %d fields, want %d (%s)", name, line, len(rec),
				len(header), strings.Join(header, ","))
		}
		out = append(out, row{line: line, fields: rec})
	}
}

func isHeader(rec, header []string) bool {
	return slices.EqualFunc(rec, header, strings.EqualFold)
}
