package ingest

import (
	"log/slog"

	"github.com/idtriage/idtriage/internal/entra"
)

// Kind is what a file (or one record) holds.
type Kind string

// Record kinds, detected from content, never from the file name.
const (
	KindSignIn    Kind = "signins"
	KindAudit     Kind = "audits"
	KindRisk      Kind = "riskDetections"
	KindRiskyUser Kind = "riskyUsers"
	KindUser      Kind = "users"
	KindIPInfo    Kind = "ipIntel"
	KindUnknown   Kind = "unknown"
)

// FileReport is what reading one file gave: its shape, how many records of
// each kind were kept, how many were rejected, and why a file was skipped.
type FileReport struct {
	Path string `json:"path"`
	// Shape names the container and encoding found, for example
	// "graph-page", "array", "ndjson", "eventhub-records", "csv",
	// "utf-16le-bom+array".
	Shape    string       `json:"shape"`
	Counts   map[Kind]int `json:"counts,omitempty"`
	Records  int          `json:"records"`
	Rejected int          `json:"rejected"`
	// Skipped is set when nothing in the file was recognised; Reason says why.
	Skipped bool   `json:"skipped,omitempty"`
	Reason  string `json:"reason,omitempty"`
	// Note is set on a skipped file named as documentation (README.md)
	// whose text is not a log: it is logged at Info, not as a warning.
	Note bool `json:"note,omitempty"`
	// NextLink is the @odata.nextLink of a saved Graph page: the export
	// stopped before the end of the result set.
	NextLink string `json:"nextLink,omitempty"`
}

// Set is everything read from the given paths, in a deterministic order
// (sign-ins and audits sorted by time, then id).
type Set struct {
	SignIns    []entra.SignIn        `json:"signIns"`
	Audits     []entra.Audit         `json:"audits"`
	Risks      []entra.RiskDetection `json:"riskDetections"`
	RiskyUsers []entra.RiskyUser     `json:"riskyUsers"`
	Users      []entra.User          `json:"users"`
	IPs        []entra.IPInfo        `json:"ipIntel"`

	Files    []FileReport `json:"files"`
	Problems []*Error     `json:"problems"`
	// Warnings counts recoverable oddities by key, for example
	// "signin.location: JSON text decoded" or "unknown category: Foo".
	Warnings map[string]int `json:"warnings,omitempty"`
	// Duplicates is how many rows were dropped as exact duplicates (same
	// id and time) and Merged how many split rows were merged (BR-12).
	Duplicates int `json:"duplicates"`
	Merged     int `json:"merged"`
}

// logSkipped logs a skipped file: a warning, or an Info line for a note
// beside the logs, which is expected there.
func (r *FileReport) logSkipped(log *slog.Logger) {
	if r.Note {
		log.Info("file passed over", logKeyPath, r.Path, logKeyReason, r.Reason)
		return
	}
	log.Warn("file skipped", logKeyPath, r.Path, logKeyReason, r.Reason)
}
