// Package graph reads one user's Microsoft Entra ID records from Microsoft
// Graph into the files package ingest reads, so that a case pulled from a
// tenant can be archived and investigated again offline with the same
// result. It knows nothing of verdicts.
//
// # Authentication
//
// Tokens come from the Azure SDK's azidentity. By default that is its
// default chain: the AZURE_* environment variables (a client secret or a
// certificate), workload identity, a managed identity, then the Azure CLI,
// the Azure Developer CLI and Azure PowerShell. A client secret, a client
// certificate, a managed identity, the Azure CLI or the environment alone
// can be chosen instead (see Auth). Secrets and tokens are held in Secret,
// which prints and logs as "[redacted]"; no log line carries one.
//
// National clouds answer on other hosts; Config takes the Graph and login
// hosts (see Clouds). For a login host Microsoft does not run, Entra ID
// instance discovery is turned off, as it would ask the public cloud.
//
// # What a pull reads
//
// For one user and a window: the profile with the manager (User.Read.All),
// the risky-user record (IdentityRiskyUser.Read.All), risk detections
// (IdentityRiskEvent.Read.All), interactive and non-interactive sign-ins
// from the beta endpoint and directory audits initiated by or targeting
// the user (AuditLog.Read.All). Each becomes one file shaped as a Graph
// page (see Source.File), and a hidden manifest records the window and
// what each source gave (ManifestFile).
//
// Filters are built in UTC with one fixed layout, never the machine's
// locale, and without quotes around times (field report BR-28). A window
// that starts before the tenant keeps sign-ins and audits (30 days) or
// risk detections (90 days) is refused before any request is sent. The
// profile and the at-risk list use $select, as Graph leaves the
// department and country out of a profile otherwise; the logs are read
// whole, so the investigation sees every field the service sends.
//
// # Paging, throttling and the budget
//
// Every @odata.nextLink is followed to the end, and only on the Graph host
// the client was given. 429 and 503 answers are retried after their
// Retry-After; 500, 502, 504 and broken connections after a capped
// exponential backoff with jitter. A record served twice, as overlapping
// pages may after a retry (BR-31), is written once: records are kept by id
// and content, so rows that share an id but differ, as the service splits
// one sign-in, all reach ingest, which merges them (BR-12).
//
// A pull has a time budget. When it runs out the pull stops and keeps what
// it read; the export is PARTIAL (BR-29): the manifest says so, and each
// source not read to its end keeps the @odata.nextLink where reading
// stopped, which investigate reports as an incomplete export.
//
// A 403 becomes one line naming the permission that is missing.
//
// # Shortcomings
//
// A partial pull cannot be resumed; pull again with a larger budget. The
// manifest records where each source stopped, but Graph does not promise
// that a skip token still works later, and resuming from the oldest time
// seen needs an order Graph does not document for every endpoint.
//
// Users are pulled one after the other; a tenant-wide sweep over many
// users at risk takes as long as their pulls added up.
//
// # The at-risk list
//
// AtRisk lists the users whose riskState is atRisk, with their risk level,
// state, detail and riskLastUpdatedDateTime; AtRiskSince keeps those whose
// risk changed since a time, for a poller. Graph keeps one riskyUser per
// user and updates it in place, so a user flagged again shows a later
// riskLastUpdatedDateTime on the same id; the older flag is no longer
// listed.
package graph
