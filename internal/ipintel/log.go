package ipintel

// Log keys, constant and snake_case, so that log pipelines can rely on them.
const (
	keySource   = "source"
	keyIP       = "ip"
	keyAttempt  = "attempt"
	keyWait     = "wait"
	keyError    = "error"
	keyCount    = "count"
	keyReserved = "reserved"
	keyFailed   = "failed"
	keyPath     = "path"
)
