package report

import (
	"fmt"
	"net/netip"
	"regexp"
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"
)

// pattern catches a kind of identifier by its shape, for values no record
// field named: an address quoted in a problem line, a GUID inside an audit
// id, a phone number in a modified property. fn returns the replacement,
// or false to leave the match alone; edge says whether a match stands on
// its own in the text around it.
type pattern struct {
	re   *regexp.Regexp
	edge func(s string, i, j int) bool
	fn   func(r *redactor, m string) (string, bool)
}

// patterns run in order after the learned values.
var patterns = []pattern{
	{regexp.MustCompile(`[A-Za-z0-9._%+'#-]+@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)+`), wordEdge,
		mailAddress},
	// Ids are often glued into longer ones with underscores
	// ("SSPR_<guid>_ICFW1"), so only letters and digits count as glue.
	{regexp.MustCompile(`[0-9A-Fa-f]{8}(?:-[0-9A-Fa-f]{4}){3}-[0-9A-Fa-f]{12}`), alnumEdge,
		byClass(classGUID)},
	{regexp.MustCompile(`[0-9A-Fa-f]{32,}`), alnumEdge, hexID},
	{regexp.MustCompile(`\d{1,3}(?:\.\d{1,3}){3}(?:/\d{1,2})?`), addressEdge, address},
	{regexp.MustCompile(`[0-9A-Fa-f]{0,4}(?::[0-9A-Fa-f]{0,4}){2,7}(?:/\d{1,3})?`), wordEdge,
		address},
	{regexp.MustCompile(`\+\d{1,3}[ .-]?(?:\(\d{1,4}\)[ .-]?)?\d[\d .-]{5,14}\d`), wordEdge,
		byClass(classPhone)},
	// Entra masks phone numbers in audit details as "+X XXXXXXXX12".
	{regexp.MustCompile(`\+X[ X]{5,}\d{2}`), wordEdge, byClass(classPhone)},
}

// alnumEdge is wordEdge with the underscore as a separator.
func alnumEdge(s string, i, j int) bool {
	glued := func(r rune) bool { return unicode.IsLetter(r) || unicode.IsDigit(r) }
	if i > 0 {
		if prev, _ := utf8.DecodeLastRuneInString(s[:i]); glued(prev) {
			return false
		}
	}
	if j < len(s) {
		if next, _ := utf8.DecodeRuneInString(s[j:]); glued(next) {
			return false
		}
	}
	return true
}

// addressEdge is wordEdge, and also rejects a dotted quad right after a
// word and a slash, which is a version number ("Chrome/141.0.0.0"), and one
// followed by a dot and a digit (a longer version).
func addressEdge(s string, i, j int) bool {
	if !wordEdge(s, i, j) {
		return false
	}
	if i >= 2 && s[i-1] == '/' {
		if prev, _ := utf8.DecodeLastRuneInString(s[:i-1]); isWord(prev) {
			return false
		}
	}
	return !(j+1 < len(s) && s[j] == '.' && s[j+1] >= '0' && s[j+1] <= '9')
}

func byClass(cl class) func(*redactor, string) (string, bool) {
	return func(r *redactor, m string) (string, bool) {
		return r.placeholder(string(cl)+":"+strings.ToLower(m), cl), true
	}
}

// hexID hides long hexadecimal record ids (risk detection ids are 64 hex
// digits), but not a run of digits alone, which is a count or a code.
func hexID(r *redactor, m string) (string, bool) {
	if strings.Trim(m, "0123456789") == "" {
		return "", false
	}
	return byClass(classID)(r, m)
}

// mailAddress gives a mail address of the tenant's domains a user
// placeholder and any other an outside one.
func mailAddress(r *redactor, m string) (string, bool) {
	d := strings.ToLower(m[strings.LastIndexByte(m, '@')+1:])
	cl := classExtUser
	if r.v.internal[d] {
		cl = classUser
	}
	return r.placeholder(string(cl)+":"+strings.ToLower(m), cl), true
}

// address hides an IP address or network. Anything that does not parse
// stays (times such as 12:31:05 match the IPv6 shape).
func address(r *redactor, m string) (string, bool) {
	text, bits, _ := strings.Cut(m, "/")
	a, err := netip.ParseAddr(text)
	if err != nil || !strings.ContainsAny(text, "0123456789abcdefABCDEF") {
		return "", false
	}
	a = a.Unmap()
	if internalAddr(a) {
		return r.placeholder("ip:"+a.String(), classIntIP), true
	}
	if r.opt.KeepPrefix {
		p := maskedPrefix(a)
		if bits != "" {
			return p + "/" + bits, true
		}
		return r.numbered(a, p), true
	}
	if bits != "" {
		return r.placeholder("net:"+strings.ToLower(m), classExtNet), true
	}
	return r.placeholder("ip:"+a.String(), classExtIP), true
}

// numbered gives an address kept by its prefix p a number among the
// addresses of that prefix, in the order they are met: 186.2.128.x1,
// 186.2.128.x2. Without it two addresses of one /24 read as one (a
// tryout's find: two rows of a report's address table looked the same).
func (r *redactor) numbered(a netip.Addr, p string) string {
	key := "kp:" + a.String()
	if s, ok := r.given[key]; ok {
		return s
	}
	r.inPrefix[p]++
	s := p + strconv.Itoa(r.inPrefix[p])
	r.given[key] = s
	return s
}

// maskedPrefix keeps the /24 of an IPv4 address and the /48 of an IPv6
// one: 186.2.128.x, 2001:db8:85a3:x:x:x:x:x (numbered renders an address).
func maskedPrefix(a netip.Addr) string {
	b := a.As16()
	if a.Is4() {
		v4 := a.As4()
		return fmt.Sprintf("%d.%d.%d.x", v4[0], v4[1], v4[2])
	}
	return fmt.Sprintf("%x:%x:%x:x:x:x:x:x", uint16(b[0])<<8|uint16(b[1]),
		uint16(b[2])<<8|uint16(b[3]), uint16(b[4])<<8|uint16(b[5]))
}

// cgnat is the shared address space of carrier-grade NAT (RFC 6598).
var cgnat = netip.MustParsePrefix("100.64.0.0/10")

// internalAddr reports addresses that only mean something inside one
// network: private, loopback, link-local, unique-local and CGNAT.
func internalAddr(a netip.Addr) bool {
	return a.IsPrivate() || a.IsLoopback() || a.IsLinkLocalUnicast() || a.IsUnspecified() ||
		cgnat.Contains(a)
}
