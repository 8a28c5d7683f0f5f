package investigate

import (
	"net/netip"
	"time"

	"github.com/idtriage/idtriage/internal/detect"
	"github.com/idtriage/idtriage/internal/ipintel"
)

// Config holds the thresholds of the investigation. The zero value is not
// meant to be used; start from DefaultConfig.
type Config struct {
	// User is the principal name to investigate; empty means "the alert's
	// user, else the only user present".
	User string

	// At, when set, anchors the suspicious window on that time (the start
	// of an alert idtriage hunt reported, say) instead of the anchors the
	// records give; the zero value lets the records decide.
	At time.Time

	// MaxSpeedKmh is the travel speed above which two attempts are
	// impossible travel, and MinDistanceKm the distance below which a jump is
	// ignored as geolocation noise (city-level locations are often off by
	// hundreds of kilometres). Both default to the hunt's travel rule, so a
	// hop a hunt flagged is judged alike in the case.
	MaxSpeedKmh   float64
	MinDistanceKm float64

	// CountryWindow and CountryThreshold: that many distinct countries among
	// suspicious attempts within the window is a finding.
	CountryWindow    time.Duration
	CountryThreshold int

	// MinBaseline is the number of sign-ins before the suspicious window
	// below which the baseline is too thin to call anything normal.
	MinBaseline int

	// WindowPad widens the suspicious window around its anchors, and
	// WindowChain pulls in related activity (failures, recovery) that lies
	// within that distance of the window.
	WindowPad   time.Duration
	WindowChain time.Duration

	// AnonymizerScore is the IP-intelligence VPN or proxy score at or above
	// which an address counts as an anonymizer.
	AnonymizerScore int

	// Rules are the parameters of the detection rules the case runs (the
	// file a hunt ran with); nil means detect's defaults. The travel and
	// anonymizer thresholds above still apply to their rules, so that one
	// report never judges a hop two ways; the command line takes them
	// from Rules unless given.
	Rules *detect.Params
	// BreakGlass lists emergency-access accounts for the break-glass rule,
	// added to those Rules name, as hunt's --break-glass does.
	BreakGlass []string

	// ProviderNetworks are address ranges of providers that sign in on the
	// user's behalf (Microsoft's own services reaching a mailbox, say).
	// Sign-ins from them stay in the timeline but never count as the
	// user's presence: no baseline, travel or country counts (BR-18).
	ProviderNetworks []netip.Prefix

	// Prior holds the earlier cases of the same user and the analysts'
	// decisions on them, as read from a case store, oldest first.
	// PriorSource names that store ("case store (postgres)"); empty means
	// no store was read, as on the command line, and Prior is ignored.
	Prior       []PriorCase
	PriorSource string

	// Intel, when set, is asked once about every address of the case
	// (sign-ins, audit events, risk detections) after the records and the
	// IPData files are read, and adds to the table what the other sources
	// know (see ipintel.Resolver). It returns one sentence per source that
	// did not work; they go into the case's coverage. Nil means the
	// records and IPData files only.
	Intel func(t *ipintel.Table, addrs []string) []string

	// Tenant, when set, is what the whole input held, as ReadUser learns
	// it: the Set given to Run then holds only the records ReadUser kept
	// for User. Nil means the Set holds the whole input.
	Tenant *Tenant
}

// DefaultConfig returns the thresholds documented in the README.
func DefaultConfig() Config {
	travel := detect.DefaultParams().ImpossibleTravel
	return Config{
		MaxSpeedKmh:      travel.MinSpeedKmh,
		MinDistanceKm:    travel.MinDistanceKm,
		CountryWindow:    24 * time.Hour,
		CountryThreshold: 3,
		MinBaseline:      5,
		WindowPad:        2 * time.Hour,
		WindowChain:      6 * time.Hour,
		AnonymizerScore:  90,
	}
}
