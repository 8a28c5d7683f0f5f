package graph

import (
	"bufio"
	"fmt"
	"os"
	"path/filepath"

	"github.com/idtriage/idtriage/internal/jsonx"
)

// ManifestFile is the export's record of the pull: the window, each
// source's pages, records and completeness. Its name starts with a dot,
// so investigate, which skips hidden files, never reads it as evidence.
const ManifestFile = ".idtriage-pull.json"

// pageFile writes one source as one Graph page, {"@odata.context": ...,
// "value": [...], "@odata.nextLink": ...}, the shape investigate reads.
// Records are written as Graph sent them, one per line, as they arrive, so
// memory does not grow with the pull. The file is built under a hidden
// name and renamed when done; an interrupted pull leaves no half file
// that investigate would read.
type pageFile struct {
	path, part string
	f          *os.File
	w          *bufio.Writer
	records    int
	opened     bool
}

func newPageFile(dir string, src Source) *pageFile {
	return &pageFile{path: filepath.Join(dir, src.File()),
		part: filepath.Join(dir, "."+src.File()+".part")}
}

// open starts the file with the page's context, once.
func (p *pageFile) open(context string) error {
	if p.opened {
		return nil
	}
	// The records are personal data: only the owner may read them.
	f, err := os.OpenFile(p.part, os.O_WRONLY|os.O_CREATE|os.O_TRUNC, 0o600)
	if err != nil {
		return fmt.Errorf("write %s: %w", p.path, err)
	}
	p.f, p.w, p.opened = f, bufio.NewWriterSize(f, 1<<16), true
	p.w.WriteString("{")
	if context != "" {
		writeJSONString(p.w, "@odata.context")
		p.w.WriteString(":")
		writeJSONString(p.w, context)
		p.w.WriteString(",")
	}
	p.w.WriteString("\"value\":[")
	return nil
}

// add appends one record.
func (p *pageFile) add(raw []byte) error {
	if p.records > 0 {
		p.w.WriteString(",")
	}
	p.w.WriteString("\n")
	_, err := p.w.Write(raw)
	p.records++
	if err != nil {
		return fmt.Errorf("write %s: %w", p.path, err)
	}
	return nil
}

// close ends the page, with nextLink when the source was not read to the
// end, and moves the file into place.
func (p *pageFile) close(nextLink string) error {
	if err := p.open(""); err != nil {
		return err
	}
	p.w.WriteString("\n]")
	if nextLink != "" {
		p.w.WriteString(",")
		writeJSONString(p.w, "@odata.nextLink")
		p.w.WriteString(":")
		writeJSONString(p.w, nextLink)
	}
	p.w.WriteString("}\n")
	err := p.w.Flush()
	if err == nil {
		err = p.f.Sync()
	}
	if cerr := p.f.Close(); err == nil {
		err = cerr
	}
	if err == nil {
		err = os.Rename(p.part, p.path)
	}
	if err != nil {
		os.Remove(p.part)
		return fmt.Errorf("write %s: %w", p.path, err)
	}
	return nil
}

// abort drops the unfinished file.
func (p *pageFile) abort() {
	if p.f != nil {
		p.f.Close()
		os.Remove(p.part)
	}
}

func writeJSONString(w *bufio.Writer, s string) {
	b, _ := jsonx.Marshal(s)
	w.Write(b)
}

// writeFile writes data to dir/name through a hidden temporary file and a
// rename.
func writeFile(dir, name string, data []byte) error {
	path := filepath.Join(dir, name)
	tmp, err := os.CreateTemp(dir, ".idtriage-*")
	if err != nil {
		return fmt.Errorf("write %s: %w", path, err)
	}
	defer os.Remove(tmp.Name())
	if _, err := tmp.Write(data); err != nil {
		tmp.Close()
		return fmt.Errorf("write %s: %w", path, err)
	}
	if err := tmp.Close(); err != nil {
		return fmt.Errorf("write %s: %w", path, err)
	}
	if err := os.Rename(tmp.Name(), path); err != nil {
		return fmt.Errorf("write %s: %w", path, err)
	}
	return nil
}
