package investigate

import (
	"bytes"
	"encoding/json"
	"fmt"
	"strings"
)

// costKeys are the members every cost model gives: its name and each
// number. A number left out would price its work at zero without a word,
// and a model that borrowed the rest from the built-in one would carry
// the file's name on numbers it never gave; so a missing key is an error.
// The ...Why members are notes for the reader, and optional.
var costKeys = []string{"name", "minutesPerQuery", "minutesPerPivot",
	"minutesPerEnrichment", "minutesPerFinding", "minutesFixed", "hourlyCostUsd"}

// checkCostKeys reports the members of costKeys that data, one JSON
// object the decoder accepted, leaves out or writes as null (which the
// decoder reads as zero).
func checkCostKeys(data []byte) error {
	var members map[string]json.RawMessage
	if err := json.Unmarshal(data, &members); err != nil {
		return err // the decoder accepted it; this is not expected
	}
	var missing []string
	for _, k := range costKeys {
		v, ok := members[k]
		if ok && bytes.Equal(bytes.TrimSpace(v), []byte("null")) {
			return &fieldError{key: k, msg: fmt.Sprintf("%s is null; want %s", k, want(k))}
		}
		if !ok {
			missing = append(missing, fmt.Sprintf("%q", k))
		}
	}
	if len(missing) == 0 {
		return nil
	}
	return fmt.Errorf("missing %s: a model gives its name and every number (copy the "+
		"built-in internal/investigate/costmodel.json and change what differs)",
		strings.Join(missing, ", "))
}

// want says what a member of costKeys holds.
func want(key string) string {
	if key == "name" {
		return "the model's name"
	}
	return "a number of zero or more"
}
