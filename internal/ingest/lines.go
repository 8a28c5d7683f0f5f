package ingest

import "sort"

// lineIndex turns byte offsets of a text into 1-based line and column
// numbers. Columns count bytes of the decoded UTF-8 text, as Go's own tools
// do, so a tab or a multi-byte character counts as its bytes.
type lineIndex []int

// newLineIndex records the offset at which every line of text starts.
func newLineIndex(text []byte) lineIndex {
	starts := lineIndex{0}
	for i, c := range text {
		if c == '\n' {
			starts = append(starts, i+1)
		}
	}
	return starts
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
