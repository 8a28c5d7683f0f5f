package ipintel

import (
	"bufio"
	"bytes"
	"io"
)

// utf8BOM is the UTF-8 byte-order mark that Windows editors (Notepad,
// Excel's "CSV UTF-8") write first.
var utf8BOM = []byte("\xef\xbb\xbf")

// skipBOM returns r without a leading UTF-8 byte-order mark, which would
// otherwise stick to the first field ("\ufeff20.190.128.0/18") or hide a
// header line.
func skipBOM(r io.Reader) io.Reader {
	br := bufio.NewReader(r)
	if b, err := br.Peek(len(utf8BOM)); err == nil && bytes.Equal(b, utf8BOM) {
		_, _ = br.Discard(len(utf8BOM))
	}
	return br
}
