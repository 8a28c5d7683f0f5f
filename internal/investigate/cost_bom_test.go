package investigate

import (
	"bytes"
	"strings"
	"testing"
)

// TestReadCostModelByteOrderMark checks that a model saved with a UTF-8
// byte-order mark is read, and that positions in its errors still count
// from the first visible character.
func TestReadCostModelByteOrderMark(t *testing.T) {
	bom := []byte("\xef\xbb\xbf")
	m, err := ReadCostModel(bytes.NewReader(append(bom, costModelJSON...)), "m.json")
	if err != nil || m.Name != "tier2-manual-v1" {
		t.Fatalf("model %q, err %v; want the built-in model read", m.Name, err)
	}
	_, err = ReadCostModel(bytes.NewReader(append(bom, `{"name": 1}`...)), "m.json")
	if want := "m.json: line 1, column 2:"; err == nil || !strings.Contains(err.Error(), want) {
		t.Errorf("err = %v, want it to contain %q", err, want)
	}
}
