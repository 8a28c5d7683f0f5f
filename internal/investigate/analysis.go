package investigate

import (
	"time"

	"github.com/idtriage/idtriage/internal/entra"
	"github.com/idtriage/idtriage/internal/geo"
	"github.com/idtriage/idtriage/internal/ipintel"
)

// analysis is what the window holds, counted once, for the steps and the
// verdict to read. Nothing in it is text: the steps word it.
type analysis struct {
	window     []*entra.SignIn // every in-window sign-in of the user
	suspicious []*entra.SignIn
	attempts   int // distinct suspicious attempts

	risky        []*entra.SignIn
	blocked      []*entra.SignIn // CA blocks (53000-53003) among suspicious
	proofUp      []*entra.SignIn // 53004 among suspicious
	successes    []*entra.SignIn // suspicious attempts that got a token
	firstFactor  []*entra.SignIn // suspicious attempts past the password
	correctPwd   []*entra.SignIn // ... with a "Correct password" step
	credFailures []*entra.SignIn
	lockouts     []*entra.SignIn
	interrupts   []*entra.SignIn
	unknownCodes []*entra.SignIn
	anonymized   []*entra.SignIn
	adminReach   []*entra.SignIn
	policies     map[string]int // blocking policy name -> attempts

	travel       []hop
	plausibleHop []hop
	// unplaced are the window's attempts travel could not place (no
	// coordinates); placed counts those it could.
	unplaced []*entra.SignIn
	placed   int
	// othersPlaced counts the placed attempts attributed to someone else.
	othersPlaced int
	countries    []string        // most distinct countries among suspicious in CountryWindow
	countryRefs  []*entra.SignIn // the attempts behind countries

	mfa   mfaAnalysis
	spray spray // the attempts a tenant-wide password spray explains

	trustedHits []*entra.SignIn // in-window sign-ins on trusted named networks
	knownDevice []*entra.SignIn // in-window sign-ins from the user's own device

	rec recovery
}

func analyse(ev *evidence) *analysis {
	an := &analysis{policies: map[string]int{}}
	keys := map[string]bool{}

	for _, s := range ev.signIns {
		if !ev.inWindow(s.Time) {
			continue
		}
		an.window = append(an.window, s)
		fam := ev.familiar(s)
		if fam.trusted {
			an.trustedHits = append(an.trustedHits, s)
		}
		if fam.device {
			an.knownDevice = append(an.knownDevice, s)
		}
		if s.Class() == entra.ClassLockout {
			an.lockouts = append(an.lockouts, s)
		}
		if !ev.suspicious[s.ID] {
			continue
		}

		an.suspicious = append(an.suspicious, s)
		keys[s.AttemptKey()] = true
		an.countSuspicious(ev, s)
	}
	an.attempts = len(keys)

	an.travel, an.plausibleHop = travelHops(ev)
	an.unplaced, an.placed, an.othersPlaced = travelCoverage(ev)
	an.countries, an.countryRefs = mostCountries(ev, an.suspicious)
	an.mfa = analyseMFA(ev, an.window)
	an.spray = sprayOf(ev, an)
	an.rec = analyseRecovery(ev, an)
	return an
}

func (an *analysis) countSuspicious(ev *evidence, s *entra.SignIn) {
	if isRisky(s) {
		an.risky = append(an.risky, s)
	}
	if ev.anonymizer(s) {
		an.anonymized = append(an.anonymized, s)
	}
	if adminResource(s) != "" {
		an.adminReach = append(an.adminReach, s)
	}
	if s.HasStep("Correct password") {
		an.correctPwd = append(an.correctPwd, s)
	}
	if s.HasStep("Correct password") || (s.HasCode && entra.FirstFactorPassed(s.ErrorCode)) {
		an.firstFactor = append(an.firstFactor, s)
	}

	switch s.Class() {
	case entra.ClassSuccess:
		an.successes = append(an.successes, s)
	case entra.ClassCABlock:
		an.blocked = append(an.blocked, s)
		an.countPolicies(s)
	case entra.ClassProofUpBlocked:
		an.proofUp = append(an.proofUp, s)
		an.countPolicies(s)
	case entra.ClassCredentialFailure:
		an.credFailures = append(an.credFailures, s)
	case entra.ClassInterrupt:
		an.interrupts = append(an.interrupts, s)
	case entra.ClassUnknown:
		an.unknownCodes = append(an.unknownCodes, s)
	}
}

func (an *analysis) countPolicies(s *entra.SignIn) {
	names := s.BlockingPolicies()
	if len(names) == 0 {
		names = []string{"(policy not named in the record)"}
	}
	for _, n := range names {
		an.policies[n]++
	}
}

// others counts what someone other than the user tried in the window:
// the distinct sign-in attempts outside the baseline and the recovery
// steps refused from an address that is not the user's.
func (an *analysis) others() int {
	return an.attempts + len(an.rec.refused)
}

// blockedAttempts counts distinct attempts (not rows) that Conditional
// Access stopped.
func (an *analysis) blockedAttempts() int {
	keys := map[string]bool{}
	for _, s := range an.blocked {
		keys[s.AttemptKey()] = true
	}
	for _, s := range an.proofUp {
		keys[s.AttemptKey()] = true
	}
	return len(keys)
}

// hop is one move between consecutive attempts.
type hop struct {
	from, to *entra.SignIn
	km, kmh  float64
}

// travelHops walks the user's attempts, successful or not, in time order
// and returns the impossible hops that touch the window, and the plausible
// ones that enter a country the baseline never saw. Records with no
// coordinates, trusted named networks and moves within one /24 or /64 are
// skipped (BR-16, BR-21).
func travelHops(ev *evidence) (impossible, plausible []hop) {
	var prev *entra.SignIn
	for _, s := range ev.signIns {
		if !s.Location.HasCoords || ev.trusted(s) || ev.provider(s) {
			continue
		}
		if prev != nil && (ev.inWindow(s.Time) || ev.inWindow(prev.Time)) &&
			ipintel.Network(prev.IPRaw) != ipintel.Network(s.IPRaw) {
			km := geo.DistanceKm(prev.Location.Lat, prev.Location.Lon,
				s.Location.Lat, s.Location.Lon)
			hours := s.Time.Sub(prev.Time).Hours()
			kmh := km / max(hours, 1.0/3600)
			h := hop{from: prev, to: s, km: km, kmh: kmh}
			switch {
			case km >= ev.cfg.MinDistanceKm && kmh > ev.cfg.MaxSpeedKmh:
				impossible = append(impossible, h)
			case km >= ev.cfg.MinDistanceKm && !ev.familiar(s).country:
				plausible = append(plausible, h)
			}
		}
		prev = s
	}
	return impossible, plausible
}

// travelCoverage returns the window's attempts that travelHops passes
// over for want of coordinates, and counts those it reads. A portal CSV
// export carries none, so travel cannot be judged from it at all.
func travelCoverage(ev *evidence) (unplaced []*entra.SignIn, placed, othersPlaced int) {
	for _, s := range ev.signIns {
		if !ev.inWindow(s.Time) || ev.trusted(s) || ev.provider(s) {
			continue
		}
		switch {
		case !s.Location.HasCoords:
			unplaced = append(unplaced, s)
		case ev.suspicious[s.ID]:
			placed++
			othersPlaced++
		default:
			placed++
		}
	}
	return unplaced, placed, othersPlaced
}

// travelUnassessed reports whether the window holds attempts that travel
// cannot judge: too few have coordinates to measure a single move, or
// those attributed to someone else have none (the user's own placed
// sign-ins cannot show the attacker's moves; a reviewer's case).
func (an *analysis) travelUnassessed() bool {
	if len(an.travel) > 0 || len(an.unplaced) == 0 {
		return false
	}
	return an.placed < 2 || (an.othersPlaced == 0 && an.others() > 0)
}

// mostCountries finds the CountryWindow-long span with the most distinct
// countries among suspicious attempts.
func mostCountries(ev *evidence, sus []*entra.SignIn) ([]string, []*entra.SignIn) {
	var best []string
	var bestRefs []*entra.SignIn
	for i, a := range sus {
		seen := map[string]bool{}
		var refs []*entra.SignIn
		for _, b := range sus[i:] {
			if b.Time.Sub(a.Time) > ev.cfg.CountryWindow {
				break
			}
			if c := ev.country(b); c != "" && !seen[c] {
				seen[c] = true
				refs = append(refs, b)
			}
		}
		if len(seen) > len(best) {
			best, bestRefs = sortedKeys(seen), refs
		}
	}
	return best, bestRefs
}

// adminResources are applications that administer the tenant or the
// account's own credentials; names are folded with entra.Fold.
var adminResources = map[string]string{
	"azureportal":                             "Azure Portal",
	"microsoftazureportal":                    "Azure Portal",
	"windowsazureservicemanagementapi":        "Azure management API",
	"azureresourcemanager":                    "Azure management API",
	"microsoftazuremanagement":                "Azure management API",
	"mysignins":                               "My Sign-ins (security info)",
	"myprofile":                               "My Sign-ins (security info)",
	"microsoftentraadmincenter":               "Entra admin center",
	"azureactivedirectorypowershell":          "PowerShell",
	"microsoftazurepowershell":                "PowerShell",
	"microsoftgraphcommandlinetools":          "PowerShell",
	"graphexplorer":                           "Graph Explorer",
	"microsoftazurecli":                       "Azure CLI",
	"microsoftexchangeonlineremotepowershell": "PowerShell",
	"microsoftintune":                         "Intune",
}

// adminResource returns the administrative resource a sign-in aimed at, or
// "".
func adminResource(s *entra.SignIn) string {
	for _, n := range []string{s.AppDisplayName, s.ResourceDisplayName} {
		if name, ok := adminResources[entra.Fold(n)]; ok {
			return name
		}
	}
	return ""
}

// countriesOf lists the distinct countries of sign-ins, sorted.
func countriesOf(ev *evidence, ss []*entra.SignIn) []string {
	seen := map[string]bool{}
	for _, s := range ss {
		if c := ev.country(s); c != "" {
			seen[c] = true
		}
	}
	return sortedKeys(seen)
}

// span returns the first and last time of sign-ins in time order.
func span(ss []*entra.SignIn) (time.Time, time.Time) {
	if len(ss) == 0 {
		return time.Time{}, time.Time{}
	}
	return ss[0].Time, ss[len(ss)-1].Time
}

func appsOf(ss []*entra.SignIn) []string {
	seen := map[string]bool{}
	for _, s := range ss {
		if s.AppDisplayName != "" {
			seen[s.AppDisplayName] = true
		}
	}
	return sortedKeys(seen)
}
