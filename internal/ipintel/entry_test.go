package ipintel

import (
	"testing"

	"github.com/idtriage/idtriage/internal/entra"
)

// TestEntryIsWhatLookupCopies: Entry finds the record Lookup copies under
// every spelling, nil for an address no source described, and the same
// record later, with what the table learned since.
func TestEntryIsWhatLookupCopies(t *testing.T) {
	tab := New()
	tab.AddSignIn(&entra.SignIn{IPRaw: "2001:db8::a"})
	tab.AddSignIn(&entra.SignIn{IPRaw: "::ffff:198.51.100.7", ASN: 7})
	for _, raw := range []string{"2001:db8::a", "2001:DB8:0:0::A", " 2001:db8::a ",
		"198.51.100.7", "::ffff:198.51.100.7"} {
		f := tab.Entry(raw)
		if f == nil || *f != tab.Lookup(raw) {
			t.Errorf("Entry(%q) = %+v, want what Lookup gives, %+v", raw, f, tab.Lookup(raw))
		}
	}
	if f := tab.Entry("203.0.113.9"); f != nil {
		t.Errorf("Entry of an address never added = %+v, want nil", f)
	}

	kept := tab.Entry("2001:db8::a")
	tab.AddSignIn(&entra.SignIn{IPRaw: "203.0.113.9"}) // the table grows
	tab.AddSignIn(&entra.SignIn{IPRaw: "2001:db8::a", ASN: 64500,
		Location: entra.Location{Country: "NL"}})
	tab.AddIPInfo(&entra.IPInfo{IP: "2001:DB8::A", VPNScore: 90})
	if now := tab.Entry("2001:db8::a"); now != kept {
		t.Fatal("Entry gave another record after the table learned more")
	}
	if f := tab.Lookup("2001:db8::a"); *kept != f || f.Country != "NL" || f.VPNScore != 90 {
		t.Errorf("kept record = %+v, want what Lookup gives now, %+v", *kept, f)
	}
}
