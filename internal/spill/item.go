package spill

import (
	"cmp"
	"encoding/gob"
	"time"

	"github.com/idtriage/idtriage/internal/entra"
)

// Item is one record a Sorter holds: exactly one of SignIn and Audit is set.
type Item struct {
	SignIn *entra.SignIn
	Audit  *entra.Audit
}

func init() {
	// Audit values decoded from JSON text (entra.Value.Decoded) hold these
	// behind an interface; gob must know them by name.
	gob.Register(map[string]any{})
	gob.Register([]any{})
}

// Time is when the record happened.
func (it Item) Time() time.Time {
	if it.SignIn != nil {
		return it.SignIn.Time
	}
	return it.Audit.Time
}

// parts returns what the order compares after time: the kind (sign-ins
// first), the id and where the record was read.
func (it Item) parts() (kind int, id string, pos entra.Pos) {
	if it.SignIn != nil {
		return 0, it.SignIn.ID, it.SignIn.Pos
	}
	return 1, it.Audit.ID, it.Audit.Pos
}

// compare orders items by time, kind, id, file and ordinal.
func compare(a, b Item) int {
	if c := a.Time().Compare(b.Time()); c != 0 {
		return c
	}
	ka, ida, pa := a.parts()
	kb, idb, pb := b.parts()
	return cmp.Or(cmp.Compare(ka, kb), cmp.Compare(ida, idb),
		cmp.Compare(pa.File, pb.File), cmp.Compare(pa.Index, pb.Index))
}
