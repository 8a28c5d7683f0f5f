package ingest

import (
	"strings"

	"github.com/idtriage/idtriage/internal/entra"
	"github.com/idtriage/idtriage/internal/jsonx"
)

// fastDecoder decodes sign-ins on the fast path. One serves one worker: it
// reuses its structs, and tries first the layout (flat Graph or Event Hub
// envelope) that decoded last, since a file rarely mixes them.
type fastDecoder struct {
	flat     fastFlat
	env      fastEnvelope
	envFirst bool
	// lean decodes into the lean structs (Options.Lean) and copies them
	// into flat and env.
	lean bool
	// fields is the groups a lean decode keeps (Options.fields).
	fields entra.Fields
	lflat  leanFlat
	lenv   leanEnvelope
	// pick reads lean flat records without the JSON decoder (fast_pick.go).
	pick picker
	// reuse decodes into the batch's sign-ins (Options.Reuse).
	reuse bool
	// whole picks the lean sign-ins to read again in full, with wholeDec
	// (Options.Whole).
	whole    func(*entra.SignIn) bool
	wholeDec *fastDecoder
}

// again reads b in full into s when the lean s read from it is one the
// caller wants whole (Options.Whole); it reports false when the full read
// leaves the record to the general decoder, which reads it whole too. The
// caller checks d.whole first: a sign-in is a large struct, not to be
// passed by value on the hot path.
func (d *fastDecoder) again(b []byte, s *entra.SignIn) bool {
	if !d.lean || !d.whole(s) {
		return true
	}
	if d.wholeDec == nil {
		d.wholeDec = &fastDecoder{}
	}
	var ok bool
	*s, ok = d.wholeDec.signIn(b, s.Pos)
	return ok
}

// signIn decodes the record in b, which starts at pos. ok is false when
// the record must go to the general decoder: not a sign-in, not valid
// JSON, or holding anything the fast path does not read exactly as the
// general decoder does.
func (d *fastDecoder) signIn(b []byte, pos entra.Pos) (entra.SignIn, bool) {
	if d.lean && !d.envFirst {
		d.lflat = leanFlat{}
		d.pick.fields = d.fields
		if d.pick.pick(b, &d.lflat.leanBody) {
			d.lflat.full(&d.flat.fastBody)
			return d.flat.signIn(nil, entra.SourceUnknown, pos)
		}
	}
	return d.signInJSON(b, pos)
}

// signInJSON is signIn through the JSON decoder, for the records the
// picker leaves.
func (d *fastDecoder) signInJSON(b []byte, pos entra.Pos) (entra.SignIn, bool) {
	if !fastCandidate(b) {
		return entra.SignIn{}, false
	}
	for range 2 {
		var s entra.SignIn
		var ok, tried bool
		if d.envFirst {
			s, ok, tried = d.envelope(b, pos)
		} else {
			s, ok, tried = d.flatRecord(b, pos)
		}
		if tried {
			return s, ok
		}
		d.envFirst = !d.envFirst
	}
	return entra.SignIn{}, false
}

// flatRecord reads b as a flat record. tried is false when b does not
// decode as one, or looks like an Event Hub envelope.
func (d *fastDecoder) flatRecord(b []byte, pos entra.Pos) (s entra.SignIn, ok, tried bool) {
	if d.lean {
		d.lflat = leanFlat{}
		if err := jsonx.Unmarshal(b, &d.lflat); err != nil || d.lflat.Properties {
			return s, false, false
		}
		if d.lflat.foreign() {
			return s, false, true
		}
		d.lflat.keep(d.fields)
		d.lflat.full(&d.flat.fastBody)
	} else {
		d.flat = fastFlat{}
		if err := jsonx.Unmarshal(b, &d.flat); err != nil || d.flat.Properties {
			return s, false, false
		}
		if d.flat.foreign() {
			return s, false, true
		}
	}
	s, ok = d.flat.signIn(nil, entra.SourceUnknown, pos)
	return s, ok, true
}

// envelope reads b as an Event Hub record of a sign-in log. tried is false
// when b does not decode as one.
func (d *fastDecoder) envelope(b []byte, pos entra.Pos) (s entra.SignIn, ok, tried bool) {
	if d.lean {
		d.lenv = leanEnvelope{}
		if err := jsonx.Unmarshal(b, &d.lenv); err != nil {
			return s, false, false
		}
		d.lenv.Properties.keep(d.fields)
		d.lenv.envelope(&d.env)
	} else {
		d.env = fastEnvelope{}
		if err := jsonx.Unmarshal(b, &d.env); err != nil {
			return s, false, false
		}
	}
	if strings.TrimSpace(d.env.Category) == "" {
		return s, false, false
	}
	e := &d.env
	if bool(e.Type) || bool(e.Value || e.Records) {
		return s, false, true
	}
	c, known := lookupCategory(strings.TrimSpace(e.Category))
	if !known || c.kind != KindSignIn || c.source == entra.SourceUnknown {
		return s, false, true
	}
	s, ok = e.Properties.signIn(e, c.source, pos)
	return s, ok, true
}
