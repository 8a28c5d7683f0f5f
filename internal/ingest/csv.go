package ingest

import (
	"bytes"
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"strings"

	"github.com/idtriage/idtriage/internal/entra"
)

// CSV files come from the Entra portal ("Download CSV"), from Log
// Analytics and Sentinel ("Export to CSV", PascalCase columns with JSON
// text in cells, some with a " [UTC]" suffix and _dynamic/_string pairs),
// and from PowerShell Export-Csv (every field quoted, sometimes a "#TYPE"
// first line). Each row becomes the same generic record as a JSON object
// and is classified and normalised the same way.

// portalColumns maps the portal's display names (folded) to field names.
// The Log Analytics and PowerShell column names need no mapping: lookup
// ignores case.
var portalColumns = map[string]string{
	"date":                   "createdDateTime",
	"requestid":              "id",
	"user":                   "userDisplayName",
	"username":               "userPrincipalName",
	"ipaddress":              "ipAddress",
	"signinerrorcode":        "resultType",
	"failurereason":          "resultDescription",
	"application":            "appDisplayName",
	"applicationid":          "appId",
	"clientapp":              "clientAppUsed",
	"conditionalaccess":      "conditionalAccessStatus",
	"autonomoussystemnumber": "autonomousSystemNumber",
	"crosstenantaccesstype":  "crossTenantAccessType",
}

// column is one header cell: the field name it maps to, and whether its
// suffix declared the times in it to be UTC ("CreatedDateTime [UTC]",
// "Date (UTC)").
type column struct {
	name string
	utc  bool
}

// csvColumn maps one header cell. portal is set for a portal download,
// whose display names ("Request ID", "IP address") have spaces; the
// PascalCase names of other exports are kept, so that PowerShell's
// "RequestId" is not taken for the portal's "Request ID".
func csvColumn(h string, portal bool) column {
	h = strings.TrimSpace(h)
	var c column
	closed := strings.HasSuffix(h, "]") || strings.HasSuffix(h, ")")
	if i := strings.LastIndexAny(h, "[("); i > 0 && closed {
		c.utc = strings.Contains(strings.ToUpper(h[i:]), "UTC")
		h = strings.TrimSpace(h[:i])
	}
	lower := strings.ToLower(h)
	for _, suffix := range []string{"_dynamic", "_string"} {
		if strings.HasSuffix(lower, suffix) {
			h = h[:len(h)-len(suffix)]
		}
	}
	if alias, ok := portalColumns[entra.Fold(h)]; ok && portal {
		h = alias
	}
	c.name = h
	return c
}

// looksLikeCSV reports whether the first line of text reads as a header
// row: it has a delimiter outside quotes.
func looksLikeCSV(text []byte) bool {
	body, _ := csvBody(text)
	comma, ok := delimiter(firstLine(body))
	if !ok {
		return false
	}

	// A header names columns: at least two, none empty, none a Markdown
	// heading; the next row, when there is one, has as many fields. Prose
	// with a comma in its first line (a README) fails this.
	rd := csv.NewReader(bytes.NewReader(body))
	rd.Comma, rd.FieldsPerRecord, rd.LazyQuotes = comma, -1, true
	header, err := rd.Read()
	if err != nil || len(header) < 2 || strings.HasPrefix(strings.TrimSpace(header[0]), "#") {
		return false
	}
	for _, h := range header {
		if strings.TrimSpace(h) == "" {
			return false
		}
	}
	row, err := rd.Read()
	return err != nil || len(row) == len(header)
}

// csvBody skips the "#TYPE ..." line Windows PowerShell's Export-Csv writes
// before the header unless told not to, and says how many lines it skipped.
func csvBody(text []byte) ([]byte, int) {
	if !bytes.HasPrefix(text, []byte("#TYPE")) {
		return text, 0
	}
	i := bytes.IndexByte(text, '\n')
	if i < 0 {
		return nil, 1
	}
	return text[i+1:], 1
}

// delimiter picks the most frequent of comma, semicolon and tab outside
// quotes in the header line.
func delimiter(line []byte) (rune, bool) {
	counts := map[byte]int{}
	quoted := false
	for _, c := range line {
		switch {
		case c == '"':
			quoted = !quoted
		case !quoted && (c == ',' || c == ';' || c == '\t'):
			counts[c]++
		}
	}
	best, n := byte(','), 0
	for _, c := range []byte{',', ';', '\t'} {
		if counts[c] > n {
			best, n = c, counts[c]
		}
	}
	return rune(best), n > 0
}

func firstLine(text []byte) []byte {
	if i := bytes.IndexByte(text, '\n'); i >= 0 {
		text = text[:i]
	}
	return bytes.TrimRight(text, "\r")
}

// decodeCSV reads the rows of a CSV file as records.
func (f *fileState) decodeCSV() {
	body, skipped := csvBody(f.text)
	comma, _ := delimiter(firstLine(body))
	rd := csv.NewReader(bytes.NewReader(body))
	rd.Comma, rd.FieldsPerRecord = comma, -1
	header, err := rd.Read()
	if err != nil {
		f.fail(0, 0, "CSV header: "+csvMessage(err))
		return
	}
	cols, utc := csvHeader(header)
	f.dayFirst, f.mixedDates = slashOrders(body, comma, cols)
	for _, name := range f.mixedDates {
		f.warn("csv: column " + name + " holds dates day first and month first; " +
			"each ambiguous one is read month first")
	}
	for {
		before := rd.InputOffset()
		row, err := rd.Read()
		if errors.Is(err, io.EOF) {
			return
		}
		if err != nil {
			f.ordinal++
			off := len(f.text) - len(body) + int(before)
			var pe *csv.ParseError
			if errors.As(err, &pe) {
				off = f.csvOffset(skipped, pe.Line, pe.Column)
			}
			f.fail(off, f.ordinal, "CSV row: "+csvMessage(err))
			if rd.InputOffset() == before {
				return
			}
			continue
		}
		m := f.csvRecord(cols, row)
		if len(m) == 0 {
			continue // a row of empty cells
		}
		f.ordinal++
		line, col := rd.FieldPos(0)
		f.handle(m, f.csvOffset(skipped, line, col), f.ordinal, utc)
	}
}

func csvHeader(header []string) ([]column, map[string]bool) {
	portal := false
	for _, h := range header {
		if name := csvColumn(h, false).name; strings.Contains(name, " ") {
			portal = true
		}
	}
	cols := make([]column, len(header))
	var utc map[string]bool
	for i, h := range header {
		cols[i] = csvColumn(h, portal)
		if cols[i].utc {
			if utc == nil {
				utc = map[string]bool{}
			}
			utc[strings.ToLower(cols[i].name)] = true
		}
	}
	return cols, utc
}

// csvRecord turns a row into a record. Empty cells are left out, so that an
// empty "_string" twin does not hide its "_dynamic" column.
func (f *fileState) csvRecord(cols []column, row []string) map[string]any {
	m := make(map[string]any, len(row))
	seen := make(map[string]bool, len(row))
	for i, v := range row {
		if i >= len(cols) {
			f.warn("csv: row has more cells than the header")
			break
		}
		if v == "" || cols[i].name == "" {
			continue
		}
		if lk := strings.ToLower(cols[i].name); !seen[lk] {
			seen[lk] = true
			m[cols[i].name] = v
		}
	}
	return m
}

// csvOffset converts a line and column of the CSV body to an offset in the
// decoded text, which starts skipped lines earlier.
func (f *fileState) csvOffset(skipped, line, col int) int {
	i := line - 1 + skipped
	if i < 0 || i >= len(f.lines.starts) {
		return len(f.text)
	}
	return min(f.lines.starts[i]+max(col-1, 0), len(f.text))
}

func csvMessage(err error) string {
	var pe *csv.ParseError
	if errors.As(err, &pe) {
		return pe.Err.Error()
	}
	return fmt.Sprint(err)
}
