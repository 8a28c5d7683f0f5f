package detect

import (
	"slices"
	"strings"

	"github.com/idtriage/idtriage/internal/entra"
)

// people gives every record the key of the person it is about: the
// principal name, case-folded, when the row gives one; else the name a
// directory fixed before the first record ties to the row's object id
// (Options.Directory: the tenant's users export in a hunt, every tie of
// the input in an investigation); else "id:" and the object id. A
// principal name that is an object id (some exports write the id there)
// counts as the id.
//
// The key depends on the row and the directory only, never on the rows
// read before it, so the same records give the same alerts in any order.
// Ties learnt from the records as they pass would join more (rows giving
// only the id with rows naming the person) but made the alerts depend on
// the order rows came in, which BR-19 and the hunt's promise forbid.
type people struct {
	words *lexicon
	dir   map[string]string // folded object id -> folded principal name
	byRaw map[string]string // object id as written -> its key
	// pins are the "id:" keys of accounts configured by object id (the
	// break-glass rule's), and pinNames the names the directory gives
	// them: every row with such an id, or such a name alone, is keyed by
	// the id, so that the account as configured sees all its rows.
	pins     map[string]bool
	pinNames map[string]string
	// nameOnly are the folded names rows gave without an id, noted only
	// while accounts are pinned: a pinned id that other rows tie to such a
	// name is unjoined, so that a second read keys those rows by the pin.
	nameOnly map[string]bool

	// ties are the id and name pairs rows gave together (object id as
	// written -> smallest folded name), and orphans the "id:" keys of rows
	// that gave only an id the directory does not know. Neither changes
	// a key: Unjoined reads them after the last record, when they no
	// longer depend on the order rows came in.
	ties    map[string]string
	orphans map[string]bool
}

// accountKeys folds configured accounts as row keys: a principal name
// case-folded, an object id (bare, or as "id:" and the id, as hunt prints
// it) as "id:" and the id; empty and placeholder entries are dropped. It
// returns a new slice.
func accountKeys(accounts []string) []string {
	var out []string
	for _, a := range accounts {
		k := entra.NormalizeUPN(a)
		if id, ok := strings.CutPrefix(k, "id:"); ok {
			k = strings.TrimSpace(id) // "id: <guid>", as a hand might write it
		}
		if isObjectID(k) {
			k = "id:" + k
		}
		if k != "" && !slices.Contains(out, k) {
			out = append(out, k)
		}
	}
	return out
}

// pin keys the rows of the accounts given by object id by that id.
func (p *people) pin(accounts []string) {
	for _, a := range accounts {
		if !strings.HasPrefix(a, "id:") {
			continue
		}
		if p.pins == nil {
			p.pins, p.pinNames, p.nameOnly = map[string]bool{}, map[string]string{},
				map[string]bool{}
		}
		p.pins[a] = true
		if n, ok := p.dir[a]; ok {
			p.pinNames[n] = a
		}
	}
}

// maxIDLen is the longest object id whose key people remembers; a GUID is
// 36 bytes, and longer ids are keyed on every use rather than kept.
const maxIDLen = 64

// newPeople returns people over a directory of object ids to principal
// names, folded here; empty or placeholder entries are left out, and of
// two names an id gets in different cases the smaller is kept.
func newPeople(words *lexicon, dir map[string]string) *people {
	p := &people{words: words, dir: map[string]string{}, byRaw: map[string]string{},
		ties: map[string]string{}, orphans: map[string]bool{}}
	for id, upn := range dir {
		k, name := entra.UserKey(id, ""), entra.NormalizeUPN(upn)
		if k == "" || name == "" || isObjectID(name) {
			continue
		}
		if old, ok := p.dir[k]; !ok || name < old {
			p.dir[k] = name
		}
	}
	return p
}

// key returns the key of the person a row names by object id and
// principal name (either may be empty), or "" when it names no usable
// identity.
func (p *people) key(id, upn string) string {
	name := p.words.upns.get(upn)
	if p.pins != nil {
		if k := p.pinned(id, name); k != "" {
			if id != "" && name != "" && !isObjectID(name) {
				p.tie(id, name)
			}
			return k
		}
		if id == "" && name != "" && !isObjectID(name) {
			p.nameOnly[strings.Clone(name)] = true
		}
	}
	switch {
	case name == "":
	case !isObjectID(name):
		if id != "" {
			p.tie(id, name)
		}
		return name
	case id == "":
		id = name
	}
	if id == "" {
		return ""
	}
	if k, ok := p.byRaw[id]; ok {
		return k
	}
	k := entra.UserKey(id, "")
	if n, ok := p.dir[k]; ok {
		k = n
	} else if k != "" {
		p.orphans[k] = true
	}
	if len(id) <= maxIDLen {
		p.byRaw[strings.Clone(id)] = k
	}
	return k
}

// tie notes that a row gave object id and folded name together; of two
// names for one id the smaller is kept, as newPeople keeps it.
func (p *people) tie(id, name string) {
	if old, ok := p.ties[id]; ok && old <= name {
		return
	}
	if len(id) <= maxIDLen {
		p.ties[strings.Clone(id)] = name
	}
}

// unjoined returns, for every object id that some rows gave alone (keyed
// "id:" and the id) and other rows gave with a name, that id and the
// smallest such name; and for a pinned id the directory does not name,
// the same when some rows gave that name alone (keyed by the name, out of
// the pinned account's sight). Called after the last record, it depends
// on the records and the directory only, not on their order.
func (p *people) unjoined() map[string]string {
	out := map[string]string{}
	for id, name := range p.ties {
		k := entra.UserKey(id, "")
		_, named := p.dir[k]
		if !p.orphans[k] && !(p.pins[k] && !named && p.nameOnly[name]) {
			continue
		}
		if old, ok := out[k]; !ok || name < old {
			out[k] = name
		}
	}
	joined := make(map[string]string, len(out))
	for k, name := range out {
		joined[strings.TrimPrefix(k, "id:")] = name
	}
	return joined
}

// pinned returns the pinned key a row's object id or name gives, or "".
// A row that carries another object id is that account's, whatever name
// it gives (a principal name can pass from one account to another); only
// a row without an id is pinned by its name.
func (p *people) pinned(id, name string) string {
	if k := entra.UserKey(id, ""); k != "" && p.pins[k] {
		return k
	}
	if k := "id:" + name; isObjectID(name) && p.pins[k] {
		return k
	}
	if entra.UserKey(id, "") != "" {
		return ""
	}
	return p.pinNames[name]
}

// isObjectID reports whether a folded name has the shape of an object id
// (a GUID: 8-4-4-4-12 hexadecimal digits), which no principal name has.
func isObjectID(s string) bool {
	if len(s) != 36 {
		return false
	}
	for i := range len(s) {
		c := s[i]
		switch i {
		case 8, 13, 18, 23:
			if c != '-' {
				return false
			}
		default:
			if !('0' <= c && c <= '9' || 'a' <= c && c <= 'f') {
				return false
			}
		}
	}
	return true
}
