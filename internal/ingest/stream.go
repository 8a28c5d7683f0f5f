package ingest

import (
	"github.com/idtriage/idtriage/internal/entra"
)

// Record is one record handed over by Stream. Kind says which one of the
// pointers is set; the record belongs to the callback, which may keep it.
type Record struct {
	Kind      Kind
	SignIn    *entra.SignIn
	Audit     *entra.Audit
	Risk      *entra.RiskDetection
	RiskyUser *entra.RiskyUser
	User      *entra.User
	IP        *entra.IPInfo
	// Pos is where the record starts: file, line and ordinal in the file.
	Pos entra.Pos
}

// setIndex sets the record's ordinal, on the record and on Pos.
func (r *Record) setIndex(i int) {
	r.Pos.Index = i
	switch {
	case r.SignIn != nil:
		r.SignIn.Pos.Index = i
	case r.Audit != nil:
		r.Audit.Pos.Index = i
	case r.Risk != nil:
		r.Risk.Pos.Index = i
	case r.RiskyUser != nil:
		r.RiskyUser.Pos.Index = i
	case r.User != nil:
		r.User.Pos.Index = i
	case r.IP != nil:
		r.IP.Pos.Index = i
	}
}

// MaxProblems is how many problems a Summary keeps; those past it are only
// counted, so that a file of millions of broken lines cannot fill memory.
const MaxProblems = 10000

// Summary is what Stream read besides the records: the same file reports,
// problems and warnings Read puts in a Set, and counts.
type Summary struct {
	Files []FileReport `json:"files"`
	// Problems are the records rejected and the files that failed, in the
	// order of the files and, within a file, of position. At most
	// MaxProblems are kept; ProblemsDropped counts the rest.
	Problems        []*Error `json:"problems"`
	ProblemsDropped int      `json:"problemsDropped,omitempty"`
	// Warnings counts recoverable oddities by key, as Set.Warnings does.
	Warnings map[string]int `json:"warnings,omitempty"`
	// Counts is how many records of each kind were handed to the callback.
	Counts map[Kind]int `json:"counts"`
	// Bytes is the size of the files read.
	Bytes int64 `json:"bytes"`
	// Fast and General count the records decoded by the fast path and by
	// the general decoder.
	Fast    int `json:"fast"`
	General int `json:"general"`
}

// addUnread puts the entries the caller could not read (Options.Unread)
// before the files read, marked skipped.
func (s *Summary) addUnread(unread []FileReport) {
	if len(unread) == 0 {
		return
	}
	files := make([]FileReport, 0, len(unread)+len(s.Files))
	for _, f := range unread {
		f.Skipped = true
		files = append(files, f)
	}
	s.Files = append(files, s.Files...)
}

func (s *Summary) addProblems(ps []*Error) {
	room := max(MaxProblems-len(s.Problems), 0)
	if len(ps) > room {
		s.ProblemsDropped += len(ps) - room
		ps = ps[:room]
	}
	s.Problems = append(s.Problems, ps...)
}

func (s *Summary) addWarnings(w map[string]int) {
	for k, n := range w {
		if s.Warnings == nil {
			s.Warnings = map[string]int{}
		}
		s.Warnings[k] += n
	}
}
