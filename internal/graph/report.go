package graph

import (
	"fmt"
	"io"
	"time"
)

// Status is how a pull ended.
type Status string

// Pull statuses. A partial export holds everything read, and each source
// not read to its end keeps the @odata.nextLink where reading stopped.
const (
	StatusComplete Status = "complete"
	StatusPartial  Status = "PARTIAL"
)

// Report is what a pull read, written beside the export as ManifestFile
// and summarised on the command line.
type Report struct {
	// User is the principal name asked for and UserID its object id;
	// Window the span read (its start moved up to the retention limit
	// when it was just before it); Reason why a PARTIAL pull stopped.
	User      string    `json:"user"`
	UserID    string    `json:"userId,omitempty"`
	GraphHost string    `json:"graphHost"`
	Window    Window    `json:"window"`
	Status    Status    `json:"status"`
	Reason    string    `json:"reason,omitempty"`
	Started   time.Time `json:"started"`
	Finished  time.Time `json:"finished"`
	// Requests counts every request sent, retries included; Retries the
	// attempts after a failure; Throttled the 429 and 503 answers.
	Requests  int            `json:"requests"`
	Retries   int            `json:"retries"`
	Throttled int            `json:"throttled"`
	Sources   []SourceReport `json:"sources"`
}

// SourceReport is what one source gave.
type SourceReport struct {
	Source Source `json:"source"`
	// File is the source's file in the export; empty when the source was
	// read to its end and held nothing.
	File string `json:"file,omitempty"`
	// URL is the first page asked for, with its filter.
	URL    string `json:"url"`
	Window Window `json:"window,omitzero"`
	Pages  int    `json:"pages"`
	// Records were written; Duplicates were dropped because a record with
	// the same id and content was already written; SplitRows share an id
	// with another record but differ, and were kept for investigate to
	// merge; Anonymous records carry no id.
	Records    int  `json:"records"`
	Duplicates int  `json:"duplicates"`
	SplitRows  int  `json:"splitRows"`
	Anonymous  int  `json:"anonymous"`
	Complete   bool `json:"complete"`
	// NextLink is where reading stopped, for a source not read to its end.
	NextLink string `json:"nextLink,omitempty"`
}

// Partial reports whether any source was left unread.
func (r *Report) Partial() bool { return r.Status == StatusPartial }

// Unread lists the sources not read to their end.
func (r *Report) Unread() []Source {
	var out []Source
	for _, s := range r.Sources {
		if !s.Complete {
			out = append(out, s.Source)
		}
	}
	return out
}

// WriteSummary writes a few lines for a person: the status, each source's
// counts, and what was not read.
func (r *Report) WriteSummary(w io.Writer) error {
	_, err := fmt.Fprintf(w, "%s: %s from %s to %s, %d requests, %d retries (%d throttled)\n",
		r.User, r.Status, odataTime(r.Window.Start), odataTime(r.Window.End), r.Requests,
		r.Retries, r.Throttled)
	if r.Reason != "" && err == nil {
		_, err = fmt.Fprintf(w, "  stopped: %s\n", r.Reason)
	}
	for _, s := range r.Sources {
		if err != nil {
			return err
		}
		state := "complete"
		if !s.Complete {
			state = "NOT READ TO THE END"
			if s.Pages == 0 {
				state = "NOT READ"
			}
		}
		_, err = fmt.Fprintf(w, "  %-26s %5d records, %3d pages, %d duplicates dropped: %s\n",
			s.Source, s.Records, s.Pages, s.Duplicates, state)
	}
	return err
}
