package graph

import (
	"bytes"
	"crypto/sha256"
	"encoding/json"

	"github.com/idtriage/idtriage/internal/jsonx"
)

// seen remembers the records a pull has kept, by id, so that a record
// served twice (pages that overlap after a retry, or two audit queries
// that both match an action on the user's own account) is written once
// (BR-31). It keeps a digest per record, not the record.
type seen map[string][][sha256.Size]byte

// verdict is what seen decided about one record.
type verdict int

const (
	keep      verdict = iota
	duplicate         // same id, same content: dropped
	splitRow          // same id, other content: kept, as the service splits sign-ins (BR-12)
	anonymous         // no id: kept, as nothing can tell it from another
)

// check decides about raw and remembers it.
func (s seen) check(raw []byte) verdict {
	var rec struct {
		ID string `json:"id"`
	}
	if jsonx.Unmarshal(raw, &rec) != nil || rec.ID == "" {
		return anonymous
	}
	var compact bytes.Buffer
	if json.Compact(&compact, raw) != nil {
		compact.Reset()
		compact.Write(raw)
	}
	sum := sha256.Sum256(compact.Bytes())
	prior := s[rec.ID]
	for _, p := range prior {
		if p == sum {
			return duplicate
		}
	}
	s[rec.ID] = append(prior, sum)
	if len(prior) > 0 {
		return splitRow
	}
	return keep
}
