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
// The Graph poller for newly risky users is not built: alerts arrive only
// through the API. A job that exhausts its deliveries because the store was
// down is marked failed and must be posted again.
package server
