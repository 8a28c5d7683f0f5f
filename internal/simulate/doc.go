// Package simulate generates a synthetic Microsoft Entra ID tenant: users
// in offices across time zones, their daily sign-ins and directory audit
// events as Graph beta exports them, and injected attacks of every kind
// the detection rules look for, with a ground-truth file that says which
// rule should fire for whom and when.
//
// # Normal work
//
// Each user belongs to an office (city, country, time zone) and works its
// hours on weekdays, signing in interactively a few times a day and, far
// more often, non-interactively as Outlook, Teams and OneDrive refresh
// their tokens from the laptop and the phone. A day is spent at the office
// (its egress addresses are a trusted named location), at home on a
// residential ISP, or on a mobile carrier; some users route home work
// through the corporate VPN, whose egress is a trusted named location at
// headquarters. A few users travel to another office for several days,
// taking at least as long as a flight would. Service accounts refresh
// tokens around the clock from a data centre. Noise is included: mistyped
// passwords, MFA prompts, interrupts, an occasional Conditional Access
// block, benign risk detections, self-service resets that succeed.
//
// # Attacks
//
// Attacks are injected into chosen users and days, one scenario per rule
// kind (impossible travel, countries, Conditional Access bursts, blocked
// MFA registration, anonymizers on admin portals, the SSPR patterns,
// password spray in both forms, brute force, MFA fatigue, legacy
// authentication, security info from a new country, break-glass use).
// The ground truth lists, per incident, the users and addresses involved,
// the window, and the rules that must fire.
//
// # Output
//
// The log folder holds one NDJSON file per day with that day's sign-ins
// and audits in time order, as a log forwarder writes them; truth.json
// beside it holds the ground truth. The same seed gives the same bytes.
// Records average about 4.5 KB, most of it the Conditional Access policy
// list every sign-in carries.
package simulate
