package ingest

import (
	"bufio"
	"bytes"
	"encoding/json"
	"fmt"
	"math/rand/v2"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/idtriage/idtriage/internal/entra"
	"github.com/idtriage/idtriage/internal/jsonx"
)

// The picker must fill a lean record exactly as the JSON decoder and keep
// do, or give up. These tests hold it to that on real records, generated
// ones, records damaged on purpose and random damage: whenever the picker
// says yes, the JSON decoder's lean path must say the same sign-in.

// fieldSets are the masks the tests pick with: everything hunting reads,
// the two benchmark rules' few groups, and the base alone.
var fieldSets = []entra.Fields{entra.FieldsLean,
	entra.FieldBase | entra.FieldKind | entra.FieldCountry | entra.FieldRisk | entra.FieldNetwork,
	entra.FieldBase}

// pickResult is what one path made of a record.
type pickResult struct {
	Picked bool
	OK     bool
	SignIn entra.SignIn
}

// viaPicker runs a fresh picker and the conversion that follows it.
func viaPicker(b []byte, f entra.Fields) pickResult {
	return pickWith(&picker{fields: f}, b)
}

// pickWith runs p, in whatever state earlier records left it, and the
// conversion that follows it.
func pickWith(p *picker, b []byte) pickResult {
	var l leanBody
	if !p.pick(b, &l) {
		return pickResult{}
	}
	var body fastBody
	l.full(&body)
	s, ok := body.signIn(nil, entra.SourceUnknown, entra.Pos{File: "f", Line: 1})
	return pickResult{Picked: true, OK: ok, SignIn: s}
}

// viaJSON runs the JSON decoder's lean flat path on the same record.
// Picked is false when that path would not take it as a flat sign-in. It
// checks what fastCandidate checks but the count of brackets: that count
// (every '{' and '[', even in strings) is the typed-struct path's cheap
// bound on nesting, while the picker follows the real nesting and gives
// up past pickDepth, so a string full of brackets is not a reason for the
// picker to give up.
func viaJSON(b []byte, f entra.Fields) pickResult {
	if len(b) < 2 || b[0] != '{' || b[len(b)-1] != '}' ||
		bytes.Contains(b, longS) || bytes.Contains(b, kelvin) {
		return pickResult{}
	}
	var lf leanFlat
	if err := jsonx.Unmarshal(b, &lf); err != nil || bool(lf.Properties) || lf.foreign() {
		return pickResult{}
	}
	lf.keep(f)
	var body fastBody
	lf.full(&body)
	s, ok := body.signIn(nil, entra.SourceUnknown, entra.Pos{File: "f", Line: 1})
	return pickResult{Picked: true, OK: ok, SignIn: s}
}

// agree fails t when the picker took b and the JSON path disagrees. It
// reports whether the picker took it.
func agree(t *testing.T, what string, b []byte) bool {
	t.Helper()
	took := false
	for _, f := range fieldSets {
		got := viaPicker(b, f)
		if !got.Picked {
			continue
		}
		took = true
		want := viaJSON(b, f)
		if !want.Picked {
			t.Errorf("%s (fields %b): the picker read a record the JSON path refuses:\n%.300s",
				what, f, b)
			continue
		}
		if diff := cmp.Diff(want, got, addrComparer); diff != "" {
			t.Errorf("%s (fields %b): picker differs (-json +picker):\n%s\nrecord: %.300s",
				what, f, diff, b)
		}
	}
	return took
}

// recordTexts returns the JSON objects of the files under dir: each line of
// a file whose lines are objects, else every object a document holds at
// its top or inside its arrays, written out again compactly.
func recordTexts(t *testing.T, dir string) [][]byte {
	t.Helper()
	files, err := collect([]string{dir})
	if err != nil {
		t.Fatal(err)
	}
	var out [][]byte
	for _, f := range files {
		data, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		var doc any
		if json.Unmarshal(data, &doc) != nil {
			sc := bufio.NewScanner(bytes.NewReader(data))
			sc.Buffer(make([]byte, 1<<20), 1<<26)
			for sc.Scan() {
				if l := bytes.TrimSpace(sc.Bytes()); len(l) > 0 && l[0] == '{' {
					out = append(out, append([]byte(nil), l...))
				}
			}
			continue
		}
		out = append(out, objects(t, doc, 0)...)
	}
	return out
}

func objects(t *testing.T, v any, depth int) [][]byte {
	var out [][]byte
	switch x := v.(type) {
	case map[string]any:
		out = append(out, compact(t, x))
		if depth < 2 {
			for _, k := range []string{"value", "records"} {
				out = append(out, objects(t, x[k], depth+1)...)
			}
		}
	case []any:
		for _, e := range x {
			out = append(out, objects(t, e, depth+1)...)
		}
	}
	return out
}

func compact(t *testing.T, v any) []byte {
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false)
	if err := enc.Encode(v); err != nil {
		t.Fatal(err)
	}
	return bytes.TrimSpace(buf.Bytes())
}

// TestPickAgreesOnRecords runs the picker over the corpus, the field
// reports, the examples and a generated tenant, and requires it to read
// every sign-in of the tenant.
func TestPickAgreesOnRecords(t *testing.T) {
	requireCorpus(t)
	for _, dir := range []string{corpusDir, filepath.Join("testdata", "fieldreports"),
		filepath.Join("..", "..", "examples")} {
		for i, b := range recordTexts(t, dir) {
			agree(t, fmt.Sprintf("%s record %d", dir, i), b)
		}
	}

	took, signIns := 0, 0
	for i, b := range recordTexts(t, smallTenant(t)) {
		if bytes.Contains(b, []byte(`"createdDateTime"`)) {
			signIns++
		}
		if agree(t, fmt.Sprintf("tenant record %d", i), b) {
			took++
		}
	}
	if signIns == 0 || took != signIns {
		t.Errorf("the picker read %d of the tenant's %d sign-ins, want all", took, signIns)
	}
}

// pickBase is a sign-in with every field the picker reads, for the damage
// cases to change.
const pickBase = `{"id":"a1","createdDateTime":"2026-03-02T08:00:00Z",` +
	`"originalRequestId":"r1","userId":"u1","userPrincipalName":"Ana@Example.com",` +
	`"servicePrincipalId":"","appId":"app","appDisplayName":"Azure Portal",` +
	`"resourceDisplayName":"Windows Azure Service Management API","clientAppUsed":"Browser",` +
	`"userAgent":"Mozilla/5.0","ipAddress":"203.0.113.7","autonomousSystemNumber":64500,` +
	`"location":{"city":"São Paulo","state":"SP","countryOrRegion":"BR",` +
	`"geoCoordinates":{"altitude":null,"latitude":-23.5,"longitude":-46.6}},` +
	`"deviceDetail":{"deviceId":"d1","displayName":"PC","isCompliant":true,"isManaged":false},` +
	`"networkLocationDetails":[{"networkType":"trustedNamedLocation","networkNames":["HQ","VPN"]},` +
	`{"networkType":"namedNetwork","networkNames":[]}],` +
	`"status":{"errorCode":50126,"failureReason":"bad","additionalDetails":"MFA denied"},` +
	`"appliedConditionalAccessPolicies":[{"id":"p","displayName":"CA [1] {x}",` +
	`"enforcedGrantControls":["mfa"],"result":"success"}],` +
	`"authenticationDetails":[{"authenticationStepDateTime":"2026-03-02T08:00:00Z",` +
	`"succeeded":false,"authenticationStepResultDetail":"MFA denied; user declined"}],` +
	`"authenticationProtocol":"ropc","isInteractive":true,` +
	`"signInEventTypes":["interactiveUser"],"riskLevelDuringSignIn":"high",` +
	`"riskLevelAggregated":"medium","riskState":"atRisk",` +
	`"riskEventTypes_v2":["anonymizedIPAddress","unfamiliarFeatures"],"riskEventTypes":[],` +
	`"mfaDetail":null,"processingTimeInMilliseconds":12.5e1,"flaggedForReview":false}`

// pickDamage are changes to pickBase: each one either leaves a record the
// picker must read as the JSON path does, or one it must give up on.
var pickDamage = []struct {
	name, from, to string
	took           bool // the picker must read the changed record
}{
	{"unchanged", "", "", true},
	{"key in other case", `"userPrincipalName"`, `"UserPrincipalName"`, true},
	{"nested key in other case", `"countryOrRegion"`, `"COUNTRYORREGION"`, true},
	{"key twice", `"userId":"u1"`, `"userId":"u1","userid":"u2"`, false},
	{"nested key twice", `"isManaged":false`, `"isManaged":false,"IsManaged":true`, false},
	{"escape in kept string", `"Mozilla/5.0"`, `"Mozilla\/5.0"`, false},
	{"escape in skipped string", `"failureReason":"bad"`, `"failureReason":"b\"a\u00e9d\\"`, true},
	{"bad escape in skipped string", `"failureReason":"bad"`, `"failureReason":"b\qad"`, false},
	{"short unicode escape", `"failureReason":"bad"`, `"failureReason":"\u00e"`, false},
	{"control character", `"failureReason":"bad"`, "\"failureReason\":\"b\x01ad\"", false},
	{"tab in string", `"failureReason":"bad"`, "\"failureReason\":\"b\tad\"", false},
	{"invalid UTF-8 in kept string", `"Ana@Example.com"`, "\"Ana\xff@Example.com\"", false},
	{"invalid UTF-8 in skipped string", `"failureReason":"bad"`, "\"failureReason\":\"b\xffd\"", true},
	{"number for string", `"userAgent":"Mozilla/5.0"`, `"userAgent":5`, false},
	{"object for string", `"riskState":"atRisk"`, `"riskState":{}`, false},
	{"null string", `"riskState":"atRisk"`, `"riskState":null`, true},
	{"string for bool", `"isCompliant":true`, `"isCompliant":"true"`, false},
	{"null bool", `"isCompliant":true`, `"isCompliant":null`, true},
	{"string code", `"errorCode":50126`, `"errorCode":"50126"`, true},
	{"word code", `"errorCode":50126`, `"errorCode":"Success"`, false},
	{"fraction code", `"errorCode":50126`, `"errorCode":50126.5`, true},
	{"exponent number", `"autonomousSystemNumber":64500`, `"autonomousSystemNumber":6.45e4`, true},
	{"leading zero", `"autonomousSystemNumber":64500`, `"autonomousSystemNumber":064500`, false},
	{"bad skipped number", `12.5e1`, `12.e1`, false},
	{"minus alone", `12.5e1`, `-`, false},
	{"resultType agrees", `"isInteractive":true`, `"isInteractive":true,"resultType":"50126"`, true},
	{"resultType differs", `"isInteractive":true`, `"isInteractive":true,"resultType":0`, true},
	{"null status", `"status":{"errorCode":50126,"failureReason":"bad","additionalDetails":"MFA denied"}`,
		`"status":null`, true},
	{"array for object", `"deviceDetail":{`, `"deviceDetail":[],"x":{`, false},
	{"null element", `"networkNames":["HQ","VPN"]`, `"networkNames":["HQ",null]`, true},
	{"null step", `"authenticationDetails":[`, `"authenticationDetails":[null,`, true},
	{"null network", `"networkLocationDetails":[`, `"networkLocationDetails":[null,`, true},
	{"number in names", `"networkNames":["HQ","VPN"]`, `"networkNames":["HQ",7]`, false},
	{"properties", `"mfaDetail":null`, `"properties":{}`, false},
	{"null type", `"mfaDetail":null`, `"type":null`, true},
	{"blank category", `"mfaDetail":null`, `"category":" "`, true},
	{"category", `"mfaDetail":null`, `"category":"SignInLogs"`, false},
	{"value object", `"mfaDetail":null`, `"value":{}`, true},
	{"value array", `"mfaDetail":null`, `"value":[]`, false},
	{"location details", `"mfaDetail":null`, `"locationDetails":"{}"`, true},
	{"unicode key", `"mfaDetail":null`, `"ſtatus":null`, false},
	{"trailing comma", `,"flaggedForReview":false}`, `,"flaggedForReview":false,}`, false},
	{"trailing text", `"flaggedForReview":false}`, `"flaggedForReview":false} x`, false},
	{"missing colon", `"mfaDetail":null`, `"mfaDetail" null`, false},
	{"missing comma", `"mfaDetail":null,`, `"mfaDetail":null `, false},
	{"bare word", `"mfaDetail":null`, `"mfaDetail":nul`, false},
	{"unclosed", `"flaggedForReview":false}`, `"flaggedForReview":false`, false},
	{"deep", `"mfaDetail":null`, `"mfaDetail":` + strings.Repeat("[", 40) +
		strings.Repeat("]", 40), false},
	{"empty address", `"ipAddress":"203.0.113.7"`, `"ipAddress":""`, true},
	{"no time", `"createdDateTime":"2026-03-02T08:00:00Z",`, ``, true},
	{"far coordinates", `"latitude":-23.5`, `"latitude":-123.5`, true},
	{"spaces", `":`, `" :  `, true},
	{"interactive word", `"isInteractive":true`, `"isInteractive":"yes"`, false},
	{"brackets in a string", `"failureReason":"bad"`,
		`"failureReason":"` + strings.Repeat("{", 1001) + strings.Repeat("[", 1001) + `"`, true},
	{"long s in a kept value", `"Mozilla/5.0"`, "\"Mozilla\u017f\"", false},
	{"kelvin in a skipped value", `"failureReason":"bad"`, "\"failureReason\":\"\u212a\"", false},
	{"kelvin in a passed-over key", `"mfaDetail":null`, "\"mfaDetail\":{\"\u212a\":1}", false},
	{"space before", `{"id"`, ` {"id"`, false},
	{"space after", `"flaggedForReview":false}`, `"flaggedForReview":false} `, false},
}

// TestPickDamage changes one thing at a time in a full sign-in.
func TestPickDamage(t *testing.T) {
	for _, c := range pickDamage {
		t.Run(c.name, func(t *testing.T) {
			b := []byte(strings.Replace(pickBase, c.from, c.to, 1))
			if c.from != "" && string(b) == pickBase {
				t.Fatalf("%q is not in the base record", c.from)
			}
			if took := agree(t, c.name, b); took != c.took {
				t.Errorf("picker took the record: %v, want %v", took, c.took)
			}
		})
	}
	// Pretty-printed, the base still reads.
	var pretty bytes.Buffer
	if err := json.Indent(&pretty, []byte(pickBase), "", "  "); err != nil {
		t.Fatal(err)
	}
	if !agree(t, "indented", pretty.Bytes()) {
		t.Error("the picker gave up on an indented record")
	}
}

// TestPickRandomDamage damages copies of real and generated records at
// random: a byte changed, dropped or repeated, a cut, a quote or bracket
// added.
func TestPickRandomDamage(t *testing.T) {
	requireCorpus(t)
	base := append(recordTexts(t, smallTenant(t))[:200], []byte(pickBase))
	base = append(base, recordTexts(t, filepath.Join("..", "..", "examples"))...)
	rng := rand.New(rand.NewPCG(7, 11))
	special := []byte(`"\{}[],:0-.eEnul` + "\x00\x1f\xff ")
	for n := 0; n < 20000; n++ {
		b := bytes.Clone(base[rng.IntN(len(base))])
		for range 1 + rng.IntN(3) {
			if b = damage(rng, b, special); len(b) == 0 {
				b = []byte("{")
			}
		}
		agree(t, fmt.Sprintf("damaged copy %d", n), b)
	}
}

// damage changes b (not empty) at one random place: a byte replaced by one
// of special, dropped or repeated, or the text cut there.
func damage(rng *rand.Rand, b, special []byte) []byte {
	i := rng.IntN(len(b))
	switch rng.IntN(4) {
	case 0:
		b[i] = special[rng.IntN(len(special))]
	case 1:
		b = append(b[:i], b[i+1:]...)
	case 2:
		b = append(b[:i], append([]byte{b[i]}, b[i:]...)...)
	default:
		b = b[:i]
	}
	return b
}

// FuzzPick holds the picker to the JSON path on any input.
func FuzzPick(f *testing.F) {
	f.Add([]byte(pickBase))
	for _, c := range pickDamage {
		f.Add([]byte(strings.Replace(pickBase, c.from, c.to, 1)))
	}
	f.Fuzz(func(t *testing.T, b []byte) {
		agree(t, "fuzz input", b)
	})
}

// TestPickKeyIDs checks that the key tables give each name the id the
// picker's constants expect, in any ASCII case.
func TestPickKeyIDs(t *testing.T) {
	for name, want := range map[string]int{"id": kID, "riskEventTypes": kRiskTypes,
		"properties": kForeign, "loggedByService": kForeignArrays - 1,
		"value": kForeignArrays, "RECORDS": kForeignArrays + 1, "nope": -1,
		"userPrincipalNamE": kUPN, "userPrincipalNam": -1} {
		if got := topKeys.find([]byte(name)); got != want {
			t.Errorf("find(%q) = %d, want %d", name, got, want)
		}
	}
}

// TestQuoteAt checks the word-at-a-time quote search against
// bytes.IndexByte from every offset of texts with quotes at every
// position of a word, high bytes and bytes one away from a quote (which a
// borrow between lanes could mistake for one).
func TestQuoteAt(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 2))
	alphabet := []byte{'"', '!', '#', 'a', 0x80, 0xa2, 0xff, 0x21, 0x23, 0x01}
	for range 2000 {
		b := make([]byte, rng.IntN(40))
		for i := range b {
			b[i] = alphabet[rng.IntN(len(alphabet))]
		}
		for i := 0; i <= len(b); i++ {
			want := bytes.IndexByte(b[i:], '"')
			if want >= 0 {
				want += i
			}
			if got := quoteAt(b, i); got != want {
				t.Fatalf("quoteAt(%q, %d) = %d, want %d", b, i, got, want)
			}
		}
	}
}
