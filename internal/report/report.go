package report

import (
	"fmt"
	"io"

	"github.com/idtriage/idtriage/internal/investigate"
)

// Formats lists the output formats Write accepts.
var Formats = []string{"md", "json", "html"}

// Write renders c in the named format ("md", "json" or "html").
func Write(w io.Writer, c *investigate.Case, format string) error {
	switch format {
	case "md", "markdown":
		return Markdown(w, c)
	case "json":
		return JSON(w, c)
	case "html":
		return HTML(w, c)
	}
	return fmt.Errorf("unknown format %q (want one of md, json, html)", format)
}
