package simulate

import (
	"fmt"
	"math/rand/v2"
	"slices"
	"strings"
	"time"
)

// Rule ids the ground truth names, as internal/detect defines them.
const (
	RuleTravel      = "ENTRA-IMPOSSIBLE-TRAVEL"
	RuleCountries   = "ENTRA-RISKY-COUNTRIES"
	RuleAnonAdmin   = "ENTRA-ANON-ADMIN"
	RuleCABurst     = "ENTRA-CA-BLOCK-BURST"
	RuleProofUp     = "ENTRA-PROOFUP-BLOCKED"
	RuleSSPRResets  = "ENTRA-SSPR-FAILED-RESETS"
	RuleSSPRRisk    = "ENTRA-SSPR-DURING-RISK"
	RuleUnlockFail  = "ENTRA-SSPR-UNLOCK-THEN-FAIL"
	RuleSSPRBlocked = "ENTRA-SSPR-BLOCKED"
	RuleSpray       = "ENTRA-PASSWORD-SPRAY"
	RuleDistSpray   = "ENTRA-SPRAY-DISTRIBUTED"
	RuleBrute       = "ENTRA-BRUTE-FORCE"
	RuleFatigue     = "ENTRA-MFA-FATIGUE"
	RuleLegacy      = "ENTRA-LEGACY-AUTH-SUCCESS"
	RuleSecInfo     = "ENTRA-SECINFO-NEW-COUNTRY"
	RuleBreakGlass  = "ENTRA-BREAK-GLASS-USE"
	// RuleRiskDetection is expected wherever an attack's sign-in succeeds
	// and Identity Protection detects it.
	RuleRiskDetection = "ENTRA-RISK-DETECTION-SUCCESS"
)

// attacker is one injected incident being built.
type attacker struct {
	g   *gen
	rng *rand.Rand
	inc *Incident
	out []record
	// risks are the incident's Identity Protection detections, written
	// apart from the logs (RiskFile).
	risks []*detection
}

// scenario injects one incident against the victims given.
type scenario struct {
	name string
	// victims is how many users the scenario needs (0: the break-glass
	// account only); sameOffice asks for victims of one office, attacked
	// at night in its time zone.
	victims    int
	sameOffice bool
	run        func(a *attacker, vs []*user, d int)
}

var scenarios = []scenario{
	{"impossible-travel", 1, false, (*attacker).travel},
	{"risky-countries", 1, false, (*attacker).countries},
	{"ca-block-burst", 1, false, (*attacker).caBurst},
	{"proofup-blocked", 1, false, (*attacker).proofUp},
	{"anonymizer-admin", 1, false, (*attacker).anonAdmin},
	{"sspr-failed-resets", 1, false, (*attacker).ssprResets},
	{"sspr-during-risk", 1, false, (*attacker).ssprRisk},
	{"sspr-unlock-then-fail", 1, false, (*attacker).unlockFail},
	{"sspr-blocked", 1, false, (*attacker).ssprBlocked},
	{"password-spray", 15, true, (*attacker).spray},
	{"distributed-spray", 32, true, (*attacker).distSpray},
	{"brute-force", 1, false, (*attacker).brute},
	{"mfa-fatigue", 1, false, (*attacker).fatigue},
	{"legacy-auth", 1, false, (*attacker).legacy},
	{"secinfo-new-country", 1, false, (*attacker).secInfo},
	{"break-glass", 0, false, (*attacker).breakGlass},
	{"sspr-takeover", 1, false, (*attacker).takeover},
}

// victims hands out users no other incident touched, by office.
type victims struct {
	byOffice [][]*user
	next     int
}

func newVictims(g *gen, rng *rand.Rand) *victims {
	v := &victims{byOffice: make([][]*user, len(offices))}
	for _, u := range g.t.users {
		if !u.service && !u.breakGlass && u.trip == nil && !u.created {
			i := officeIndex(u.office)
			v.byOffice[i] = append(v.byOffice[i], u)
		}
	}
	for _, us := range v.byOffice {
		rng.Shuffle(len(us), func(i, j int) { us[i], us[j] = us[j], us[i] })
	}
	return v
}

// take returns n users, of one office when same is set (the office with
// the most left), else from the offices in turn; nil when too few are left.
func (v *victims) take(n int, same bool) []*user {
	if same {
		best := 0
		for i := range v.byOffice {
			if len(v.byOffice[i]) > len(v.byOffice[best]) {
				best = i
			}
		}
		if len(v.byOffice[best]) < n {
			return nil
		}
		out := v.byOffice[best][:n]
		v.byOffice[best] = v.byOffice[best][n:]
		return out
	}
	var out []*user
	for range len(v.byOffice) {
		i := v.next % len(v.byOffice)
		v.next++
		if len(v.byOffice[i]) > 0 {
			out = append(out, v.byOffice[i][0])
			v.byOffice[i] = v.byOffice[i][1:]
			if len(out) == n {
				return out
			}
		}
	}
	return nil
}

// attacks plans and builds every incident, n of each scenario, against
// distinct users on weekdays after the first day, and returns their records
// and risk detections.
func (g *gen) attacks() ([]record, []*detection) {
	rng := rand.New(rand.NewPCG(g.cfg.Seed, 0xa77ac))
	pool := newVictims(g, rng)
	n := max(3, g.cfg.Users/300)
	var out []record
	var risks []*detection
	for k := range n {
		for _, sc := range scenarios {
			var vs []*user
			switch {
			case sc.victims == 0 && k > 0:
				continue
			case sc.victims > 0:
				if vs = pool.take(sc.victims, sc.sameOffice); vs == nil {
					g.miss(sc.name)
					continue
				}
			}
			d := g.attackDay(rng)
			inc := &Incident{ID: fmt.Sprintf("inc-%04d", len(g.truth.Incidents)+1), Scenario: sc.name}
			a := &attacker{g: g, rng: rng, inc: inc}
			sc.run(a, vs, d)
			a.detectRisky()
			a.settle()
			if !g.holds(inc) {
				// Local night in a far time zone of a one- or two-day tenant:
				// the logs would not hold it, and the truth must not claim it.
				g.miss(sc.name)
				continue
			}
			g.truth.Incidents = append(g.truth.Incidents, *inc)
			out = append(out, a.out...)
			risks = append(risks, a.risks...)
		}
	}
	return out, risks
}

// miss counts an incident of scenario that was planned and not injected.
func (g *gen) miss(scenario string) {
	if g.truth.Missing == nil {
		g.truth.Missing = map[string]int{}
	}
	g.truth.Missing[scenario]++
}

// holds reports whether the tenant's days hold every record of an
// incident: the logs are written for those days only.
func (g *gen) holds(inc *Incident) bool {
	end := g.cfg.Start.AddDate(0, 0, g.cfg.Days)
	return !inc.Start.Before(g.cfg.Start) && inc.End.Before(end)
}

// attackDay picks a weekday after the first day, so that users have a
// baseline, and before the last, so that a night attack stays in the run.
func (g *gen) attackDay(rng *rand.Rand) int {
	if g.cfg.Days <= 2 {
		return g.cfg.Days - 1
	}
	for range 20 {
		if d := 1 + rng.IntN(g.cfg.Days-2); !g.weekend(d) {
			return d
		}
	}
	return 1 + rng.IntN(g.cfg.Days-2)
}

// settle sets the incident's users and window from its records.
func (a *attacker) settle() {
	slices.SortFunc(a.out, func(x, y record) int { return x.t.Compare(y.t) })
	a.inc.Start, a.inc.End = a.out[0].t, a.out[len(a.out)-1].t
	for i := range a.inc.Expect {
		e := &a.inc.Expect[i]
		if e.Start.IsZero() {
			e.Start, e.End = a.inc.Start, a.inc.End
		}
	}
}

// expect adds a detection the incident must raise.
func (a *attacker) expect(rule string, u *user, subject string) {
	e := Expected{Rule: rule, Subject: subject}
	if u != nil {
		e.User = strings.ToLower(u.upn)
	}
	a.inc.Expect = append(a.inc.Expect, e)
}

func (a *attacker) victim(u *user) {
	k := strings.ToLower(u.upn)
	if !slices.Contains(a.inc.Users, k) {
		a.inc.Users = append(a.inc.Users, k)
	}
}

func (a *attacker) subject(s string) {
	if !slices.Contains(a.inc.Subjects, s) {
		a.inc.Subjects = append(a.inc.Subjects, s)
	}
}

// Places attacks come from.
type origin struct {
	ip  string
	at  place
	asn int
}

// abroad is a hosting address in foreign place f.
func (a *attacker) abroad(f int) origin {
	p := foreign[f%len(foreign)]
	return origin{fmt.Sprintf("%d.%d.%d.%d", p.net[0], p.net[1], a.rng.IntN(256),
		1+a.rng.IntN(254)), p.place, p.asn}
}

// far returns a foreign place at least km from p.
func (a *attacker) far(p place, km float64) int {
	for range 50 {
		f := a.rng.IntN(len(foreign))
		if distanceKm(foreign[f].place, p) >= km {
			return f
		}
	}
	return 0
}

// proxy is a residential address in the victim's own city, as residential
// proxy services sell them.
func (a *attacker) proxy(u *user) origin {
	o := u.office
	return origin{fmt.Sprintf("%d.%d.%d.%d", o.isp[0], o.isp[1], 150+a.rng.IntN(50),
		1+a.rng.IntN(254)), o.place, o.ispASN}
}

// vpnExit is a commercial VPN's exit in the victim's country.
func (a *attacker) vpnExit(u *user) origin {
	return origin{fmt.Sprintf("146.70.%d.%d", a.rng.IntN(256), 1+a.rng.IntN(254)),
		u.office.place, 9009}
}

var attackerDevice = device{os: "Linux", browser: "Firefox 128.0", ua: uaAttacker}

// signIn adds an attacker's sign-in as u.
func (a *attacker) signIn(t time.Time, u *user, ap app, o origin, code int, m mfa) *signIn {
	s := newSignIn(a.rng, t, u, ap)
	s.from(o.ip, o.at, o.asn, "", false)
	s.interactive, s.dev, s.ua, s.code, s.mfa = true, attackerDevice, uaAttacker, code, m
	a.out = append(a.out, record{t: s.t, id: s.id, s: s})
	a.victim(u)
	a.subject(o.ip)
	return s
}

// own adds the victim's own ordinary sign-in from the office, so that a
// baseline or a travel hop is there whatever the day's records are.
func (a *attacker) own(t time.Time, u *user) {
	s := newSignIn(a.rng, t, u, appHome)
	n := a.g.officeNet(a.rng, u.office)
	s.from(n.ip, n.place, n.asn, "", false)
	s.interactive, s.dev, s.ua, s.mfa = true, u.laptop, u.laptop.ua, mfaClaim
	a.out = append(a.out, record{t: s.t, id: s.id, s: s})
}

func (a *attacker) audit(ad *audit) {
	ad.ua = uaAttacker
	a.out = append(a.out, record{t: ad.t, id: ad.id, a: ad})
	if ad.target != nil {
		a.victim(ad.target)
	}
}

func risky(s *signIn, level string, types ...string) {
	s.riskDuring, s.riskAgg, s.riskState, s.riskTypes = level, level, "atRisk", types
}

// at returns hour h (fractional) of day d in the victim's time zone.
func (a *attacker) at(u *user, d int, h float64) time.Time {
	return local(a.g.cfg.Start, d, u.office).Add(time.Duration(h * float64(time.Hour))).
		Add(time.Duration(a.rng.IntN(600)) * time.Second)
}

// travel: a stolen session used from another continent minutes after the
// victim's own sign-in at the office.
func (a *attacker) travel(vs []*user, d int) {
	v := vs[0]
	t := a.at(v, d, 9.5)
	a.own(t, v)
	o := a.abroad(a.far(v.office.place, 3000))
	s := a.signIn(t.Add(40*time.Minute), v, appOWA, o, 0, mfaClaim)
	a.signIn(t.Add(55*time.Minute), v, appSharePoint, o, 0, mfaClaim)
	a.expect(RuleTravel, v, "")
	// A day later Identity Protection flags the replayed token: offline,
	// about the token's use three minutes before the session's first
	// sign-in, and tied to no request, so only the address ties it.
	det := newDetection(s, "anomalousToken", "high", stateAtRisk, offline)
	det.request, det.t = "", s.t.Add(-3*time.Minute)
	a.risks = append(a.risks, det)
	a.expect(RuleRiskDetection, v, "")
}

// countries: at-risk password guesses from five countries in one night.
func (a *attacker) countries(vs []*user, d int) {
	v := vs[0]
	t := a.at(v, d, 1)
	prev := v.office.place
	used := map[int]bool{}
	for k := range 5 {
		f := a.farNew(prev, 2800, used)
		o := a.abroad(f)
		risky(a.signIn(t.Add(time.Duration(k)*3*time.Hour), v, appOWA, o, 50126, mfaWrong),
			"medium", "unfamiliarFeatures")
		prev = o.at
	}
	a.expect(RuleCountries, v, "")
}

// farNew returns a foreign place not used yet, at least km from p.
func (a *attacker) farNew(p place, km float64, used map[int]bool) int {
	for range 100 {
		f := a.rng.IntN(len(foreign))
		if !used[f] && distanceKm(foreign[f].place, p) >= km {
			used[f] = true
			return f
		}
	}
	for f := range foreign {
		if !used[f] {
			used[f] = true
			return f
		}
	}
	return 0
}

// caBurst: the right password, blocked by Conditional Access six times
// from two countries far apart.
func (a *attacker) caBurst(vs []*user, d int) {
	v := vs[0]
	t := a.at(v, d, 2)
	f1 := a.far(v.office.place, 1000)
	f2 := a.far(foreign[f1].place, 4000)
	o1, o2 := a.abroad(f1), a.abroad(f2)
	for k := range 6 {
		o := o1
		if k >= 3 {
			o = o2
		}
		s := a.signIn(t.Add(time.Duration(k*50)*time.Minute), v, appOWA, o, 53003, mfaPassword)
		s.block = 4
	}
	a.expect(RuleCABurst, v, "")
}

// proofUp: with the password, an attempt to register MFA while the
// account is at risk, blocked with 53004.
func (a *attacker) proofUp(vs []*user, d int) {
	v := vs[0]
	t := a.at(v, d, 3)
	o := a.proxy(v)
	s := a.signIn(t, v, appMySignins, o, 53004, mfaPassword)
	s.block = 5
	risky(s, "medium", "unfamiliarFeatures")
	a.expect(RuleProofUp, v, "")
}

// anonAdmin: a password guess at the Azure portal through a VPN that
// Identity Protection flags as an anonymizer.
func (a *attacker) anonAdmin(vs []*user, d int) {
	v := vs[0]
	o := a.vpnExit(v)
	s := a.signIn(a.at(v, d, 4), v, appPortal, o, 50126, mfaWrong)
	risky(s, "medium", "anonymizedIPAddress")
	a.expect(RuleAnonAdmin, v, "")
}

// ssprResets: someone passes the SSPR gates but cannot find a password
// the policy accepts.
func (a *attacker) ssprResets(vs []*user, d int) {
	v := vs[0]
	o := a.proxy(v)
	t := a.at(v, d, 5)
	a.ssprFlow(v, o.ip, t)
	reasons := []string{"OnPremisesPolicyViolation", "FuzzyPolicyViolationInvalidPassword"}
	for k := range 5 {
		a.audit(newAudit(a.rng, t.Add(time.Duration(4+k*3)*time.Minute), v, actReset, svcSSPR,
			false, "User's password reset failed: "+reasons[k%2], o.ip))
	}
	a.subject(o.ip)
	a.expect(RuleSSPRResets, v, "")
}

// ssprFlow adds the progress events of an SSPR flow from ip at t.
func (a *attacker) ssprFlow(v *user, ip string, t time.Time) {
	for k, r := range []string{"User submitted their user ID",
		"User was presented with verification options", "User verified their identity with SMS"} {
		a.audit(newAudit(a.rng, t.Add(time.Duration(k*30)*time.Second), v, actProgress, svcSSPR,
			true, r, ip))
	}
}

// ssprRisk: high-risk attempts from abroad, then an unlock from elsewhere.
func (a *attacker) ssprRisk(vs []*user, d int) {
	v := vs[0]
	t := a.at(v, d, 2)
	o := a.abroad(a.far(v.office.place, 1000))
	for k := range 2 {
		s := a.signIn(t.Add(time.Duration(k*20)*time.Minute), v, appOWA, o, 53003, mfaPassword)
		s.block = 2
		risky(s, "high", "unfamiliarFeatures")
	}
	p := a.proxy(v)
	a.ssprFlow(v, p.ip, t.Add(2*time.Hour))
	u := newAudit(a.rng, t.Add(2*time.Hour+3*time.Minute), v, actUnlock, svcSSPR, true,
		"User unlocked their account after completing the mobile SMS verification option", p.ip)
	u.method = "SMS"
	a.audit(u)
	a.subject(p.ip)
	a.expect(RuleSSPRRisk, v, "")
}

// unlockFail: an unlock from the victim's country, then a failed sign-in
// from another country within the hour. The unlock's address showed in a
// sign-in first, which places it.
func (a *attacker) unlockFail(vs []*user, d int) {
	v := vs[0]
	t := a.at(v, d, 6)
	p := a.proxy(v)
	a.signIn(t, v, appOWA, p, 50126, mfaWrong)
	a.ssprFlow(v, p.ip, t.Add(5*time.Minute))
	u := newAudit(a.rng, t.Add(8*time.Minute), v, actUnlock, svcSSPR, true,
		"User unlocked their account after completing the mobile SMS verification option", p.ip)
	u.method = "SMS"
	a.audit(u)
	o := a.abroad(a.far(v.office.place, 1000))
	a.signIn(t.Add(50*time.Minute), v, appOWA, o, 50126, mfaWrong)
	a.expect(RuleUnlockFail, v, "")
}

// ssprBlocked: the service throttles SSPR after repeated attempts.
func (a *attacker) ssprBlocked(vs []*user, d int) {
	v := vs[0]
	p := a.proxy(v)
	t := a.at(v, d, 7)
	a.ssprFlow(v, p.ip, t)
	a.audit(newAudit(a.rng, t.Add(3*time.Minute), v, actBlocked, svcSSPR, false,
		"User's account is blocked from self-service password reset for 24 hours", p.ip))
	a.subject(p.ip)
	a.expect(RuleSSPRBlocked, v, "")
}

// spray: one hosting address tries one password on 15 users of one office
// at night; one of them used it, and the attacker signs in.
func (a *attacker) spray(vs []*user, d int) {
	o := a.abroad(a.rng.IntN(len(foreign)))
	t := a.at(vs[0], d, 3)
	for k, v := range vs {
		s := a.signIn(t.Add(time.Duration(k*70)*time.Second), v, appOWA, o, 50126, mfaWrong)
		s.ua = uaPython
	}
	hit := vs[len(vs)/2]
	s := a.signIn(t.Add(30*time.Minute), hit, appOWA, o, 0, mfaPassword)
	s.ua = uaPython
	a.expect(RuleSpray, nil, o.ip)
	a.expect(RuleSpray, hit, o.ip)
}

// distSpray: 32 users of one office, at night, from twelve addresses, one
// application, within the hour; none of them is awake to sign in after.
func (a *attacker) distSpray(vs []*user, d int) {
	t := a.at(vs[0], d, 2).Truncate(time.Hour).Add(5 * time.Minute)
	var os []origin
	for k := range 12 {
		os = append(os, a.abroad(k))
	}
	for k, v := range vs {
		s := a.signIn(t.Add(time.Duration(k*75)*time.Second), v, appBroker, os[k%len(os)], 50126,
			mfaWrong)
		s.ua, s.client = uaPython, "Mobile Apps and Desktop clients"
	}
	a.subject(appBroker.id)
	a.expect(RuleDistSpray, nil, appBroker.id)
}

// brute: twelve wrong passwords in half an hour, then the lockout.
func (a *attacker) brute(vs []*user, d int) {
	v := vs[0]
	o := a.abroad(a.rng.IntN(len(foreign)))
	t := a.at(v, d, 4)
	for k := range 12 {
		a.signIn(t.Add(time.Duration(k*150)*time.Second), v, appOWA, o, 50126, mfaWrong)
	}
	a.signIn(t.Add(31*time.Minute), v, appOWA, o, 50053, mfaNone)
	a.expect(RuleBrute, v, "")
}

// fatigue: with the password, four pushes denied, then one approved.
func (a *attacker) fatigue(vs []*user, d int) {
	v := vs[0]
	o := a.proxy(v)
	t := a.at(v, d, 22)
	for k := range 4 {
		a.signIn(t.Add(time.Duration(k*6)*time.Minute), v, appOWA, o, 500121, mfaDenied)
	}
	a.signIn(t.Add(27*time.Minute), v, appOWA, o, 0, mfaCompleted)
	a.expect(RuleFatigue, v, "")
}

// legacy: the password used over IMAP, which MFA cannot guard.
func (a *attacker) legacy(vs []*user, d int) {
	v := vs[0]
	o := a.abroad(a.rng.IntN(len(foreign)))
	s := a.signIn(a.at(v, d, 3), v, appOWA, o, 0, mfaPassword)
	s.client, s.protocol, s.ua = "IMAP4", "ropc", uaROPC
	a.expect(RuleLegacy, v, "")
}

// secInfo: from abroad, a sign-in to My Sign-ins is interrupted for MFA,
// then an authenticator is registered from the same address (a temporary
// access pass, say). The interrupted attempt places the address; no
// success from that country comes before the registration.
func (a *attacker) secInfo(vs []*user, d int) {
	v := vs[0]
	o := a.abroad(a.far(v.office.place, 1000))
	t := a.at(v, d, 14)
	a.signIn(t, v, appMySignins, o, 50074, mfaPassword)
	a.audit(newAudit(a.rng, t.Add(2*time.Minute), v, actStarted, svcMethods, true,
		"User started the registration for Authenticator App", o.ip))
	r := newAudit(a.rng, t.Add(5*time.Minute), v, actRegister, svcMethods, true,
		"User registered Authenticator App with Notification", o.ip)
	r.method = "Authenticator App"
	a.audit(r)
	a.expect(RuleSecInfo, v, "")
}

// breakGlass: the emergency account signs in from a hosting address and
// adds itself a role.
func (a *attacker) breakGlass(_ []*user, d int) {
	bg := a.g.t.users[0]
	o := a.abroad(a.rng.IntN(len(foreign)))
	t := a.at(bg, d, 1)
	s := a.signIn(t, bg, appPortal, o, 0, mfaCompleted)
	risky(s, "medium", "unfamiliarFeatures")
	r := newAudit(a.rng, t.Add(4*time.Minute), bg, actRole, svcCore, true, "", o.ip)
	r.category, r.opType = "RoleManagement", "Assign"
	a.audit(r)
	a.expect(RuleBreakGlass, bg, "")
	a.inc.Expect[len(a.inc.Expect)-1].Needs = "break-glass"
}

// takeover follows the reference case: at-risk attempts from five
// countries within a day, every one blocked by Conditional Access (one an
// anonymizer at the Azure portal, one a blocked MFA registration), while
// someone in the victim's own country unlocks the account twice through
// SSPR and fails four resets.
func (a *attacker) takeover(vs []*user, d int) {
	v := vs[0]
	t := a.at(v, d, 0.5)
	prev := v.office.place
	used := map[int]bool{}
	apps := []app{appPortal, appMySignins, appPortal, appMySignins, appPortal}
	for k := range 5 {
		o := a.abroad(a.farNew(prev, 2800, used))
		prev = o.at
		code, block := 53003, 2
		if k == 1 {
			code, block = 53004, 5
		}
		s := a.signIn(t.Add(time.Duration(k*4)*time.Hour), v, apps[k], o, code, mfaPassword)
		s.block = block
		risky(s, "high", "unfamiliarFeatures")
		if k == 0 {
			s.riskTypes = []string{"anonymizedIPAddress", "unfamiliarFeatures"}
		}
	}
	p := a.proxy(v)
	sspr := t.Add(3 * time.Hour)
	for k := range 2 {
		a.ssprFlow(v, p.ip, sspr.Add(time.Duration(k*3)*time.Hour))
		u := newAudit(a.rng, sspr.Add(time.Duration(k*3)*time.Hour+3*time.Minute), v, actUnlock,
			svcSSPR, true, "User unlocked their account after completing the mobile SMS "+
				"verification option", p.ip)
		u.method = "SMS"
		a.audit(u)
	}
	for k := range 4 {
		a.audit(newAudit(a.rng, sspr.Add(7*time.Hour+time.Duration(k*4)*time.Minute), v, actReset,
			svcSSPR, false, "User's password reset failed: OnPremisesPolicyViolation", p.ip))
	}
	a.subject(p.ip)
	for _, r := range []string{RuleCountries, RuleCABurst, RuleProofUp, RuleAnonAdmin,
		RuleSSPRResets, RuleSSPRRisk} {
		a.expect(r, v, "")
	}
}
