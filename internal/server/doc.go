// Package server is idtriage's shared service: an HTTP API under /api/v1
// that takes alerts in, workers that investigate them from the job queue
// and commit each case to the store, and a web page for analysts.
//
// # Alerts in
//
// POST /api/v1/alerts takes a Graph riskyUser or riskDetection (an object,
// an array or a Graph page) as application/json, or a multipart form with
// the alert in the "alert" part and any number of "file" parts holding logs
// in the shapes the investigate command reads. Each riskyUser or
// riskDetection is one alert, whose id (see store.Key) comes from the
// tenant, the user and the alert's own id (a riskyUser's id with its
// riskLastUpdatedDateTime, since the same user can be flagged again later):
// the same alert posted twice is one case. The alert and its files are
// stored, then a job is queued; the response names the case to poll.
//
// # The Graph poller
//
// With Config.Poll, a poller asks Microsoft Graph every few minutes for
// the users at risk whose riskLastUpdatedDateTime is at or after the last
// poll's start less an overlap (15 minutes by default), as Graph makes a
// flag queryable minutes after it is raised (field report BR-31). Each
// flag goes through the same intake as a post, with the user's records
// pulled over a window as evidence, so a flag seen by two polls, or polled
// and posted under the same tenant, is one case, and a new flag on the
// same user is a new case. A flag already in the store is skipped without
// a pull. A failed poll, or a flag that could not be taken in, is logged
// and counted in idtriage_graph_poll_errors_total by reason; the next poll
// asks for it again. The first poll after a start looks back over the
// whole window, so flags raised while the service was down are not lost.
//
// # Workers
//
// Workers take jobs from the queue, read the user's earlier cases and the
// analysts' decisions on them (question 1), investigate, render the report
// in every format, and commit the case. A job is acknowledged only after
// the commit, so a worker that dies leaves its job to be delivered again,
// and the store's idempotent commit keeps the case single. An investigation
// that fails on its input fails the alert for good; a store that fails
// releases the job for a later try, until the queue's last delivery.
//
// # Access
//
// Every request needs a bearer token except /api/v1/health, /api/v1/ready
// and the page's static files, which carry no case data. Tokens are stored
// as SHA-256 hashes and have a role: reader (read cases and metrics),
// analyst (also post alerts and decisions) or admin (also manage tokens).
// A missing or unknown token gets 401, a token whose role is too weak 403.
//
// # The page
//
// The page at / is served from the binary. It asks for a token once (kept in
// the tab's session storage), then shows the case queue with verdict and
// confidence badges, each case's report in a sandboxed frame, and the
// confirm / overturn form; every value it shows is set as text, never as
// markup.
//
// # Shortcomings
//
// A job that exhausts its deliveries because the store was down is marked
// failed and must be posted again. Every node started with a poller polls:
// the cases stay single, but Graph is read once per node.
package server
