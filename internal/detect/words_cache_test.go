package detect

import (
	"fmt"
	"strings"
	"testing"

	"github.com/idtriage/idtriage/internal/entra"
)

// TestLexiconLegacyCached: the cached verdicts agree with the uncached
// ones, for the first sight of an agent, for the next, and past the
// cache's bound.
func TestLexiconLegacyCached(t *testing.T) {
	l := newLexicon(DefaultParams())
	tests := []struct {
		name string
		s    entra.SignIn
		want string
	}{
		{"agent in other case", entra.SignIn{UserAgent: "Mozilla bav2ropc/1"},
			"user agent BAV2ROPC"},
		{"browser", entra.SignIn{UserAgent: "Mozilla/5.0 (Windows NT 10.0)"}, ""},
		{"client app first", entra.SignIn{ClientAppUsed: "imap4", UserAgent: "BAV2ROPC"},
			"imap4"},
		{"protocol", entra.SignIn{AuthProtocol: "ropc", UserAgent: "Mozilla"}, "protocol ropc"},
	}
	for _, tt := range tests {
		for _, when := range []string{"first", "again", "past the bound"} {
			if when == "past the bound" {
				l.byAgent.known = map[string]string{}
				for i := range maxFolds {
					l.byAgent.get(fmt.Sprintf("other/%d", i))
				}
			}
			if got := l.legacy(&tt.s); got != tt.want {
				t.Errorf("%s, %s: legacy = %q, want %q", tt.name, when, got, tt.want)
			}
		}
	}
	if n := len(l.byAgent.known); n > maxFolds {
		t.Errorf("cache holds %d agents, want at most %d", n, maxFolds)
	}
}

// TestLexiconAdmin: the cached matches of application and resource names
// find the configured resource whatever the case and spacing, first and
// again.
func TestLexiconAdmin(t *testing.T) {
	l := newLexicon(DefaultParams())
	tests := []struct {
		name string
		s    entra.SignIn
		want string
	}{
		{"application", entra.SignIn{AppDisplayName: "azure-PORTAL"}, "Azure Portal"},
		{"resource when the application is not", entra.SignIn{AppDisplayName: "Teams",
			ResourceDisplayName: "Windows Azure Service Management API"},
			"Windows Azure Service Management API"},
		{"neither", entra.SignIn{AppDisplayName: "Teams", ResourceDisplayName: "Graph"}, ""},
		{"no names", entra.SignIn{}, ""},
	}
	for _, tt := range tests {
		for _, when := range []string{"first", "again"} {
			if got := l.admin(&tt.s); got != tt.want {
				t.Errorf("%s, %s: admin = %q, want %q", tt.name, when, got, tt.want)
			}
		}
	}
}

// TestMemoKeepsNoLongNames: a name past maxMemoKey is worked out but not
// kept, so long hostile names cannot fill memory.
func TestMemoKeepsNoLongNames(t *testing.T) {
	calls := 0
	m := newMemo(func(s string) int {
		calls++
		return len(s)
	})
	long := string(make([]byte, maxMemoKey+1))
	for range 2 {
		if got := m.get(long); got != maxMemoKey+1 {
			t.Fatalf("get(long) = %d, want %d", got, maxMemoKey+1)
		}
		if got := m.get("short"); got != 5 {
			t.Fatalf("get(short) = %d, want 5", got)
		}
	}
	if len(m.known) != 1 || calls != 3 {
		t.Errorf("kept %d names after %d calls; want the short one kept, 3 calls", len(m.known),
			calls)
	}
}

// TestLowerID: ids come back as strings.ToLower gives them, whether they
// are already in lower case (returned as they are) or not (from the cache).
func TestLowerID(t *testing.T) {
	l := newLexicon(DefaultParams())
	for _, s := range []string{"", "d3590ed6-52b3-4102-aeff-aad2292ab01c",
		"D3590ED6-52B3-4102-AEFF-AAD2292AB01C", "Mixed-Case-Id", "already lower", "@[`{",
		"İd-with-dotted-capital", "ünïcode-lower", "ÜNÏCODE-UPPER", "\xff\xfe"} {
		for _, when := range []string{"first", "again"} {
			if got, want := l.lowerID(s), strings.ToLower(s); got != want {
				t.Errorf("%s: lowerID(%q) = %q, want %q", when, s, got, want)
			}
		}
	}
}

// TestLexiconProtocols: a sign-in's flow matches a configured one by the
// configured name's fold (entra.Fold), exactly; of two configured names of
// one fold the later is the one named; an empty flow matches nothing, even
// an empty name.
func TestLexiconProtocols(t *testing.T) {
	p := DefaultParams()
	p.LegacyAuth.Protocols = []string{"ROPC", "", "Device Code", "ropc "}
	l := newLexicon(p)
	for _, tt := range []struct{ protocol, want string }{
		{"ropc", "protocol ropc "}, {"devicecode", "protocol Device Code"}, {"device code", ""},
		{"ROPC", ""}, {"", ""},
	} {
		if got := l.legacy(&entra.SignIn{AuthProtocol: tt.protocol}); got != tt.want {
			t.Errorf("flow %q: legacy = %q, want %q", tt.protocol, got, tt.want)
		}
	}
}
