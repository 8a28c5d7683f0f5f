package queue

// Log keys, constant and snake_case.
const (
	keyServer   = "server"
	keyStream   = "stream"
	keyConsumer = "consumer"
	keyError    = "error"
)
