package main

import (
	"runtime/debug"
	"strings"
)

// version describes the build: the module's version when it was installed
// from a tag, else the commit it was built from (with "+dirty" when the
// tree had changes), and the Go release, so that a report or a bug can say
// which idtriage produced it.
func version() string {
	info, ok := debug.ReadBuildInfo()
	if !ok {
		return "unknown"
	}
	v := info.Main.Version
	var rev, dirty string
	for _, s := range info.Settings {
		switch s.Key {
		case "vcs.revision":
			rev = s.Value
		case "vcs.modified":
			if s.Value == "true" {
				dirty = "+dirty"
			}
		}
	}
	parts := []string{}
	if v != "" && v != "(devel)" {
		parts = append(parts, v)
	}
	if rev != "" {
		parts = append(parts, "commit "+rev[:min(len(rev), 12)]+dirty)
	}
	if len(parts) == 0 {
		parts = append(parts, "development build")
	}
	return strings.Join(parts, ", ") + ", " + info.GoVersion
}
