package report

import (
	"math"
	"strings"
	"testing"

	"github.com/idtriage/idtriage/internal/ingest"
	"github.com/idtriage/idtriage/internal/investigate"
)

// testVocabulary is a small tenant: one user, one policy, one custom and
// one Microsoft application, a device and a named location.
func testVocabulary() *vocabulary {
	v := &vocabulary{entity: map[string]string{}, class: map[string]class{},
		internal: map[string]bool{}}
	v.user("ana@contoso.com", "5b1f0e7a-1111-4222-8333-944445555666", "Ana Reyes")
	v.add(classPolicy, "p1", "CA001 - Block high-risk sign-ins")
	v.app("0d9c5d1e-aaaa-4bbb-8ccc-ddddeeeeffff", "Payroll Portal")
	v.app("c44b4083-3bb0-49c1-b47d-974e53cbdf3c", "Azure Portal")
	v.add(classDevice, "LAPTOP-ANA-01", "LAPTOP-ANA-01")
	v.add(classSite, "HQ Campus", "HQ Campus")
	v.add(classDomain, "contoso.com", "contoso.com")
	return v
}

func TestRedactText(t *testing.T) {
	tests := []struct {
		name, in, want string
		keep           bool
	}{
		{"principal name", "ana@contoso.com signed in", "user_1 signed in", false},
		{"one person, three names",
			"Ana Reyes (ANA@contoso.com, 5b1f0e7a-1111-4222-8333-944445555666)",
			"user_1 (user_1, user_1)", false},
		{"unknown colleague", "mail to bob@contoso.com", "mail to user_1", false},
		{"outside mail", "guest eve@gmail.com", "guest [EXTERNAL_USER_1]", false},
		{"domain alone", "contoso.com tenant", "[INTERNAL_DOMAIN_1] tenant", false},
		{"same address twice", "from 186.2.128.77 and 186.2.128.77",
			"from [EXTERNAL_IP_1] and [EXTERNAL_IP_1]", false},
		{"two addresses", "186.2.128.77 then 103.106.24.57", "[EXTERNAL_IP_1] then [EXTERNAL_IP_2]",
			false},
		{"keep /24", "from 186.2.128.77", "from 186.2.128.x1", true},
		{"keep /24, two in one", "186.2.128.77, 186.2.128.14, 186.2.128.77 and 103.106.24.57",
			"186.2.128.x1, 186.2.128.x2, 186.2.128.x1 and 103.106.24.x1", true},
		{"keep /48", "from 2001:db8:85a3::8a2e:370:7334", "from 2001:db8:85a3:x:x:x:x:x1", true},
		{"ipv6", "from 2001:DB8:85A3::8A2E:370:7334 (HN)", "from [EXTERNAL_IP_1] (HN)", false},
		{"private", "from 10.0.0.5", "from [INTERNAL_IP_1]", true},
		{"network", "networks 186.2.128.0/24 (52)", "networks [EXTERNAL_NETWORK_1] (52)", false},
		{"network kept", "networks 186.2.128.0/24 (52)", "networks 186.2.128.x/24 (52)", true},
		{"version number", "Chrome/141.0.0.0 Safari/537.36", "Chrome/141.0.0.0 Safari/537.36",
			false},
		{"clock", "at 2026-11-17 12:31:05 UTC", "at 2026-11-17 12:31:05 UTC", false},
		{"codes and techniques", "53003 and 50126, T1078.004, AS27884 in Honduras (HN)",
			"53003 and 50126, T1078.004, AS27884 in Honduras (HN)", false},
		{"guid in an id", "audit SSPR_00010003-0000-4000-8000-000000000007_ICFW1_65238337",
			"audit SSPR_[GUID_1]_ICFW1_65238337", false},
		{"hex id", "risk 37d5b09b2f8d4a5f7308ae703d45440d11756edb54b15cf08bd7f91a07398ba0",
			"risk [ID_1]", false},
		{"policy", "through CA001 - Block high-risk sign-ins (3)", "through [CA_POLICY_1] (3)",
			false},
		{"apps", "to Payroll Portal and Azure Portal", "to [CUSTOM_APP_1] and Azure Portal",
			false},
		{"device", "devices LAPTOP-ANA-01 (52)", "devices [DEVICE_1] (52)", false},
		{"site", "named location HQ Campus", "named location [SITE_1]", false},
		{"not inside a word", "HQ Campuses", "HQ Campuses", false},
		{"phone", "phone +1 425 555 0100 verified", "phone [PHONE_1] verified", false},
		{"masked phone", "phone +X XXXXXXXX12", "phone [PHONE_1]", false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := newRedactor(testVocabulary(), RedactOptions{KeepPrefix: tt.keep})
			if got := r.text(tt.in); got != tt.want {
				t.Errorf("text(%q)\n got %q\nwant %q", tt.in, got, tt.want)
			}
		})
	}
}

func exampleCase(t *testing.T) (*investigate.Case, *ingest.Set) {
	t.Helper()
	set, err := ingest.Read([]string{exampleDir}, ingest.Options{})
	if err != nil {
		t.Fatal(err)
	}
	c, err := investigate.Run(set, investigate.DefaultConfig())
	if err != nil {
		t.Fatal(err)
	}
	return c, set
}

func TestRedactExample(t *testing.T) {
	c, set := exampleCase(t)
	red := Redact(c, set, RedactOptions{})

	if red.User != "user_1" || c.User == "user_1" {
		t.Errorf("user = %q (original %q); want user_1 and the original untouched", red.User,
			c.User)
	}
	if red.Verdict.Label != c.Verdict.Label || len(red.Findings) != len(c.Findings) {
		t.Error("redaction changed the verdict or the findings")
	}

	// The same address gets the same placeholder in every part of the case.
	byOriginal := map[string]string{}
	for i, ip := range c.IPs {
		byOriginal[ip.IP] = red.IPs[i].IP
	}
	for i, e := range c.Timeline {
		if want, ok := byOriginal[e.IP]; ok && red.Timeline[i].IP != want {
			t.Errorf("timeline %d: address %q, want %q as in the address table", i,
				red.Timeline[i].IP, want)
		}
	}

	var md strings.Builder
	if err := Markdown(&md, red); err != nil {
		t.Fatal(err)
	}
	out := md.String()
	for _, keep := range []string{"Dhaka", "Bangladesh", "Honduras", "53003", "T1078.004",
		"Azure Portal", "OnPremisesPolicyViolation"} {
		if !strings.Contains(out, keep) {
			t.Errorf("redacted report lost %q, which should stay", keep)
		}
	}
	for _, gone := range []string{"Tegucigalpa", "Zendesk", "CX-LAPTOP-117", "CA001",
		"Ana Reyes", "Example Contact Center"} {
		if strings.Contains(out, gone) {
			t.Errorf("redacted report still says %q", gone)
		}
	}

	// The user's home is on the map to the degree, the attacker's as logged.
	for i, ip := range red.IPs {
		whole := ip.Lat == math.Round(ip.Lat) && ip.Lon == math.Round(ip.Lon)
		if ip.Role != "suspicious" && !whole {
			t.Errorf("%s (%s) keeps precise coordinates %v,%v", ip.IP, ip.Role, ip.Lat, ip.Lon)
		}
		if ip.Role == "suspicious" && (ip.Lat != c.IPs[i].Lat || ip.Lon != c.IPs[i].Lon) {
			t.Errorf("attacker address %s lost its coordinates", ip.IP)
		}
	}
}
