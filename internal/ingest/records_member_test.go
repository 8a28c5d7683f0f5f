package ingest

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestRecordsMemberOfStrings: an object whose "records" (or "value") array
// holds strings is a record with such a member, not an Event Hub blob or a
// page. idtriage hunt's NDJSON alerts list record ids under "records";
// read back (an alerts file left in the export folder) they were taken for
// blobs and every id rejected as "a string, not an object" (a tryout's
// case). Now the file is passed over as holding no Entra ID record, by the
// whole read and the stream alike, in any block size; a blob of objects
// and an empty one are still blobs.
func TestRecordsMemberOfStrings(t *testing.T) {
	alert := `{"rule":"ENTRA-CA-BLOCK-BURST","title":"t","severity":"high",` +
		`"user":"ana@example.com","start":"2026-11-17T05:40:00Z","end":"2026-11-17T14:30:00Z",` +
		`"reason":"r","records":["00010001-0000-4000-8000-000000000039","id-2"]}`
	signIn := `{"time":"2026-03-02T08:00:00Z","category":"SignInLogs","properties":` +
		`{"id":"s1","createdDateTime":"2026-03-02T08:00:00Z","userPrincipalName":"a@example.com",` +
		`"ipAddress":"192.0.2.1","status":{"errorCode":0}}}`
	cases := []struct {
		name, text string
		signIns    int
		skipped    bool
		problems   int
	}{
		{"hunt alerts, one per line", alert + "\n" + alert + "\n", 0, true, 0},
		{"hunt alert, one object", alert, 0, true, 0},
		{"value of strings after a member", `{"note":"x","value":["a","b"]}`, 0, true, 0},
		{"event hub blob", `{"records":[` + signIn + `]}`, 1, false, 0},
		{"event hub blob, pretty", "{\n  \"records\": [\n    " + signIn + "\n  ]\n}\n", 1,
			false, 0},
		// A blob or a page whose first record is damaged is still one (a
		// reviewer's case: the whole file was skipped).
		{"blob, first record null", `{"records":[null,` + signIn + `]}`, 1, false, 1},
		{"blob, first record a string", `{"records":["oops",` + signIn + `]}`, 1, false, 1},
		{"page, first record a string", `{"@odata.context":"x","value":["x",` + signIn + `]}`,
			1, false, 1},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			set := decodeString("x.json", c.text)
			if len(set.Problems) != c.problems || len(set.SignIns) != c.signIns {
				t.Errorf("read: %d sign-ins and problems %v, want %d and %d",
					len(set.SignIns), set.Problems, c.signIns, c.problems)
			}
			path := filepath.Join(t.TempDir(), "x.json")
			if err := os.WriteFile(path, []byte(c.text), 0o600); err != nil {
				t.Fatal(err)
			}
			for _, size := range []int{blockSize, 16, 3} {
				withBlockSize(t, size, func() {
					n := 0
					sum, err := Stream([]string{path}, Options{}, func(r Record) error {
						if r.Kind == KindSignIn {
							n++
						}
						return nil
					})
					if err != nil {
						t.Fatal(err)
					}
					skipped := len(sum.Files) == 1 && sum.Files[0].Skipped
					if len(sum.Problems) != c.problems || n != c.signIns || skipped != c.skipped {
						t.Errorf("stream, block %d: %d sign-ins, skipped %v, problems %v; "+
							"want %d, %v, %d", size, n, skipped, sum.Problems, c.signIns,
							c.skipped, c.problems)
					}
				})
			}
		})
	}
	if !strings.Contains(cases[0].text, `"records":["`) {
		t.Fatal("the alert has no records member of strings; the test reads nothing of it")
	}
}
