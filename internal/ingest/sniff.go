package ingest

import (
	"bytes"
	"fmt"
	"unicode/utf8"

	"golang.org/x/text/encoding/unicode"
)

// encoding names what the bytes of a file were, as it appears in the
// FileReport shape prefix ("utf-16le-bom+array").
type encoding string

const (
	encUTF8     encoding = ""
	encUTF8BOM  encoding = "utf-8-bom"
	encUTF16LEB encoding = "utf-16le-bom"
	encUTF16BEB encoding = "utf-16be-bom"
	encUTF16LE  encoding = "utf-16le"
	encUTF16BE  encoding = "utf-16be"
	sniffWindow          = 512
)

// toUTF8 returns the file as UTF-8 text without a byte-order mark. It
// reads the BOM first (UTF-8, UTF-16 LE/BE) and, with no BOM, recognises
// UTF-16 by the zero bytes of ASCII text, which is what PowerShell 5.1
// "Out-File" and ">" produce. An error means the content is binary or in an
// encoding idtriage does not read.
func toUTF8(data []byte) ([]byte, encoding, error) {
	switch {
	case bytes.HasPrefix(data, []byte{0xFF, 0xFE, 0, 0}),
		bytes.HasPrefix(data, []byte{0, 0, 0xFE, 0xFF}):
		return nil, "", fmt.Errorf("UTF-32 text is not supported")
	case bytes.HasPrefix(data, []byte{0xEF, 0xBB, 0xBF}):
		return checkText(data[3:], encUTF8BOM)
	case bytes.HasPrefix(data, []byte{0xFF, 0xFE}):
		return fromUTF16(data, unicode.LittleEndian, encUTF16LEB)
	case bytes.HasPrefix(data, []byte{0xFE, 0xFF}):
		return fromUTF16(data, unicode.BigEndian, encUTF16BEB)
	case len(data) >= 4 && data[0] != 0 && data[1] == 0 && data[2] != 0 && data[3] == 0:
		return fromUTF16(data, unicode.LittleEndian, encUTF16LE)
	case len(data) >= 4 && data[0] == 0 && data[1] != 0 && data[2] == 0 && data[3] != 0:
		return fromUTF16(data, unicode.BigEndian, encUTF16BE)
	}
	return checkText(data, encUTF8)
}

// fromUTF16 decodes UTF-16 text; the decoder drops a leading BOM and
// replaces unpaired surrogates with U+FFFD.
func fromUTF16(data []byte, order unicode.Endianness, enc encoding) ([]byte, encoding, error) {
	dec := unicode.UTF16(order, unicode.UseBOM).NewDecoder()
	out, err := dec.Bytes(data)
	if err != nil {
		return nil, "", fmt.Errorf("decode %s: %w", enc, err)
	}
	return checkText(out, enc)
}

// checkText rejects content whose first bytes are not text: invalid UTF-8,
// or more NUL and control bytes than text holds. A few control bytes are
// text: a client can put an escape sequence in its user agent, and the
// export then carries it raw; that must not cost the rest of the file.
func checkText(text []byte, enc encoding) ([]byte, encoding, error) {
	head := text[:min(len(text), sniffWindow)]
	controls, first := 0, -1
	for i := 0; i < len(head); {
		r, size := utf8.DecodeRune(head[i:])
		if r == utf8.RuneError && size <= 1 {
			// A rune cut by the window edge is not an error.
			if len(head) < len(text) && len(head)-i < utf8.UTFMax && !utf8.FullRune(head[i:]) {
				break
			}
			return nil, "", fmt.Errorf("invalid UTF-8 at byte %d", i)
		}
		if r < 0x20 && r != '\t' && r != '\n' && r != '\r' && r != '\f' {
			if first < 0 {
				first = i
			}
			controls++
		}
		i += size
	}
	// One control byte in 32 is far more than any text export carries and
	// far less than any binary format.
	if controls > 0 && controls*32 > len(head) {
		return nil, "", fmt.Errorf("%d control bytes in the first %d, the first 0x%02x at "+
			"byte %d", controls, len(head), head[first], first)
	}
	return text, enc, nil
}

// hexHead formats the first bytes of data for an error message.
func hexHead(data []byte) string {
	const n = 16
	s := fmt.Sprintf("% x", data[:min(len(data), n)])
	if len(data) > n {
		s += " ..."
	}
	return s
}
