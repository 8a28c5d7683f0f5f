package ingest

import (
	"bytes"
	"encoding/json"
	"errors"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/idtriage/idtriage/internal/jsonx"
)

// TestJSONXMatchesEncodingJSON checks that every record of every valid JSON
// or NDJSON file of the corpus decodes to the same map with jsonx (goccy)
// as with encoding/json: same keys (duplicates: the last wins), same
// numbers, same strings, invalid UTF-8 and U+00A0 included.
func TestJSONXMatchesEncodingJSON(t *testing.T) {
	checked := 0
	for _, rel := range corpusFiles(t) {
		if strings.Contains(rel, "INVALID") || !isJSONName(rel) {
			continue
		}
		data, err := os.ReadFile(filepath.Join(corpusDir, rel))
		if err != nil {
			t.Fatal(err)
		}
		for i, raw := range topLevelRecords(t, rel, bytes.TrimPrefix(data, []byte("\xef\xbb\xbf"))) {
			var std, got map[string]any
			if err := json.Unmarshal(raw, &std); err != nil {
				t.Fatalf("%s record %d: encoding/json: %v", rel, i+1, err)
			}
			if err := jsonx.Unmarshal(raw, &got); err != nil {
				t.Fatalf("%s record %d: jsonx: %v", rel, i+1, err)
			}
			if diff := cmp.Diff(std, got); diff != "" {
				t.Errorf("%s record %d (-encoding/json +jsonx):\n%s", rel, i+1, diff)
			}
			checked++
		}
	}
	// 755 records in the corpus, less 165 CSV rows.
	if checked != 590 {
		t.Errorf("%d records compared, want 590", checked)
	}
}

func isJSONName(rel string) bool {
	switch filepath.Ext(rel) {
	case ".json", ".ndjson", ".log":
		return true
	}
	return false
}

// topLevelRecords splits a file with encoding/json alone: each top-level
// value, and the elements of arrays and of "value"/"records" wrappers.
func topLevelRecords(t *testing.T, rel string, data []byte) []json.RawMessage {
	t.Helper()
	var out []json.RawMessage
	dec := json.NewDecoder(bytes.NewReader(data))
	for {
		var v json.RawMessage
		if err := dec.Decode(&v); errors.Is(err, io.EOF) {
			return out
		} else if err != nil {
			t.Fatalf("%s: %v", rel, err)
		}
		out = append(out, elements(v)...)
	}
}

func elements(v json.RawMessage) []json.RawMessage {
	var list []json.RawMessage
	if json.Unmarshal(v, &list) == nil {
		return list
	}
	var wrapper map[string]json.RawMessage
	if json.Unmarshal(v, &wrapper) == nil {
		for k, inner := range wrapper {
			if (strings.EqualFold(k, "value") || strings.EqualFold(k, "records")) &&
				json.Unmarshal(inner, &list) == nil {
				return list
			}
		}
	}
	return []json.RawMessage{v}
}
