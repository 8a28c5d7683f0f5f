package detect

import (
	"strings"
	"time"

	"github.com/idtriage/idtriage/internal/entra"
)

// people gives every record the key of the person it is about, so that
// one person's rows count together whether they name the person by object
// id, by principal name or by both (BR-19: the user id first, then the
// principal name case-folded). Exports leave the principal name out of
// some rows (non-interactive rows, some audit targets) and keep the id;
// keyed by name, such a person's blocks or failures were split between two
// keys and could stay under each threshold.
//
// A row with an object id is keyed "id:" and the id; a row with only a
// name takes the id an earlier row tied to that name, else the name. The
// name an alert shows is the latest one a row gave with the id (a renamed
// user shows the new name), worked out when the alerts are returned.
//
// What it does not join: rows that give only a name before any row ties
// that name to its id stay under the name. Both maps hold one entry per
// person met, not per active one: a few hundred bytes a user, tens of
// megabytes for the largest tenants.
type people struct {
	words *lexicon
	byRaw map[string]*person // object id as written -> its person
	byKey map[string]*person // "id:" key -> its person
	byUPN map[string]*person // name -> the person of the latest row giving both
}

// person is one object id: its key, and the latest name a row gave with
// it and that row's time. A person with key "" stands for an unusable id
// (empty, placeholder, all zeros).
type person struct {
	key  string
	name string
	t    time.Time
}

// maxIDLen is the longest object id people remembers as written; a GUID
// is 36 bytes, and longer ids are looked up by key on every use rather
// than kept twice.
const maxIDLen = 64

func newPeople(words *lexicon) *people {
	return &people{words: words, byRaw: map[string]*person{}, byKey: map[string]*person{},
		byUPN: map[string]*person{}}
}

// of returns the person of an object id as written.
func (p *people) of(id string) *person {
	if pr, ok := p.byRaw[id]; ok {
		return pr
	}
	k := entra.UserKey(id, "")
	pr := p.byKey[k]
	if pr == nil {
		pr = &person{key: k}
		if k != "" {
			p.byKey[k] = pr
		}
	}
	if len(id) <= maxIDLen {
		p.byRaw[strings.Clone(id)] = pr
	}
	return pr
}

// key returns the key of the person a row at time t names by object id
// and principal name (either may be empty), and learns the tie between
// the two. It returns "" when the row names no usable identity.
func (p *people) key(id, upn string, t time.Time) string {
	name := p.words.upns.get(upn)
	var pr *person
	if id != "" {
		pr = p.of(id)
	}
	switch {
	case pr == nil || pr.key == "":
		if tied := p.byUPN[name]; tied != nil {
			return tied.key
		}
		return name
	case name == pr.name || name == "" || name == pr.key[len("id:"):]:
		return pr.key // the name known, no name, or the id where the name belongs
	}
	if pr.name == "" || later(t, name, pr) {
		pr.name, pr.t = name, t
	}
	p.byUPN[name] = pr
	return pr.key
}

// later reports whether name at t should replace the name shown for pr:
// the later row wins, and of two at one time the smaller name, so that
// the order rows are read in does not choose.
func later(t time.Time, name string, pr *person) bool {
	if c := t.Compare(pr.t); c != 0 {
		return c > 0
	}
	return name < pr.name
}

// display returns the name to show for key: the latest name tied to an
// "id:" key, else the key itself.
func (p *people) display(key string) string {
	if n := p.name(key); n != "" {
		return n
	}
	return key
}

// name returns the principal name of key, or "" when none is known.
func (p *people) name(key string) string {
	if !strings.HasPrefix(key, "id:") {
		return key
	}
	if pr := p.byKey[key]; pr != nil {
		return pr.name
	}
	return ""
}
