package ingest

import (
	"bytes"
	"fmt"
	"math/rand/v2"
	"path/filepath"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/idtriage/idtriage/internal/entra"
)

// viaPickerAfter reads prev and then b with one picker, so that b is read
// against the shape prev left, and returns what it made of b.
func viaPickerAfter(prev, b []byte, f entra.Fields) pickResult {
	p := picker{fields: f}
	var first leanBody
	p.pick(prev, &first)
	return pickWith(&p, b)
}

// agreeAfter fails t when b read after prev differs from b read by a
// fresh picker. It returns how many field sets the fresh picker took b in.
func agreeAfter(t *testing.T, what string, prev, b []byte) int {
	t.Helper()
	took := 0
	for _, f := range fieldSets {
		want := viaPicker(b, f)
		if want.Picked {
			took++
		}
		got := viaPickerAfter(prev, b, f)
		if diff := cmp.Diff(want, got, addrComparer); diff != "" {
			t.Errorf("%s (fields %b): read after another record, the picker differs "+
				"(-fresh +after):\n%s\nrecord: %.300s", what, f, diff, b)
		}
	}
	return took
}

// TestPickAfterShape reads records whose keys differ from the shape the
// record before left only where a shape could be fooled: a key of the
// same length, a case variant, an escape, a key that the expected one is a
// prefix of, a quote or backslash where the key ends.
func TestPickAfterShape(t *testing.T) {
	cases := []struct{ from, to string }{
		{`"id":`, `"ID":`},
		{`"id":`, `"iD":`},
		{`"id":`, `"\u0069d":`},
		{`"id":`, `"ix":`},
		{`"id":`, `"idx":`},
		{`"id":`, `"i":`},
		{`"id":"a1"`, `"id\"":"a1"`},
		{`"userPrincipalName":`, `"userPrincipalNamf":`},
		{`"userPrincipalName":`, `"userPrincipalname":`},
		{`"userPrincipalName":`, `"userPrinci\u0070alName":`},
		{`"userPrincipalName":`, `"userPrincipalNames":`},
		{`"userPrincipalName":`, `"userXrincipalName":`},
		{`"ipAddress":`, `"ipAddresS":`},
		{`"ipAddress":`, `"ipAddresx":`},
		{`"ipAddress":`, `"xpAddress":`},
		{`"status":`, `"statuz":`},
		{`"errorCode":`, `"errorCodf":`},
		{`"ipAddress":"203.0.113.7",`, ``},
		{`"countryOrRegion":`, `"countryOrRegioN":`},
		{`"countryOrRegion":`, `"countryorregion":`},
		{`"errorCode":`, `"errorcode":`},
		{`"errorCode":`, `"errorCod\u0065":`},
		{`"errorCode":50126,`, `"errorCode":50126,"errorCode":0,`},
		{`"appliedConditionalAccessPolicies":`, `"appliedConditionalAccessPolicieS":`},
		// Changes only the words in the middle of a 32-byte key see.
		{`"appliedConditionalAccessPolicies":`, `"appliedConXitionalAccessPolicies":`},
		{`"appliedConditionalAccessPolicies":`, `"appliedConditionalAcxessPolicies":`},
		{`"authenticationStepResultDetail":`, `"authenticationStepResultDetail":`[:17] +
			`X` + `"authenticationStepResultDetail":`[18:]},
		{`"appliedConditionalAccessPolicies":`, `"appliedConditionalAccessPolicie\u0073":`},
		{`"authenticationStepResultDetail":`, `"authenticationStepResultDetaiL":`},
		{`"authenticationStepResultDetail":`, `"authenticationStepResultDetai\t":`},
	}
	picked := 0
	for _, c := range cases {
		b := strings.Replace(pickBase, c.from, c.to, 1)
		if b == pickBase {
			t.Fatalf("%q is not in the base record", c.from)
		}
		picked += agreeAfter(t, c.to, []byte(pickBase), []byte(b))
		// The other way round: the changed record leaves the shape.
		picked += agreeAfter(t, c.to+" (first)", []byte(b), []byte(pickBase))
	}
	if picked == 0 {
		t.Fatal("the picker took none of the records; the test compares nothing")
	}
}

// TestPickAfterDamage reads damaged copies of real, generated and example
// records after their undamaged originals.
func TestPickAfterDamage(t *testing.T) {
	requireCorpus(t)
	base := append(recordTexts(t, smallTenant(t))[:100], []byte(pickBase))
	base = append(base, recordTexts(t, corpusDir)...)
	base = append(base, recordTexts(t, filepath.Join("..", "..", "examples"))...)
	rng := rand.New(rand.NewPCG(3, 5))
	special := []byte(`"\{}[],:0-.eEnulAZaz` + "\x00\x1f\xff ")
	picked := 0
	for n := range 6000 {
		prev := base[rng.IntN(len(base))]
		b := bytes.Clone(prev)
		for range 1 + rng.IntN(2) {
			if b = damage(rng, b, special); len(b) == 0 {
				b = []byte("{")
			}
		}
		picked += agreeAfter(t, fmt.Sprintf("damaged copy %d", n), prev, b)
	}
	if picked < 1000 {
		t.Fatalf("the picker took only %d damaged copies; the test compares too little", picked)
	}
}
