package ipintel

import "fmt"

// Source states in a Report.
const (
	StateOK      = "ok"      // every address asked got an answer or a clean "not known"
	StatePartial = "partial" // some addresses failed, others were answered
	StateFailed  = "failed"  // the source could not be opened or answered nothing
	StateOff     = "off"     // not configured
)

// Source kinds in a Report.
const (
	KindKnownNetworks = "known networks"
	KindCityDB        = "city database"
	KindASNDB         = "ASN database"
	KindIPDataAPI     = "IPData API"
	KindIPDataCache   = "IPData cache"
	KindBuiltinList   = "built-in list"
)

// SourceStatus says how one source fared in one Resolve.
type SourceStatus struct {
	// Name is the source as facts cite it: a file name, "IPData API".
	Name  string `json:"name"`
	Kind  string `json:"kind"`
	State string `json:"state"`
	// Asked counts the addresses put to the source, Answered those it gave
	// a fact for (Cached of them from the cache), Failed those it could
	// not answer because of an error.
	Asked    int `json:"asked"`
	Answered int `json:"answered"`
	Cached   int `json:"cached,omitempty"`
	Failed   int `json:"failed"`
	// Error is the first error, one line.
	Error string `json:"error,omitempty"`

	openErr error
	// skipped is why part of the source was left out (the bad rows of a
	// known-networks file) while the rest was read and asked.
	skipped error
}

func (s *SourceStatus) fail(err error) {
	s.Failed++
	if s.Error == "" {
		s.Error = err.Error()
	}
}

func (s *SourceStatus) settle() {
	switch {
	case s.State == StateOff:
	case s.openErr != nil:
		s.State, s.Error = StateFailed, s.openErr.Error()
	case s.skipped != nil:
		s.State, s.Error = StatePartial, s.skipped.Error()
	case s.Failed == 0:
		s.State = StateOK
	case s.Answered == 0:
		s.State = StateFailed
	default:
		s.State = StatePartial
	}
}

// Report is what one Resolve did, source by source, in the order the
// sources are asked.
type Report struct {
	Sources []SourceStatus `json:"sources"`
	// Addresses counts the distinct addresses resolved, Reserved those
	// answered from the reserved ranges alone.
	Addresses int `json:"addresses"`
	Reserved  int `json:"reserved"`
}

// Failed returns the sources that failed, wholly or in part.
func (r Report) Failed() []SourceStatus {
	var out []SourceStatus
	for _, s := range r.Sources {
		if s.State == StateFailed || s.State == StatePartial {
			out = append(out, s)
		}
	}
	return out
}

// Gaps describes each source of facts that did not work, one sentence
// each, for a case's coverage. The cache is left out: without it the
// facts are the same, only asked again.
func (r Report) Gaps() []string {
	var out []string
	for _, s := range r.Failed() {
		if s.Kind == KindIPDataCache {
			continue
		}
		name := s.Kind
		if s.Name != s.Kind {
			name += " " + s.Name
		}
		if s.skipped != nil {
			out = append(out, fmt.Sprintf("IP intelligence source read in part: %s (%s); "+
				"its other rows were used", name, s.Error))
			continue
		}
		if s.openErr != nil || s.Asked == 0 {
			out = append(out, fmt.Sprintf("IP intelligence source did not work: %s (%s); "+
				"no address was looked up in it", name, s.Error))
			continue
		}
		out = append(out, fmt.Sprintf("IP intelligence source did not work: %s (%s); "+
			"%d of %d addresses got no answer from it", name, s.Error, s.Failed, s.Asked))
	}
	return out
}
