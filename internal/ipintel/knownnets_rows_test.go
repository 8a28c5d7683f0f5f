package ipintel

import (
	"context"
	"errors"
	"strings"
	"testing"
)

// TestParseKnownNetworksKeepsGoodRows checks that a bad row of a
// known-networks file is reported by file and line and the other rows are
// read: one bad row once discarded the whole file.
func TestParseKnownNetworksKeepsGoodRows(t *testing.T) {
	tests := []struct {
		name, text string
		names      []string // the networks read
		bad        []string // each bad row's error holds one, in order
	}{
		{"bad trusted in the middle", "cidr,name,trusted\n10.0.0.0/8,LAN,true\n" +
			"10.1.0.0/16,VPN,maybe\n192.0.2.0/24,HQ,no\n", []string{"LAN", "HQ"},
			[]string{`nets.csv:3: trusted is "maybe"`}},
		{"several kinds", "# offices\n10.0.0.0/33,x,true\n10.2.0.0/16,Lab\n" +
			"10.3.0.0/16,,true\n192.0.2.0/24,HQ,yes\n", []string{"HQ"},
			[]string{`nets.csv:2: "10.0.0.0/33" is neither`, "nets.csv:3: 2 fields, want 3",
				"nets.csv:4: network 10.3.0.0/16 has no name"}},
		{"bare quote", "10.0.0.0/8,LAN,true\n10.1.0.0/16,V\"PN,true\n192.0.2.0/24,HQ,no\n",
			[]string{"LAN", "HQ"}, []string{"read nets.csv: parse error on line 2"}},
		{"every row bad", "10.0.0.0/8,x\n", nil, []string{"nets.csv:1: 2 fields, want 3"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			nets, err := ParseKnownNetworks(strings.NewReader(tt.text), "nets.csv")
			var names []string
			for _, n := range nets {
				names = append(names, n.Name)
			}
			if strings.Join(names, ",") != strings.Join(tt.names, ",") {
				t.Errorf("networks %v, want %v", names, tt.names)
			}
			var rows *BadRowsError
			if !errors.As(err, &rows) || len(rows.Rows) != len(tt.bad) {
				t.Fatalf("err = %v, want %d bad rows", err, len(tt.bad))
			}
			for i, want := range tt.bad {
				if !strings.Contains(rows.Rows[i].Error(), want) {
					t.Errorf("bad row %d: %v, want it to contain %q", i, rows.Rows[i], want)
				}
			}
		})
	}
}

// TestResolveKnownNetworksInPart checks that a resolver uses the good rows
// of a file with a bad one, and reports the source as read in part.
func TestResolveKnownNetworksInPart(t *testing.T) {
	nets := writeFile(t, "nets.csv", []byte("cidr,name,trusted\n"+
		"186.2.128.0/26,Home office,true\n10.0.0.0/16,Office LAN,perhaps\n"))
	r := Open(context.Background(), Config{KnownNetworks: nets})
	defer r.Close()
	tab := caseTable()
	rep := r.Resolve(context.Background(), tab, caseAddrs)

	if f := tab.Lookup("186.2.128.14"); f.Tenant != "Home office" || !f.TenantTrusted {
		t.Errorf("186.2.128.14: %+v, want the good row's network", f)
	}
	if st := sourceOf(rep, KindKnownNetworks); st.State != StatePartial ||
		!strings.Contains(st.Error, `nets.csv:3: trusted is "perhaps"`) {
		t.Errorf("status = %+v, want partial naming nets.csv:3", st)
	}
	gaps := strings.Join(rep.Gaps(), "\n")
	for _, want := range []string{"IP intelligence source read in part: known networks " +
		"nets.csv (", `nets.csv:3: trusted is "perhaps"`, "); its other rows were used"} {
		if !strings.Contains(gaps, want) {
			t.Errorf("gaps = %q, want them to contain %q", gaps, want)
		}
	}
}
