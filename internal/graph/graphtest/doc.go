// Package graphtest is a fake Microsoft Graph and Entra ID token endpoint
// for tests, on two loopback TLS servers, so that no test reaches
// Microsoft.
//
// It serves the records of exported files (Graph pages and arrays as they
// are; Event Hub records by their properties; Log Analytics rows, JSON or
// CSV, under Graph's names) from the endpoints package graph reads,
// filtered by user and time as the client's $filter asks, newest first,
// split across @odata.nextLink pages of a few records. It answers 429 and
// 503 with Retry-After and 500 at random from a seed, repeats a record at
// the top of a page now and then, answers 403 for a permission the app is
// denied, and refuses filters in another time layout or beyond its
// retention, as Graph does. Stats counts what it did.
//
// The token endpoint accepts one app registration (TenantID, ClientID and
// ClientSecret, or a certificate assertion from that client) and issues
// tokens only for the fake Graph host's default scope; Graph requests
// without one of its tokens get a 401.
package graphtest
