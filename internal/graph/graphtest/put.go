package graphtest

import (
	"fmt"
	"slices"
	"strings"
)

// Put serves records given as JSON, each a Graph record of any kind Load
// reads, as a tenant changes while a test runs. A record replaces the one
// of the same collection and id, as a user's riskyUser changes in place
// when Identity Protection flags the user again; any other is added.
func (s *Server) Put(records ...[]byte) error {
	var recs []*record
	for i, raw := range records {
		r, err := newRecord(raw)
		if err != nil {
			return fmt.Errorf("graphtest: put record %d: %w", i+1, err)
		}
		if r == nil || r.kind == kindLocal {
			return fmt.Errorf("graphtest: put record %d: not a Graph record", i+1)
		}
		recs = append(recs, r)
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	for _, r := range recs {
		// A new slice each time: a page being served reads the old one
		// outside the lock.
		list := slices.Clone(s.records[r.kind])
		i := slices.IndexFunc(list, func(o *record) bool {
			return r.id != "" && strings.EqualFold(o.id, r.id)
		})
		if i >= 0 {
			list[i] = r
		} else {
			list = append(list, r)
		}
		s.records[r.kind] = list
	}
	return nil
}
