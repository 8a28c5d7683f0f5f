package ingest

import (
	"bytes"
	"sort"
)

// lineIndex turns byte offsets of a text into 1-based line and column
// numbers. Columns count bytes of the decoded UTF-8 text, as Go's own tools
// do, so a tab or a multi-byte character counts as its bytes.
type lineIndex []int

// newLineIndex records the offset at which every line of text starts.
// It leans on bytes.Count and bytes.IndexByte, which are vectorised: every
// record's position needs this index, so it is on the hot path.
func newLineIndex(text []byte) lineIndex {
	starts := make(lineIndex, 1, bytes.Count(text, []byte{'\n'})+1)
	for off := 0; ; {
		i := bytes.IndexByte(text[off:], '\n')
		if i < 0 {
			return starts
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
	i := sort.Search(len(l), func(i int) bool { return l[i] > off }) - 1
	if i < 0 {
		i = 0
	}
	return i + 1, off - l[i] + 1
}
