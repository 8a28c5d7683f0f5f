package ingest

import (
	"bytes"
	"sort"
)

// lineIndex turns byte offsets of a text into 1-based line and column
// numbers. Columns count bytes of the decoded UTF-8 text, as Go's own tools
// do, so a tab or a multi-byte character counts as its bytes.
type lineIndex struct {
	starts []int
	// line0 and col0 are added to the line and, on the text's first line,
	// to the column: they place a piece cut out of a longer text (Stream
	// decodes records and damaged stretches one piece at a time).
	line0, col0 int
}

// newLineIndex records the offset at which every line of text starts.
// It leans on bytes.Count and bytes.IndexByte, which are vectorised: every
// record's position needs this index, so it is on the hot path.
func newLineIndex(text []byte) lineIndex {
	starts := make([]int, 1, bytes.Count(text, []byte{'\n'})+1)
	for off := 0; ; {
		i := bytes.IndexByte(text[off:], '\n')
		if i < 0 {
			return lineIndex{starts: starts}
		}
		off += i + 1
		starts = append(starts, off)
	}
}

// pos returns the line and column of byte offset off.
func (l lineIndex) pos(off int) (line, col int) {
	if off < 0 {
		off = 0
	}
	i := sort.Search(len(l.starts), func(i int) bool { return l.starts[i] > off }) - 1
	if i < 0 {
		i = 0
	}
	col = off - l.starts[i] + 1
	if i == 0 {
		col += l.col0
	}
	return l.line0 + i + 1, col
}
