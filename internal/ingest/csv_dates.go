package ingest

import (
	"bytes"
	"encoding/csv"
	"strconv"
	"strings"
)

// A slash date such as 02/11/2026 reads two ways. A portal or PowerShell
// export writes every date of a column in one order, so the column's dates
// that read only one way (17/11/2026 is day first, 11/17/2026 month first)
// settle the others: read alone, cell by cell, one file would mix two
// orders and spread a day's attack over ten months (a tryout's case).

// slashOrders returns the fields (lower case, as rec.utc keys them) whose
// slash dates the file shows to be day first, and those whose column holds
// dates of both orders, which are read cell by cell.
func slashOrders(body []byte, comma rune, cols []column) (dayFirst map[string]bool,
	mixed []string) {
	rd := csv.NewReader(bytes.NewReader(body))
	rd.Comma, rd.FieldsPerRecord, rd.ReuseRecord = comma, -1, true
	if _, err := rd.Read(); err != nil {
		return nil, nil
	}
	day, month := make([]bool, len(cols)), make([]bool, len(cols))
	for {
		row, err := rd.Read()
		if err != nil {
			if _, bad := err.(*csv.ParseError); bad && rd.InputOffset() < int64(len(body)) {
				continue
			}
			break
		}
		for i, v := range row[:min(len(row), len(cols))] {
			switch slashOrder(v) {
			case orderDay:
				day[i] = true
			case orderMonth:
				month[i] = true
			}
		}
	}

	// Columns whose names differ only in case fill one field (a row takes
	// the first that is not empty), so their evidence is pooled.
	byName := map[string][2]bool{}
	var names []string
	for i, c := range cols {
		if c.name == "" {
			continue
		}
		name := strings.ToLower(c.name)
		o, seen := byName[name]
		if !seen {
			names = append(names, name)
		}
		byName[name] = [2]bool{o[0] || day[i], o[1] || month[i]}
	}
	for _, name := range names {
		switch o := byName[name]; {
		case o[0] && o[1]:
			mixed = append(mixed, name)
		case o[0]:
			if dayFirst == nil {
				dayFirst = map[string]bool{}
			}
			dayFirst[name] = true
		}
	}
	return dayFirst, mixed
}

// The orders one slash date can be read in.
const (
	orderEither = iota // not a slash date, or both numbers 12 or less
	orderDay           // the first number is above 12
	orderMonth         // the second number is above 12
)

// slashOrder tells which order a slash date can only be read in.
func slashOrder(s string) int {
	s = strings.TrimSpace(s)
	a, rest, ok := strings.Cut(s, "/")
	if !ok || len(a) > 2 {
		return orderEither
	}
	b, rest, ok := strings.Cut(rest, "/")
	if !ok || len(b) > 2 || len(rest) < 4 {
		return orderEither
	}
	x, err1 := strconv.Atoi(a)
	y, err2 := strconv.Atoi(b)
	switch {
	case err1 != nil || err2 != nil:
		return orderEither
	case x > 12 && y <= 12:
		return orderDay
	case y > 12 && x <= 12:
		return orderMonth
	}
	return orderEither
}
