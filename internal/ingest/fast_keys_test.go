package ingest

import (
	"math/rand/v2"
	"testing"
)

// findSlowly is what keyTable.find must answer: the id of the name equal
// to k when ASCII letters are folded, or -1.
func findSlowly(names []string, k []byte) int {
	for id, n := range names {
		if len(n) == len(k) && foldEqualASCII(n, k) {
			return id
		}
	}
	return -1
}

func TestKeyTableFind(t *testing.T) {
	names := []string{"id", "ip", "type", "status", "location", "ipAddress",
		"createdDateTime", "userPrincipalName", "authenticationDetails",
		"authenticationProtocol", "authenticationProcessingDetails", "@odata.type",
		"riskEventTypes_v2", "riskEventTypes", "abcdefgh", "abcdefghi", "x[y]z"}
	table := newKeyTable(names...)

	cases := []struct {
		key  string
		want int
	}{
		{"id", 0},
		{"ID", 0},
		{"iD", 0},
		{"ipaddress", 5},
		{"IPADDRESS", 5},
		{"CreatedDateTime", 6},
		{"authenticationprotocol", 9},
		{"authenticationProtocoL", 9},
		{"authenticationProtocols", -1},
		{"authenticationProtocal", -1},
		{"authenticationProcessingDetailz", -1},
		{"@ODATA.TYPE", 11},
		{"`odata.type", -1}, // '`' is '@' with the case bit, not a letter
		{"@odata\x0etype", -1},
		{"riskEventTypes_V2", 12},
		{"riskEventTypes\x7fv2", -1}, // '_' with the case bit is not a letter
		{"riskeventtypes", 13},
		{"abcdefgh", 14},
		{"ABCDEFGHI", 15},
		{"abcdefgj", -1},
		{"x{y]z", -1},
		{"", -1},
		{"i", -1},
		{"unknownKeyThatIsLong", -1},
	}
	for _, c := range cases {
		// A key as read from a record (room after it) and one with none.
		inRecord := append([]byte(c.key), `":"value"}`...)[:len(c.key)]
		exact := []byte(c.key)[:len(c.key):len(c.key)]
		for _, k := range [][]byte{inRecord, exact} {
			if got := table.find(k); got != c.want {
				t.Errorf("find(%q, cap %d) = %d, want %d", c.key, cap(k), got, c.want)
			}
		}
	}
}

// TestKeyTableFindMutations checks find against the slow answer for keys
// made by changing a name: a byte's case bit flipped, a byte replaced,
// a byte dropped or added, the whole name folded.
func TestKeyTableFindMutations(t *testing.T) {
	names := []string{"id", "createdDateTime", "originalRequestId", "userId",
		"userPrincipalName", "servicePrincipalId", "appId", "appDisplayName",
		"resourceDisplayName", "clientAppUsed", "userAgent", "ipAddress",
		"autonomousSystemNumber", "location", "locationDetails", "deviceDetail",
		"networkLocationDetails", "status", "resultType", "authenticationDetails",
		"@odata.type", "ip", "value", "records", "riskEventTypes_v2"}
	table := newKeyTable(names...)
	r := rand.New(rand.NewPCG(1, 2))
	alphabet := []byte("aAzZ@`[{_\x7f.09 \xc3\xa9")

	misses, hits := 0, 0
	for range 200000 {
		k := []byte(names[r.IntN(len(names))])
		switch r.IntN(5) {
		case 0:
			if len(k) > 0 {
				k[r.IntN(len(k))] ^= 0x20
			}
		case 1:
			if len(k) > 0 {
				k[r.IntN(len(k))] = alphabet[r.IntN(len(alphabet))]
			}
		case 2:
			if len(k) > 1 {
				i := r.IntN(len(k))
				k = append(k[:i], k[i+1:]...)
			}
		case 3:
			i := r.IntN(len(k) + 1)
			k = append(k[:i], append([]byte{alphabet[r.IntN(len(alphabet))]}, k[i:]...)...)
		case 4:
			for i, c := range k {
				if c >= 'a' && c <= 'z' {
					k[i] = c - 0x20
				}
			}
		}
		want := findSlowly(names, k)
		if got := table.find(k); got != want {
			t.Fatalf("find(%q) = %d, want %d", k, got, want)
		}
		if want < 0 {
			misses++
		} else {
			hits++
		}
	}
	if misses < 10000 || hits < 10000 {
		t.Fatalf("the mutations gave %d hits and %d misses; both should be common", hits, misses)
	}
}
