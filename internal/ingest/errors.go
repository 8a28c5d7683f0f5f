package ingest

import "fmt"

// Error is a problem with one record or one file: it names the file and the
// position (1-based line and column; Record is the 1-based ordinal of the
// record in the file, 0 when the file as a whole failed). A record with an
// Error is rejected and counted; the records around it are still read.
type Error struct {
	File   string `json:"file"`
	Line   int    `json:"line"`
	Column int    `json:"column"`
	Record int    `json:"record,omitempty"`
	// Field names the field at fault, when one is ("createdDateTime").
	Field string `json:"field,omitempty"`
	Msg   string `json:"message"`
}

// Error formats the problem as file:line:col: [record N:] [field:] message.
func (e *Error) Error() string {
	s := fmt.Sprintf("%s:%d:%d: ", e.File, e.Line, e.Column)
	if e.Record > 0 {
		s += fmt.Sprintf("record %d: ", e.Record)
	}
	if e.Field != "" {
		s += e.Field + ": "
	}
	return s + e.Msg
}
