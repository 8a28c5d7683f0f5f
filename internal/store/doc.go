// Package store keeps cases at rest: the alerts taken in, the finished
// cases with their rendered reports, the analysts' decisions beside each
// machine verdict, and the hashes of the API's bearer tokens.
//
// # Backends
//
// One Store interface has two backends behind one SQL implementation:
// SQLite (modernc.org/sqlite, pure Go, a file in the data folder) for one
// node, and PostgreSQL (pgx) when several nodes share the backlog. Open
// picks the backend from the address: postgres:// or postgresql:// is
// PostgreSQL, anything else is a SQLite file. The same conformance tests
// run against both.
//
// # Idempotency
//
// An alert's id is its idempotency key (see Key), and the case it becomes
// has the same id. PutAlert and PutCase insert at most once per id and say
// whether they did, so a job delivered twice, or a worker that dies after
// committing and before acknowledging, never doubles a case.
//
// # Layout
//
// Times are stored as microseconds since the Unix epoch (UTC) in both
// backends, so ordering and filtering behave the same. Reports are stored
// gzip-compressed. The schema is created on Open; PostgreSQL nodes that
// start together serialise that step on an advisory lock.
//
// # Shortcomings
//
// The SQLite backend uses one connection, so reads wait behind writes; it
// is meant for one node. There is no retention: cases stay until deleted by
// hand.
package store
