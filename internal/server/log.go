package server

// Log keys, constant and snake_case, in one place.
const (
	keyAlert    = "alert_id"
	keyUser     = "user"
	keyNode     = "node"
	keyAttempt  = "attempt"
	keyVerdict  = "verdict"
	keyAction   = "action"
	keyDuration = "duration"
	keyError    = "error"
	keyToken    = "token"
	keyRole     = "role"
	keyWorkers  = "workers"
	keyCount    = "count"
	keyPath     = "path"
	keyStatus   = "status"

	// The Graph poller's.
	keySubsystem = "subsystem"
	keyInterval  = "interval"
	keyOverlap   = "overlap"
	keyWindow    = "window"
	keySince     = "since"
	keyNew       = "new"
	keyKnown     = "known"
	keyFailed    = "failed"
	keyReason    = "reason"
)
