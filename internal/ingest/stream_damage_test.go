package ingest

import (
	"math/rand/v2"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

// Sign-in lines for the damage tests: a Graph record the fast path reads,
// and one the general decoder reads (a Log Analytics row).
const (
	goodLine = `{"id":"s-%d","createdDateTime":"2026-03-01T10:00:00Z",` +
		`"userPrincipalName":"a@example.com","ipAddress":"198.51.100.7",` +
		`"status":{"errorCode":50126},"location":{"countryOrRegion":"DE",` +
		`"geoCoordinates":{"latitude":52.5,"longitude":13.4}},` +
		`"appliedConditionalAccessPolicies":[{"id":"p1","result":"failure",` +
		`"enforcedGrantControls":["Block"]}],"isInteractive":true}`
	laLine = `{"TimeGenerated":"2026-03-01T10:00:00Z","Type":"SigninLogs",` +
		`"UserPrincipalName":"b@example.com","ResultType":"0","Status":"{\"errorCode\":0}"}`
)

func good(i int) string { return strings.Replace(goodLine, "%d", strconv.Itoa(i), 1) }

// streamText writes text to a file and checks Stream against the general
// decoder on it, with several block sizes.
func streamText(t *testing.T, name, text string) {
	t.Helper()
	p := filepath.Join(t.TempDir(), name)
	if err := os.WriteFile(p, []byte(text), 0o600); err != nil {
		t.Fatal(err)
	}
	for _, size := range []int{4 << 20, 300, 37} {
		withBlockSize(t, size, func() { compareStream(t, p) })
	}
}

// damageCases are NDJSON and container files with damage of every kind the
// general decoder recovers from.
var damageCases = func() map[string]string {
	g := good
	return map[string]string{
		"clean":                  g(1) + "\n" + g(2) + "\n" + laLine + "\n",
		"no final newline":       g(1) + "\n" + g(2),
		"crlf and blank lines":   g(1) + "\r\n\r\n" + g(2) + "\r\n   \r\n" + g(3) + "\r\n",
		"cut last line":          g(1) + "\n" + g(2) + "\n" + g(3)[:70],
		"cut middle line":        g(1) + "\n" + g(2)[:90] + "\n" + g(3) + "\n",
		"unclosed string":        g(1) + "\n" + `{"id":"x,"createdDateTime":"2026` + "\n" + g(3) + "\n",
		"invalid value":          g(1) + "\n" + `{"id":tru}` + "\n" + g(3) + "\n",
		"junk line":              g(1) + "\n" + "hello\n" + g(3) + "\n",
		"junk then indented":     g(1) + "\n" + "{\"a\":\n  " + g(2) + "\n" + g(3) + "\n",
		"array line closed":      g(1) + "\n" + "[" + g(2) + "," + g(3) + "]\n" + g(4) + "\n",
		"array line open":        g(1) + "\n" + "[" + g(2) + ",\n" + g(3) + "\n" + g(4) + "\n",
		"array line unclosed":    g(1) + "\n" + "[" + g(2) + "\n" + g(3) + "\n" + g(4) + "\n",
		"two records on a line":  g(1) + "\n" + g(2) + " " + g(3) + "\n" + g(4) + "\n",
		"trailing commas":        g(1) + ",\n" + g(2) + ",\n",
		"page on a line":         g(1) + "\n" + `{"value":[` + g(2) + "]}\n" + g(3) + "\n",
		"extra brace":            g(1) + "\n" + g(2) + "}\n" + g(3) + "\n",
		"damage at the end":      g(1) + "\n" + g(2) + "\n" + `{"id":"z"` + "\n\n  \n",
		"damage runs to the end": g(1) + "\n" + `{"a":[` + "\n" + `  "b"` + "\n",
		"two damaged in a row":   g(1) + "\n{\"a\"\n{\"b\":\n" + g(4) + "\n",
		"unclosed quote spans":   g(1) + "\n{\"a\":\"x\n" + g(2) + "\n",
		"first line damaged":     `{"id":"x` + "\n" + g(2) + "\n",
		"pretty then ndjson":     "{\n  \"id\": \"p\",\n  \"createdDateTime\": \"2026-03-01T10:00:00Z\"\n}\n" + g(2) + "\n" + g(3) + "\n",
		"page":                   `{"@odata.context":"x","value":[` + g(1) + ",\n" + g(2) + `],"@odata.nextLink":"n"}`,
		"event hub":              `{"records":[{"category":"SignInLogs","time":"2026-03-01T10:00:00Z","properties":` + g(1) + `}]}`,
		"array trailing comma":   "[" + g(1) + ",\n" + g(2) + ",\n]",
		"array of scalars":       "[" + g(1) + ", 5, \"x\", [1]]",
		"arrays back to back":    "[" + g(1) + "]\n[" + g(2) + "]",
		"page damaged":           `{"value":[` + g(1) + ",\n" + g(2)[:50] + "\n]}",
		"array unclosed":         "[" + g(1) + ",\n" + g(2),
		"comma between objects":  "{\n\"id\":\"a\",\"createdDateTime\":\"2026-03-01T10:00:00Z\"\n},\n" + g(2),
		"bom":                    "\ufeff" + g(1) + "\n" + g(2) + "\n",
	}
}()

// TestStreamDamage checks the damage cases: Stream must report the damage
// as the general decoder does, at the same places, and keep the same
// records around it.
func TestStreamDamage(t *testing.T) {
	for name, text := range damageCases {
		t.Run(name, func(t *testing.T) { streamText(t, "in.json", text) })
	}
}

// FuzzStream checks that Stream and the general decoder agree on any
// input, with a block smaller than a record and with the usual one.
func FuzzStream(f *testing.F) {
	for _, text := range damageCases {
		f.Add(text)
	}
	// One file, rewritten for every input: a fresh folder per input costs
	// the file system more than the decoding.
	p := filepath.Join(f.TempDir(), "in.json")
	f.Fuzz(func(t *testing.T, text string) {
		if err := os.WriteFile(p, []byte(text), 0o600); err != nil {
			t.Fatal(err)
		}
		want := decodeSet(t, p)
		for _, size := range []int{4 << 20, 37} {
			withBlockSize(t, size, func() {
				got, _ := streamSet(t, p)
				if diff := cmp.Diff(want, got, setOpts); diff != "" {
					t.Fatalf("block %d: Stream differs from Decode (-decode +stream):\n%s", size, diff)
				}
			})
		}
	})
}

// TestStreamMutations damages a clean NDJSON file and a page at random,
// byte by byte, and checks that Stream and the general decoder agree on
// every copy. The seed is fixed so a failure can be replayed.
func TestStreamMutations(t *testing.T) {
	var nd strings.Builder
	for i := range 12 {
		if i%5 == 4 {
			nd.WriteString(laLine + "\n")
			continue
		}
		nd.WriteString(good(i) + "\n")
	}
	page := `{"value":[` + good(1) + ",\n" + good(2) + ",\n" + good(3) + "]}\n"
	r := rand.New(rand.NewPCG(6, 6))
	chars := []byte("{}[]:,\"\\ \n\rx0")
	for i := range 300 {
		src := nd.String()
		if i%3 == 2 {
			src = page
		}
		b := []byte(src)
		for range 1 + r.IntN(3) {
			j := r.IntN(len(b))
			switch c := chars[r.IntN(len(chars))]; r.IntN(3) {
			case 0:
				b[j] = c
			case 1:
				b = append(b[:j], b[j+1:]...)
			default:
				b = append(b[:j], append([]byte{c}, b[j:]...)...)
			}
		}
		streamText(t, "m.json", string(b))
		if t.Failed() {
			t.Fatalf("mutation %d differs; input:\n%s", i, b)
		}
	}
}
