package report

import (
	"fmt"
	"math"
	"regexp"
	"sort"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/idtriage/idtriage/internal/ingest"
	"github.com/idtriage/idtriage/internal/investigate"
)

// RedactOptions choose how much of an address survives redaction.
type RedactOptions struct {
	// KeepPrefix keeps the /24 of an outside IPv4 address and the /48 of an
	// IPv6 one ("186.2.128.x") instead of a placeholder, so a reader can
	// still tell networks apart.
	KeepPrefix bool
}

// Redact returns a copy of c fit to share outside the team: identities
// are replaced with typed placeholders that stay the same within the
// report. set holds the records c was built from; redaction learns the
// names to hide from them (principal names, display names, devices,
// policies, applications, named locations, offices).
//
// What goes: users (user_1, user_2; a person's principal name, display name,
// mail and object id share one placeholder), the tenant's domains
// ([INTERNAL_DOMAIN_1]), addresses ([EXTERNAL_IP_1], or the masked prefix
// with KeepPrefix; private ones [INTERNAL_IP_1]), named locations and
// offices ([SITE_1]), Conditional Access policies ([CA_POLICY_1]), the
// tenant's and third parties' applications ([CUSTOM_APP_1]), devices
// ([DEVICE_1]), groups, organisations, phone numbers, GUIDs and other
// record ids, and the cities of addresses that are not the attacker's
// ([CITY_1]), whose coordinates are rounded to whole degrees.
//
// What stays: countries, the cities of attacker addresses, networks (AS
// numbers and names), error codes, MITRE ATT&CK ids, Microsoft's own
// applications, times and counts. A city that is both the attacker's and
// the user's is hidden.
func Redact(c *investigate.Case, set *ingest.Set, opt RedactOptions) *investigate.Case {
	r := newRedactor(learn(c, set), opt)
	// Coordinates are rounded on a plain copy first: the roles that decide
	// which to round are matched by address, before addresses are hidden.
	out := rewriteStrings(c, func(s string) string { return s })
	roundPlaces(out)
	return rewriteStrings(out, r.text)
}

// redactor holds the placeholders given so far, so the same value gets the
// same placeholder everywhere in one report.
type redactor struct {
	opt     RedactOptions
	v       *vocabulary
	known   *regexp.Regexp // every learned value, longest first
	given   map[string]string
	counter map[class]int
	// inPrefix counts, per kept prefix, the addresses given a number in it
	// (KeepPrefix), so that two addresses of one /24 stay two.
	inPrefix map[string]int
}

func newRedactor(v *vocabulary, opt RedactOptions) *redactor {
	r := &redactor{opt: opt, v: v, given: map[string]string{}, counter: map[class]int{},
		inPrefix: map[string]int{}}
	values := make([]string, 0, len(v.entity))
	for k := range v.entity {
		values = append(values, k)
	}
	// Longest first, so a principal name wins over its domain.
	sort.Slice(values, func(i, j int) bool {
		if len(values[i]) != len(values[j]) {
			return len(values[i]) > len(values[j])
		}
		return values[i] < values[j]
	})
	if len(values) > 0 {
		quoted := make([]string, len(values))
		for i, s := range values {
			quoted[i] = regexp.QuoteMeta(s)
		}
		r.known = regexp.MustCompile("(?i)" + strings.Join(quoted, "|"))
	}
	return r
}

// placeholder returns the placeholder of an entity, giving the next number
// of its class the first time the entity is met.
func (r *redactor) placeholder(key string, cl class) string {
	if p, ok := r.given[key]; ok {
		return p
	}
	r.counter[cl]++
	p := cl.format(r.counter[cl])
	r.given[key] = p
	return p
}

// text redacts one string: learned values first, then the patterns that
// catch what no record named (addresses, GUIDs, mail addresses, phones).
func (r *redactor) text(s string) string {
	if s == "" {
		return s
	}
	if r.known != nil {
		s = replaceWords(s, r.known, r.knownEdge, func(m string) (string, bool) {
			key, ok := r.v.entity[strings.ToLower(m)]
			if !ok {
				return "", false
			}
			return r.placeholder(key, r.v.class[key]), true
		})
	}
	for _, p := range patterns {
		s = replaceWords(s, p.re, p.edge, func(m string) (string, bool) { return p.fn(r, m) })
	}
	return s
}

// knownEdge is wordEdge, except that a domain right after an @ is left to
// the mail-address pattern, which hides the whole address.
func (r *redactor) knownEdge(s string, i, j int) bool {
	if !wordEdge(s, i, j) {
		return false
	}
	key := r.v.entity[strings.ToLower(s[i:j])]
	return !(i > 0 && s[i-1] == '@' && r.v.class[key] == classDomain)
}

// replaceWords replaces the matches of re for which fn says so, but only
// those that edge accepts as standing on their own: with wordEdge, a match
// that continues a word or a number is left alone ("Mail" does not eat
// "Mailbox").
func replaceWords(s string, re *regexp.Regexp, edge func(s string, i, j int) bool,
	fn func(string) (string, bool)) string {
	locs := re.FindAllStringIndex(s, -1)
	if locs == nil {
		return s
	}
	var b strings.Builder
	last := 0
	for _, l := range locs {
		m := s[l[0]:l[1]]
		if !edge(s, l[0], l[1]) {
			continue
		}
		rep, ok := fn(m)
		if !ok {
			continue
		}
		b.WriteString(s[last:l[0]])
		b.WriteString(rep)
		last = l[1]
	}
	if last == 0 {
		return s
	}
	b.WriteString(s[last:])
	return b.String()
}

// wordEdge reports whether s[i:j] is not glued to a letter or digit on a
// side where the match itself starts or ends with one.
func wordEdge(s string, i, j int) bool {
	first, _ := utf8.DecodeRuneInString(s[i:])
	lastR, _ := utf8.DecodeLastRuneInString(s[:j])
	if i > 0 && isWord(first) {
		if prev, _ := utf8.DecodeLastRuneInString(s[:i]); isWord(prev) {
			return false
		}
	}
	if j < len(s) && isWord(lastR) {
		if next, _ := utf8.DecodeRuneInString(s[j:]); isWord(next) {
			return false
		}
	}
	return true
}

func isWord(r rune) bool { return r == '_' || unicode.IsLetter(r) || unicode.IsDigit(r) }

// roundPlaces rounds to whole degrees the coordinates of every address
// that is not the attacker's, so the map shows the user's country but not
// their town.
func roundPlaces(c *investigate.Case) {
	attacker := map[string]bool{}
	for i := range c.IPs {
		ip := &c.IPs[i]
		if ip.Role == "suspicious" {
			attacker[ip.IP] = true
			continue
		}
		ip.Lat, ip.Lon = math.Round(ip.Lat), math.Round(ip.Lon)
	}
	for i := range c.Hops {
		for _, p := range []*investigate.Place{&c.Hops[i].From, &c.Hops[i].To} {
			if !attacker[p.IP] {
				p.Lat, p.Lon = math.Round(p.Lat), math.Round(p.Lon)
			}
		}
	}
}

// class is a kind of placeholder.
type class string

// Placeholder classes.
const (
	classUser    class = "user"
	classDomain  class = "INTERNAL_DOMAIN"
	classExtIP   class = "EXTERNAL_IP"
	classExtNet  class = "EXTERNAL_NETWORK"
	classIntIP   class = "INTERNAL_IP"
	classSite    class = "SITE"
	classPolicy  class = "CA_POLICY"
	classApp     class = "CUSTOM_APP"
	classDevice  class = "DEVICE"
	classGroup   class = "GROUP"
	classOrg     class = "ORGANIZATION"
	classCity    class = "CITY"
	classPhone   class = "PHONE"
	classGUID    class = "GUID"
	classID      class = "ID"
	classExtUser class = "EXTERNAL_USER"
)

func (c class) format(n int) string {
	if c == classUser {
		return fmt.Sprintf("user_%d", n)
	}
	return fmt.Sprintf("[%s_%d]", c, n)
}
