package ipintel

import (
	"fmt"
	"strings"
)

// BadRowsError lists the rows of a known-networks file that could not be
// read, each as file:line and why. The other rows were read: one mistyped
// row should not take away the tenant's every office.
type BadRowsError struct {
	Rows []error
}

// Error names the first bad row and how many more there are.
func (e *BadRowsError) Error() string {
	var b strings.Builder
	b.WriteString(e.Rows[0].Error())
	if n := len(e.Rows) - 1; n > 0 {
		fmt.Fprintf(&b, " (and %d more bad %s)", n, plural(n, "row", "rows"))
	}
	return b.String()
}

// Unwrap returns the error of every bad row.
func (e *BadRowsError) Unwrap() []error { return e.Rows }

func plural(n int, one, many string) string {
	if n == 1 {
		return one
	}
	return many
}
