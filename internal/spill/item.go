package spill

import (
	"cmp"
	"encoding/gob"
	"time"

	"github.com/idtriage/idtriage/internal/entra"
)

// Item is one record a Sorter holds: exactly one of SignIn, Audit and Risk
// is set.
type Item struct {
	SignIn *entra.SignIn
	Audit  *entra.Audit
	// Risk is an Identity Protection detection, ordered by its activity
	// time (entra.RiskDetection.Time).
	Risk *entra.RiskDetection
}

// records counts the records set in it.
func (it Item) records() int {
	n := 0
	for _, set := range []bool{it.SignIn != nil, it.Audit != nil, it.Risk != nil} {
		if set {
			n++
		}
	}
	return n
}

func init() {
	// Audit values decoded from JSON text (entra.Value.Decoded) hold these
	// behind an interface; gob must know them by name.
	gob.Register(map[string]any{})
	gob.Register([]any{})
}

// Time is when the record happened.
func (it Item) Time() time.Time {
	switch {
	case it.SignIn != nil:
		return it.SignIn.Time
	case it.Audit != nil:
		return it.Audit.Time
	}
	return it.Risk.Time()
}

// parts returns what the order compares after time: the kind (sign-ins,
// then audits, then risk detections) and the id.
func (it Item) parts() (kind int, id string) {
	switch {
	case it.SignIn != nil:
		return 0, it.SignIn.ID
	case it.Audit != nil:
		return 1, it.Audit.ID
	}
	return 2, it.Risk.ID
}

// entry is an item as the Sorter keeps and writes it: with the order in
// which it was added, which breaks ties.
type entry struct {
	Seq  uint64
	Item Item
}

// compare orders entries by time, kind, id and the order added.
func compare(a, b entry) int {
	if c := a.Item.Time().Compare(b.Item.Time()); c != 0 {
		return c
	}
	ka, ida := a.Item.parts()
	kb, idb := b.Item.parts()
	return cmp.Or(cmp.Compare(ka, kb), cmp.Compare(ida, idb), cmp.Compare(a.Seq, b.Seq))
}
