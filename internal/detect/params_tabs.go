package detect

import (
	"bytes"
	"fmt"
)

// tabIndent finds the first line of src indented with a tab, which YAML
// does not allow: the parser then says "found character '\t' that cannot
// start any token" with a raw tab, which a terminal shows as blank space.
// It returns an error at the tab's line and column, or nil. Tabs after the
// indentation (between a value and a comment) are allowed; the parser
// refuses one on a line of whitespace alone too. Load asks only when the
// parser failed.
func tabIndent(src []byte) error {
	for i, line := range bytes.Split(src, []byte("\n")) {
		indent := len(line) - len(bytes.TrimLeft(line, " \t"))
		if t := bytes.IndexByte(line[:indent], '\t'); t >= 0 {
			return fmt.Errorf("line %d, column %d: a tab; indent with spaces", i+1, t+1)
		}
	}
	return nil
}
