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

// readTable reads a small built-in CSV table (scanTable) whose every row
// must be good: the first bad row is the error.
func readTable(r io.Reader, name string, header []string) ([]row, error) {
	var first error
	rows, err := scanTable(r, name, header, func(_ int, bad error) {
		if first == nil {
			first = bad
		}
	})
	if err == nil {
		err = first
	}
	if err != nil {
		return nil, err
	}
	return rows, nil
}

// scanTable reads a small CSV table, after a UTF-8 byte-order mark if it
// starts with one: lines starting with '#' are comments, fields are
// trimmed, and a first line equal to header (ignoring case) is skipped.
// A row that is not CSV, or has other than len(header) fields, is passed
// to bad, with its line and an error that names name and the line, and
// left out; the error returned is for a table that cannot be read at all.
func scanTable(r io.Reader, name string, header []string,
	bad func(line int, err error)) ([]row, error) {
	cr := csv.NewReader(skipBOM(r))
	cr.Comment = '#'
	cr.FieldsPerRecord = -1
	cr.TrimLeadingSpace = true

	var out []row
	for {
		rec, err := cr.Read()
		var pe *csv.ParseError
		switch {
		case errors.Is(err, io.EOF):
			return out, nil
		case errors.As(err, &pe):
			// A csv.ParseError names the line and column itself; the
			// reader goes on at the next line.
			bad(pe.StartLine, fmt.Errorf("read %s: %w", name, err))
			continue
		case err != nil:
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
			bad(line, fmt.Errorf("%s:%d: %d fields, want %d (%s)", name, line, len(rec),
				len(header), strings.Join(header, ",")))
			continue
		}
		out = append(out, row{line: line, fields: rec})
	}
}

func isHeader(rec, header []string) bool {
	return slices.EqualFunc(rec, header, strings.EqualFold)
}
