package investigate

import (
	"bytes"
	"encoding/json"
	"strings"
	"testing"
)

// TestReadCostModelRequiresEveryNumber checks that a model that leaves a
// number or its name out, or writes one as null, is refused with the key:
// each once priced its work at zero ("about 0 minutes ... US$0").
func TestReadCostModelRequiresEveryNumber(t *testing.T) {
	without := func(keys ...string) []byte {
		var m map[string]any
		if err := json.Unmarshal(costModelJSON, &m); err != nil {
			t.Fatal(err)
		}
		for _, k := range keys {
			delete(m, k)
		}
		b, err := json.Marshal(m)
		if err != nil {
			t.Fatal(err)
		}
		return b
	}
	null := bytes.Replace(costModelJSON, []byte(`"hourlyCostUsd": 55`),
		[]byte(`"hourlyCostUsd": null`), 1)
	if bytes.Equal(null, costModelJSON) {
		t.Fatal("the built-in model no longer writes hourlyCostUsd as 55; update the test")
	}

	tests := []struct {
		name string
		data []byte
		err  string // "" when the model is read
	}{
		{"the built-in model", costModelJSON, ""},
		{"without its notes", without("why", "queriesWhy", "costWhy"), ""},
		{"a name alone", []byte(`{"name":"x"}`), `m.json: missing "minutesPerQuery", ` +
			`"minutesPerPivot", "minutesPerEnrichment", "minutesPerFinding", "minutesFixed", ` +
			`"hourlyCostUsd": a model gives its name and every number`},
		{"no minutes per query", without("minutesPerQuery"), `m.json: missing "minutesPerQuery":`},
		{"no hourly cost", without("hourlyCostUsd"), `m.json: missing "hourlyCostUsd":`},
		{"no name", without("name"), "name is empty"},
		{"a null number", null, "m.json: line 14, column 3: hourlyCostUsd is null; want a " +
			"number of zero or more"},
		// A reviewer's case: the report priced the case at US$+Inf.
		{"a number past any model", bytes.Replace(costModelJSON, []byte(`"hourlyCostUsd": 55`),
			[]byte(`"hourlyCostUsd": 1.7976931348623157e308`), 1), "hourlyCostUsd is " +
			"1.7976931348623157e+308; want at most 10000"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := ReadCostModel(bytes.NewReader(tt.data), "m.json")
			switch {
			case tt.err == "" && err != nil:
				t.Fatalf("err = %v, want the model read", err)
			case tt.err != "" && (err == nil || !strings.Contains(err.Error(), tt.err)):
				t.Fatalf("err = %v, want it to contain %q", err, tt.err)
			}
		})
	}
}
