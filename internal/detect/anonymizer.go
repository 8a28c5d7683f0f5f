package detect

import "github.com/idtriage/idtriage/internal/ipintel"

// Reason says why a sign-in with these risk event types, from an address
// with these facts, comes through an anonymizer under these parameters
// (risk event type, Tor, a VPN or proxy score or flag, a hosting network),
// or "" when it does not. investigate counts anonymizers with it, so that a
// case and a hunt with the same rules file never count one address two
// ways.
func (a AnonymizerParams) Reason(riskEvents []string, f ipintel.Facts) string {
	return a.reason(riskEvents, &f)
}
