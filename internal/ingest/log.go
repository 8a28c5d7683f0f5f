package ingest

// Attribute keys for log records, in one place so that they stay constant.
const (
	logKeyPath       = "path"
	logKeyShape      = "shape"
	logKeyRecords    = "records"
	logKeyRejected   = "rejected"
	logKeyReason     = "reason"
	logKeyFiles      = "files"
	logKeySignIns    = "signins"
	logKeyAudits     = "audits"
	logKeyRisks      = "risk_detections"
	logKeyRiskyUsers = "risky_users"
	logKeyUsers      = "users"
	logKeyIPs        = "ip_intel"
	logKeyProblems   = "problems"
	logKeyDuplicates = "duplicates"
	logKeyMerged     = "merged"
	logKeySkipped    = "skipped"
)
