package graphtest

import (
	"encoding/base64"
	"errors"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"time"
)

// clause is one comparison of a $filter.
type clause struct {
	field string // a property path, or the collection of an any()
	op    string // eq, ge, le, any
	text  string // a string operand, unquoted
	at    time.Time
	isAt  bool
}

// errFilter is Graph's answer to any filter it cannot read.
var errFilter = errors.New("Invalid filter clause")

var (
	reAny   = regexp.MustCompile(`^(\w+)/any\((\w+):\s*(.+)\)$`)
	reCmp   = regexp.MustCompile(`^([\w/]+) (eq|ge|le) (.+)$`)
	reTime  = regexp.MustCompile(`^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d{1,7})?Z$`)
	reQuote = regexp.MustCompile(`^'((?:[^']|'')*)'$`)
)

// fields are the filterable properties of each collection, as Graph
// documents them for these endpoints, with the operators the client uses.
var fields = map[kind]map[string][]string{
	kindSignIn: {"createdDateTime": {"ge", "le"}, "userId": {"eq"},
		"userPrincipalName": {"eq"}, "signInEventTypes": {"any"}},
	kindAudit: {"activityDateTime": {"ge", "le"}, "initiatedBy/user/id": {"eq"},
		"initiatedBy/user/userPrincipalName": {"eq"}, "targetResources": {"any"}},
	kindRisk: {"detectedDateTime": {"ge", "le"}, "userId": {"eq"},
		"userPrincipalName": {"eq"}},
	kindRiskyUser: {"id": {"eq"}, "userPrincipalName": {"eq"}, "riskState": {"eq"},
		"riskLastUpdatedDateTime": {"ge", "le"}},
}

// parseFilter reads the conjunctions the client sends. Anything else,
// including a time in another layout or in quotes (BR-28), is an error,
// as it is for Graph.
func parseFilter(k kind, f string) ([]clause, error) {
	if strings.TrimSpace(f) == "" {
		return nil, nil
	}
	var out []clause
	for _, part := range splitAnd(f) {
		c, err := parseClause(part)
		if err != nil {
			return nil, err
		}
		if !slices.Contains(fields[k][c.field], c.op) {
			return nil, errFilter
		}
		out = append(out, c)
	}
	return out, nil
}

func parseClause(s string) (clause, error) {
	s = strings.TrimSpace(s)
	if m := reAny.FindStringSubmatch(s); m != nil {
		inner := strings.TrimPrefix(m[3], m[2])
		c, err := parseClause("x" + inner)
		want := map[string]string{"signInEventTypes": "x", "targetResources": "x/id"}[m[1]]
		if err != nil || c.op != "eq" || c.isAt || c.field != want {
			return clause{}, errFilter
		}
		return clause{field: m[1], op: "any", text: c.text}, nil
	}
	m := reCmp.FindStringSubmatch(s)
	if m == nil {
		return clause{}, errFilter
	}
	c := clause{field: m[1], op: m[2]}
	switch v := m[3]; {
	case reQuote.MatchString(v):
		c.text = strings.ReplaceAll(reQuote.FindStringSubmatch(v)[1], "''", "'")
		if strings.HasSuffix(c.field, "DateTime") {
			return clause{}, errFilter
		}
	case reTime.MatchString(v):
		t, err := time.Parse(time.RFC3339Nano, v)
		if err != nil {
			return clause{}, errFilter
		}
		c.at, c.isAt = t, true
	default:
		return clause{}, errFilter
	}
	if strings.HasSuffix(c.field, "DateTime") != c.isAt {
		return clause{}, errFilter
	}
	return c, nil
}

// splitAnd splits on " and " outside quotes and brackets.
func splitAnd(f string) []string {
	var out []string
	depth, quoted, start := 0, false, 0
	for i := 0; i < len(f); i++ {
		switch c := f[i]; {
		case c == '\'':
			quoted = !quoted
		case quoted:
		case c == '(':
			depth++
		case c == ')':
			depth--
		case depth == 0 && strings.HasPrefix(f[i:], " and "):
			out = append(out, f[start:i])
			start = i + len(" and ")
			i += len(" and ") - 1
		}
	}
	return append(out, f[start:])
}

// matches reports whether r passes every clause.
func (r *record) matches(cs []clause) bool {
	for _, c := range cs {
		if !r.match(c) {
			return false
		}
	}
	return true
}

func (r *record) match(c clause) bool {
	switch {
	case c.isAt && c.op == "ge":
		return !r.at.Before(c.at)
	case c.isAt && c.op == "le":
		return !r.at.After(c.at)
	}
	switch c.field {
	case "userId":
		return strings.EqualFold(r.userID, c.text)
	case "id":
		return strings.EqualFold(r.id, c.text)
	case "userPrincipalName", "initiatedBy/user/userPrincipalName":
		return strings.EqualFold(r.upn, c.text)
	case "riskState":
		return r.riskState == c.text
	case "signInEventTypes":
		return (c.text == "nonInteractiveUser") == r.nonInteractive
	case "initiatedBy/user/id":
		return strings.EqualFold(r.initiator, c.text)
	case "targetResources":
		return slices.ContainsFunc(r.targets, func(t string) bool {
			return strings.EqualFold(t, c.text)
		})
	}
	return false
}

// A skip token carries the offset of the next page, opaque to the client.
func skipToken(off int) string {
	return base64.RawURLEncoding.EncodeToString([]byte("offset:" + strconv.Itoa(off)))
}

func skipOffset(tok string) (int, bool) {
	if tok == "" {
		return 0, true
	}
	b, err := base64.RawURLEncoding.DecodeString(tok)
	if err != nil {
		return 0, false
	}
	n, err := strconv.Atoi(strings.TrimPrefix(string(b), "offset:"))
	return n, err == nil && n >= 0
}
