package investigate

import (
	"sort"
	"strings"
	"time"

	"github.com/idtriage/idtriage/internal/detect"
	"github.com/idtriage/idtriage/internal/entra"
	"github.com/idtriage/idtriage/internal/geo"
	"github.com/idtriage/idtriage/internal/ingest"
	"github.com/idtriage/idtriage/internal/ipintel"
)

// evidence is one user's records and what the steps learn of them. Steps
// read it; only gather, runRules, chooseWindow, buildBaseline and classify
// write it.
type evidence struct {
	cfg  Config
	set  *ingest.Set
	ten  *Tenant  // what the whole input holds beyond set's records
	user string   // the user's key as selected (see identity)
	who  identity // the names the user's records may carry

	profile   *entra.User
	riskyUser *entra.RiskyUser
	signIns   []*entra.SignIn
	audits    []*entra.Audit
	risks     []*entra.RiskDetection
	ips       *ipintel.Table
	// anon are the anonymizer parameters of the case's rules, set when
	// first needed (anonymizer).
	anon *detect.AnonymizerParams

	// alerts are the detection rules' alerts about the user (runRules).
	alerts []detect.Alert

	homeCountry string
	window      Window
	base        baseline

	// suspicious holds the ids of in-window sign-ins attributed to someone
	// other than the user; attackerIPs their addresses.
	suspicious  map[string]bool
	attackerIPs map[string]bool
	// sprayers are the addresses that sprayed the user, with the start of
	// their spray (fromSprayer); nil until first asked.
	sprayers map[string]time.Time
	// shared are the spray addresses most of whose sprayed users then got
	// in from them (sharedSprays): no sprayer's.
	shared map[string]bool

	// intelGaps names the IP-intelligence sources that did not work.
	intelGaps []string
	// riskyHome are risky sign-ins from the user's own networks; trustedIPs
	// the addresses seen on trusted named networks.
	riskyHome  []*entra.SignIn
	trustedIPs map[string]bool
}

// gather picks the records of the user that key names (see selectUser) out
// of set, and learns what the sign-ins say of addresses from ten, which
// knows the whole input.
func gather(set *ingest.Set, ten *Tenant, key string, cfg Config) *evidence {
	who := ten.dir.identity(key)
	ev := &evidence{
		cfg: cfg, set: set, ten: ten, user: key, who: who,
		ips: ipintel.New(), suspicious: map[string]bool{}, attackerIPs: map[string]bool{},
		trustedIPs: ten.trusted,
	}
	ten.addPlaces(ev.ips)

	for i := range set.Users {
		if who.owns(set.Users[i].ID, set.Users[i].UserPrincipalName) {
			ev.profile = &set.Users[i]
		}
	}
	for i := range set.RiskyUsers {
		if who.owns(set.RiskyUsers[i].ID, set.RiskyUsers[i].UserPrincipalName) {
			ev.riskyUser = &set.RiskyUsers[i]
		}
	}

	for i := range set.SignIns {
		s := &set.SignIns[i]
		if !s.IsServicePrincipal() && who.owns(s.UserID, s.UserPrincipalName) {
			ev.signIns = append(ev.signIns, s)
		}
	}
	for i := range set.Audits {
		if ev.concerns(&set.Audits[i]) {
			ev.audits = append(ev.audits, &set.Audits[i])
		}
	}
	for i := range set.Risks {
		r := &set.Risks[i]
		if who.owns(r.UserID, r.UserPrincipalName) {
			ev.risks = append(ev.risks, r)
		}
	}
	for i := range set.IPs {
		ev.ips.AddIPInfo(&set.IPs[i])
	}
	if cfg.Intel != nil {
		ev.intelGaps = cfg.Intel(ev.ips, ev.addresses())
	}

	ev.homeCountry = ev.profileCountry()
	sortEvidence(ev)
	return ev
}

// addresses lists every address the user's records carry.
func (ev *evidence) addresses() []string {
	var out []string
	for _, s := range ev.signIns {
		out = append(out, s.IPRaw)
	}
	for _, a := range ev.audits {
		out = append(out, auditIP(a))
	}
	for _, r := range ev.risks {
		out = append(out, r.IPRaw)
	}
	return out
}

// concerns reports whether an audit event was done by or to the user.
func (ev *evidence) concerns(a *entra.Audit) bool {
	return ev.who.concerns(a)
}

// initiated reports whether the user did an audit event.
func (ev *evidence) initiated(a *entra.Audit) bool {
	return ev.who.initiated(a)
}

// profileCountry is the user's home country code from the profile: usage
// location first (always a code), then country (often a name).
func (ev *evidence) profileCountry() string {
	if ev.profile == nil {
		return ""
	}
	if c := geo.CountryCode(ev.profile.UsageLocation); c != "" {
		return c
	}
	return geo.CountryCode(ev.profile.Country)
}

func sortEvidence(ev *evidence) {
	sort.SliceStable(ev.signIns, func(i, j int) bool {
		a, b := ev.signIns[i], ev.signIns[j]
		if !a.Time.Equal(b.Time) {
			return a.Time.Before(b.Time)
		}
		return a.ID < b.ID
	})
	sort.SliceStable(ev.audits, func(i, j int) bool {
		a, b := ev.audits[i], ev.audits[j]
		if !a.Time.Equal(b.Time) {
			return a.Time.Before(b.Time)
		}
		return a.ID < b.ID
	})
	sort.SliceStable(ev.risks, func(i, j int) bool {
		a, b := ev.risks[i], ev.risks[j]
		if !a.Time().Equal(b.Time()) {
			return a.Time().Before(b.Time())
		}
		return a.ID < b.ID
	})
}

// facts returns what is known of a sign-in's address.
func (ev *evidence) facts(raw string) ipintel.Facts {
	return ev.ips.Lookup(raw)
}

// country is the sign-in's country code: the record's own, else the IP
// intelligence's.
func (ev *evidence) country(s *entra.SignIn) string {
	if c := strings.ToUpper(s.Location.Country); len(c) == 2 {
		return c
	}
	return ev.facts(s.IPRaw).Country
}

// trusted reports whether a sign-in came through a network the tenant
// trusts: a trusted named location in the record, or a trusted row of the
// known-networks file.
func (ev *evidence) trusted(s *entra.SignIn) bool {
	return s.TrustedNetwork || ev.facts(s.IPRaw).TenantTrusted
}

// provider reports whether a sign-in came from a configured provider
// network acting for the user: non-interactive and not rated risky (BR-18).
// An interactive or risky sign-in from such a range is judged like any
// other, as attackers rent machines in the same clouds.
func (ev *evidence) provider(s *entra.SignIn) bool {
	if !s.IP.IsValid() || len(ev.cfg.ProviderNetworks) == 0 || isRisky(s) {
		return false
	}
	if s.Source != entra.SourceNonInteractive && !hasEventType(s, "nonInteractiveUser") {
		return false
	}
	for _, p := range ev.cfg.ProviderNetworks {
		if p.Contains(s.IP.Unmap()) {
			return true
		}
	}
	return false
}

// targetsUser reports whether an audit event changed the user's own
// account: the user is a target, or the event names no user target and the
// user did it (self-service). An administrator's resets of other people
// are not the administrator's own credential changes.
func (ev *evidence) targetsUser(a *entra.Audit) bool {
	userTarget := false
	for _, t := range a.Targets {
		if ev.who.names(t) {
			return true
		}
		if strings.EqualFold(t.Type, "user") {
			userTarget = true
		}
	}
	return !userTarget && ev.initiated(a)
}

// auditIP is the address an audit event was initiated from.
func auditIP(a *entra.Audit) string {
	return ipintel.Key(a.Actor.IPRaw)
}
