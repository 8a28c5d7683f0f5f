package investigate

import (
	"fmt"
	"os"
	"time"
)

// stamps are the size and modification time of each input file when the
// streamed read began. The passes of ReadUser and Tenant.around read the
// files again; a file that changed in between (an export still being
// written, a log rotated) would make a report whose counts, timeline and
// verdict come from different contents, so the read stops instead.
type stamps map[string]stamp

type stamp struct {
	size int64
	mod  time.Time
}

// stampFiles records the files' stamps; a file that cannot be read is
// left out (the passes report it).
func stampFiles(files []string) stamps {
	st := stamps{}
	for _, f := range files {
		if info, err := os.Stat(f); err == nil {
			st[f] = stamp{info.Size(), info.ModTime()}
		}
	}
	return st
}

// check returns an error naming the first file whose size or modification
// time is not what stampFiles saw.
func (st stamps) check(files []string) error {
	for _, f := range files {
		was, ok := st[f]
		if !ok {
			continue
		}
		info, err := os.Stat(f)
		if err != nil || info.Size() != was.size || !info.ModTime().Equal(was.mod) {
			return fmt.Errorf("%s changed while it was read (an export still being "+
				"written, a log rotated): investigate a copy that no longer changes", f)
		}
	}
	return nil
}
