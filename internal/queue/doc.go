// Package queue is the work queue of the server: one job per alert, on NATS
// JetStream, so that any number of workers on any number of nodes share one
// backlog.
//
// # Servers
//
// With no URL, Open starts a NATS server with JetStream inside the process
// (nats-server as a library), listening on no port and keeping its stream in
// a folder; that is the one-node setup. With a nats:// URL it joins an
// external server or cluster, which is how several nodes share the work.
//
// # Delivery
//
// Jobs live in a work-queue stream and are taken by a durable pull consumer
// with explicit acknowledgement. A worker acknowledges a job (Done) only
// after its case is committed; a job not acknowledged within the ack wait,
// because its worker died, is delivered again, up to MaxDeliver times.
// Publishing sets the job id as the message id, so JetStream drops a second
// publication of the same alert within its duplicate window; the store's
// idempotent commit covers the rest.
//
// # Shortcomings
//
// A job delivered to a worker that stops waiting for it at that instant
// (shutdown) is released at once when possible, otherwise it waits out the
// ack wait before another worker gets it.
package queue
