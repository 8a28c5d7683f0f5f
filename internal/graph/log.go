package graph

// Attribute keys for log records, in one place so that they stay constant.
const (
	logKeySource     = "source"
	logKeyURL        = "url"
	logKeyStatus     = "status"
	logKeyAttempt    = "attempt"
	logKeyWait       = "wait"
	logKeyPages      = "pages"
	logKeyRecords    = "records"
	logKeyDuplicates = "duplicates"
	logKeySplitRows  = "split_rows"
	logKeyRequests   = "requests"
	logKeyRetries    = "retries"
	logKeyUser       = "user"
	logKeyStart      = "start"
	logKeyEnd        = "end"
	logKeyCredential = "credential"
	logKeyTenant     = "tenant"
	logKeyClientID   = "client_id"
	logKeySecret     = "secret"
	logKeyRequestID  = "request_id"
	logKeyError      = "error"
	logKeyPartial    = "partial"
	logKeyDuration   = "duration"
	logKeyCount      = "count"
	logKeyAuth       = "auth"
)
