// Package ipintel answers what an address is: where it is, whose network it
// belongs to, whether the tenant knows it, and how likely it hides someone
// (VPN, proxy, hosting). Each fact carries the source that gave it, so a
// report can say "VPN score 99 (IPData)", "Honduras (sign-in location)" or
// "hosting provider (built-in list)".
//
// # Sources
//
// A Table collects the facts. The records come first: AddSignIn reads a
// sign-in's location, autonomous system and trusted named location, and
// AddIPInfo reads an IPData API response given as a file. A Resolver then
// asks the sources the records do not cover, in this order:
//
//  1. the tenant's known networks, a CSV file of cidr,name,trusted;
//  2. MaxMind-format city databases (GeoLite2-City, DB-IP Lite City in the
//     GeoLite2 layout or the flat ip-location-db layout) and ASN databases;
//  3. the IPData API, only when a key is configured, through an on-disk
//     SQLite cache whose answers live a week;
//  4. the built-in list of hosting and VPN autonomous systems that ships in
//     the binary (data/networks.csv, each entry with its source).
//
// Reserved addresses (private, loopback, link-local, CGNAT, documentation,
// benchmarking, multicast; data/reserved.csv) are answered from the built-in
// table, and from the known-networks file when it names them, and are never
// sent anywhere.
//
// # Precedence
//
// When two sources know the same fact the first in this list wins:
//
//   - place: sign-in, IPData file, city database, IPData API;
//   - network: IPData file, IPData API, ASN database, sign-in (an ASN
//     database may add the name to a number a sign-in gave);
//   - VPN, proxy and hosting: IPData file, IPData API, built-in list (the
//     list is consulted only when no IPData answer exists);
//   - tenant network: known-networks file, sign-in trusted named location.
//
// The sign-in wins for place because it is where Entra placed the address at
// the time; IP intelligence wins for network because it names the kind of
// network (isp, hosting, business).
//
// # Failures
//
// A source that cannot be opened or that fails while answering never stops
// the others: Resolve returns a Report that says, source by source, what was
// answered and what failed, and Report.Gaps turns the failures into
// sentences for a case's coverage.
//
// # What leaves the machine
//
// Nothing, unless an IPData API key is configured: then each public address
// that no IPData file answered and that the cache does not hold is sent to
// the IPData API, one request per address. Reserved addresses are never
// sent.
package ipintel
