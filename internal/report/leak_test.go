package report

import (
	"bytes"
	"encoding/json"
	"html"
	"net/netip"
	"path/filepath"
	"regexp"
	"sort"
	"strings"
	"testing"

	"github.com/idtriage/idtriage/internal/entra"
	"github.com/idtriage/idtriage/internal/ingest"
	"github.com/idtriage/idtriage/internal/investigate"
)

// Where the leak test finds its cases: the reference example, every
// fixture case, and the real public samples, read in place beside the
// clone as CI lays them.
const (
	exampleDir  = "../../examples/sspr-takeover"
	fixtureGlob = "../investigate/testdata/cases/*"
	corpusGlob  = "../../../shared/corpus/real/*/*"
	// corpusUsers caps the users investigated per corpus file.
	corpusUsers = 2
)

// leakCase is one investigation whose redacted reports must not leak.
type leakCase struct {
	name string
	set  *ingest.Set
	user string
}

func leakCases(t *testing.T) []leakCase {
	t.Helper()
	read := func(path string) *ingest.Set {
		set, err := ingest.Read([]string{path}, ingest.Options{})
		if err != nil {
			t.Fatalf("read %s: %v", path, err)
		}
		return set
	}
	cases := []leakCase{{name: "example", set: read(exampleDir)}}
	fixtures, _ := filepath.Glob(fixtureGlob)
	for _, dir := range fixtures {
		cases = append(cases, leakCase{name: filepath.Base(dir), set: read(dir)})
	}
	if len(fixtures) == 0 {
		t.Fatalf("no fixture case under %s", fixtureGlob)
	}

	files, _ := filepath.Glob(corpusGlob)
	if len(files) == 0 {
		t.Fatalf("no corpus sample under %s: CI lays shared/ beside the clone", corpusGlob)
	}
	for _, f := range files {
		if filepath.Base(f) == "SOURCES.md" {
			continue
		}
		set := read(f)
		for i, u := range usersIn(set) {
			if i == corpusUsers {
				break
			}
			name := filepath.Base(filepath.Dir(f)) + "/" + filepath.Base(f) + "#" + u
			cases = append(cases, leakCase{name: name, set: set, user: u})
		}
	}
	return cases
}

// usersIn lists the principal names of a set, sorted.
func usersIn(set *ingest.Set) []string {
	seen := map[string]bool{}
	add := func(upn string) {
		if k := entra.NormalizeUPN(upn); k != "" {
			seen[k] = true
		}
	}
	for i := range set.SignIns {
		if !set.SignIns[i].IsServicePrincipal() {
			add(set.SignIns[i].UserPrincipalName)
		}
	}
	for i := range set.Risks {
		add(set.Risks[i].UserPrincipalName)
	}
	for i := range set.RiskyUsers {
		add(set.RiskyUsers[i].UserPrincipalName)
	}
	out := make([]string, 0, len(seen))
	for k := range seen {
		out = append(out, k)
	}
	sort.Strings(out)
	return out
}

// secret is one original value that no redacted report may contain.
type secret struct {
	kind, value string
}

var guidRE = regexp.MustCompile(`(?i)[0-9a-f]{8}(?:-[0-9a-f]{4}){3}-[0-9a-f]{12}`)

// secrets gathers the originals straight from the records, independently
// of what redaction learned: principal names, their domains, user display
// names, addresses, device names and every GUID anywhere in the records.
func secrets(t *testing.T, set *ingest.Set) []secret {
	t.Helper()
	seen := map[secret]bool{}
	add := func(kind, v string) {
		v = strings.ToLower(strings.TrimSpace(v))
		if len(v) < minValue || entra.NormalizeUPN(v) == "" {
			return
		}
		seen[secret{kind, v}] = true
	}
	upn := func(v string) {
		add("principal name", v)
		if at := strings.LastIndexByte(v, '@'); at >= 0 {
			add("domain", v[at+1:])
		}
	}
	addr := func(v string) {
		if a, err := netip.ParseAddr(strings.TrimSpace(v)); err == nil {
			add("address", v)
			add("address", a.Unmap().String())
		}
	}
	for i := range set.SignIns {
		s := &set.SignIns[i]
		if !s.IsServicePrincipal() {
			upn(s.UserPrincipalName)
			add("user name", s.UserDisplayName)
		}
		addr(s.IPRaw)
		add("device name", s.Device.DisplayName)
	}
	for i := range set.Audits {
		a := &set.Audits[i]
		addr(a.Actor.IPRaw)
		if a.Actor.Type == entra.ActorUser {
			upn(a.Actor.UserPrincipalName)
			add("user name", a.Actor.DisplayName)
		}
		for _, tg := range a.Targets {
			upn(tg.UserPrincipalName)
			if strings.EqualFold(tg.Type, "user") {
				add("user name", tg.DisplayName)
			}
		}
	}
	for i := range set.Risks {
		upn(set.Risks[i].UserPrincipalName)
		add("user name", set.Risks[i].UserDisplayName)
		addr(set.Risks[i].IPRaw)
	}
	for i := range set.RiskyUsers {
		upn(set.RiskyUsers[i].UserPrincipalName)
		add("user name", set.RiskyUsers[i].UserDisplayName)
	}
	for i := range set.Users {
		upn(set.Users[i].UserPrincipalName)
		upn(set.Users[i].Mail)
		add("user name", set.Users[i].DisplayName)
	}
	for i := range set.IPs {
		addr(set.IPs[i].IP)
	}
	raw, err := json.Marshal(set)
	if err != nil {
		t.Fatal(err)
	}
	for _, g := range guidRE.FindAllString(string(raw), -1) {
		add("GUID", g)
	}

	out := make([]secret, 0, len(seen))
	for s := range seen {
		out = append(out, s)
	}
	sort.Slice(out, func(i, j int) bool { return out[i].value < out[j].value })
	return out
}

// readable undoes each format's escaping, so that an escaped leak
// ("ana\_reyes" in Markdown, "O&#39;Brien" in HTML) is still found.
func readable(format, s string) string {
	switch format {
	case "md":
		s = strings.ReplaceAll(s, `\`, "")
	case "html":
		s = html.UnescapeString(s)
	}
	return strings.ToLower(s)
}

// contains finds v in s as a whole token: for addresses, not inside a
// longer number; for names, not inside a longer word.
func contains(s string, sec secret) bool {
	glue := func(b byte) bool {
		if sec.kind == "address" {
			return b >= '0' && b <= '9' || b == '.' || b == ':' ||
				(b >= 'a' && b <= 'f' && strings.Contains(sec.value, ":"))
		}
		return b >= '0' && b <= '9' || b >= 'a' && b <= 'z'
	}
	for i := 0; ; {
		j := strings.Index(s[i:], sec.value)
		if j < 0 {
			return false
		}
		start, end := i+j, i+j+len(sec.value)
		edge := func(k int, inner byte) bool { return !glue(inner) || !glue(s[k]) }
		if (start == 0 || edge(start-1, sec.value[0])) &&
			(end == len(s) || edge(end, sec.value[len(sec.value)-1])) {
			return true
		}
		i = start + 1
	}
}

func TestRedactedReportsDoNotLeak(t *testing.T) {
	cases := leakCases(t)
	ran := 0
	for _, lc := range cases {
		cfg := investigate.DefaultConfig()
		cfg.User = lc.user
		c, err := investigate.Run(lc.set, cfg)
		if err != nil {
			t.Logf("%s: not investigated: %v", lc.name, err)
			continue
		}
		ran++
		secs := secrets(t, lc.set)
		for _, keep := range []bool{false, true} {
			red := Redact(c, lc.set, RedactOptions{KeepPrefix: keep})
			for _, format := range Formats {
				var buf bytes.Buffer
				if err := Write(&buf, red, format); err != nil {
					t.Fatalf("%s %s: %v", lc.name, format, err)
				}
				out := readable(format, buf.String())
				for _, s := range secs {
					if contains(out, s) {
						t.Errorf("%s: %s report (keep prefix %v) leaks %s %q", lc.name, format,
							keep, s.kind, s.value)
					}
				}
			}
		}
	}
	t.Logf("%d cases, %d investigated and scanned", len(cases), ran)
	if ran < len(cases)/2 {
		t.Errorf("only %d of %d cases could be investigated", ran, len(cases))
	}
}
