package store

// Log keys, constant and snake_case.
const (
	keyBackend = "backend"
	keyCase    = "case_id"
)
