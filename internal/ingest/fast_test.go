package ingest

import (
	"bytes"
	"encoding/json"
	"net/netip"
	"os"
	"path/filepath"
	"strconv"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/idtriage/idtriage/internal/entra"
)

// addrComparer compares parsed addresses, whose fields go-cmp cannot see.
var addrComparer = cmp.Comparer(func(a, b netip.Addr) bool { return a == b })

// generalOne decodes text as a one-record file with the general decoder.
// ok is false unless it gave exactly one sign-in and no warning.
func generalOne(text []byte) (entra.SignIn, bool) {
	set := &Set{}
	Decode("rec", text, set)
	if len(set.SignIns) != 1 || len(set.Warnings) > 0 || len(set.Problems) > 0 {
		return entra.SignIn{}, false
	}
	return set.SignIns[0], true
}

// checkFast decodes one record on both paths. When the fast path accepts
// it, the general decoder must give the same sign-in without a warning.
func checkFast(t *testing.T, name string, text []byte) bool {
	t.Helper()
	var d fastDecoder
	got, ok := d.signIn(bytes.TrimSpace(text), entra.Pos{File: "rec", Line: 1, Index: 1})
	if !ok {
		return false
	}
	want, wok := generalOne(text)
	if !wok {
		t.Errorf("%s: fast path accepted a record the general decoder reads otherwise", name)
		return true
	}
	if diff := cmp.Diff(want, got, addrComparer); diff != "" {
		t.Errorf("%s: fast path differs from the general decoder (-general +fast):\n%s", name, diff)
	}
	return true
}

// splitRecords returns the records of a JSON file: the elements of a page,
// an Event Hub blob or an array, or the lines of an NDJSON file.
func splitRecords(data []byte) []json.RawMessage {
	data = bytes.TrimPrefix(data, []byte("\xef\xbb\xbf"))
	var page struct {
		Value   []json.RawMessage `json:"value"`
		Records []json.RawMessage `json:"records"`
	}
	var arr []json.RawMessage
	switch {
	case json.Unmarshal(data, &arr) == nil:
		return arr
	case json.Unmarshal(data, &page) == nil && len(page.Value)+len(page.Records) > 0:
		return append(page.Value, page.Records...)
	}
	var out []json.RawMessage
	for _, line := range bytes.Split(data, []byte("\n")) {
		if line = bytes.TrimSpace(line); json.Valid(line) {
			out = append(out, line)
		}
	}
	return out
}

// TestFastMatchesGeneralOnSamples runs every record of the corpus and the
// example through both paths.
func TestFastMatchesGeneralOnSamples(t *testing.T) {
	files := []string{"../../examples/sspr-takeover/signins.json"}
	for _, rel := range corpusFiles(t) {
		files = append(files, filepath.Join(corpusDir, rel))
	}
	accepted := 0
	for _, p := range files {
		data, err := os.ReadFile(p)
		if err != nil {
			t.Fatal(err)
		}
		for i, rec := range splitRecords(data) {
			if checkFast(t, filepath.Base(p)+"#"+strconv.Itoa(i+1), rec) {
				accepted++
			}
		}
	}
	t.Logf("fast path took %d records", accepted)
	// The example alone has 82 Graph sign-ins the fast path must take.
	if accepted < 82 {
		t.Errorf("fast path accepted %d records, want at least 82", accepted)
	}
}
