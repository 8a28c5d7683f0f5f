package graph

import (
	"net/url"
	"sort"
	"strings"
	"time"
)

// odataLayout is the one time layout Graph filters accept everywhere:
// UTC, seconds, a literal T and Z, no quotes. Go's layouts never depend on
// the machine's locale, so a Finnish or Arabic desktop sends the same
// bytes (BR-28).
const odataLayout = "2006-01-02T15:04:05Z"

// odataTime formats t for a $filter.
func odataTime(t time.Time) string { return t.UTC().Format(odataLayout) }

// odataString quotes s as an OData string literal: in single quotes, with
// each single quote inside written twice.
func odataString(s string) string { return "'" + strings.ReplaceAll(s, "'", "''") + "'" }

// between is the filter clause for field within w.
func between(field string, w Window) string {
	return field + " ge " + odataTime(w.Start) + " and " + field + " le " + odataTime(w.End)
}

// and joins clauses.
func and(clauses ...string) string { return strings.Join(clauses, " and ") }

// encodeQuery writes a query string Graph reads as meant: keys such as
// $filter keep their dollar sign, spaces become %20 (not +), and the
// parameters come in a stable order so that requests are reproducible.
func encodeQuery(v url.Values) string {
	keys := make([]string, 0, len(v))
	for k := range v {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	var b strings.Builder
	for _, k := range keys {
		for _, val := range v[k] {
			if b.Len() > 0 {
				b.WriteByte('&')
			}
			b.WriteString(k)
			b.WriteByte('=')
			b.WriteString(strings.ReplaceAll(url.QueryEscape(val), "+", "%20"))
		}
	}
	return b.String()
}
