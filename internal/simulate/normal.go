package simulate

import (
	"fmt"
	"math"
	"math/rand/v2"
	"slices"
	"time"
)

// record is one sign-in or audit event, ready to write.
type record struct {
	t  time.Time
	id string
	s  *signIn
	a  *audit
}

// day is what one user does on one day of the run.
type day struct {
	g   *gen
	rng *rand.Rand
	u   *user
	d   int
	out []record
}

// signIn adds a sign-in by the user from the given network context.
func (y *day) signIn(t time.Time, a app, at netCtx, interactive bool, dev device) *signIn {
	s := newSignIn(y.rng, t, y.u, a)
	s.from(at.ip, at.place, at.asn, at.network, at.trusted)
	s.interactive, s.dev, s.ua = interactive, dev, dev.ua
	if !interactive {
		s.client = "Mobile Apps and Desktop clients"
		s.protocol = "none"
		if a == appOutlook {
			s.ua = uaOutlookDesktop
		}
	}
	y.out = append(y.out, record{t: s.t, id: s.id, s: s})
	return s
}

func (y *day) audit(a *audit) { y.out = append(y.out, record{t: a.t, id: a.id, a: a}) }

// netCtx is where a device is: its address, place and named location.
type netCtx struct {
	ip      string
	place   place
	asn     int
	network string
	trusted bool
}

func (g *gen) officeNet(rng *rand.Rand, o *office) netCtx {
	ips := g.t.officeIP[o]
	return netCtx{ips[rng.IntN(len(ips))], o.place, o.ispASN, netOffices, true}
}

func (g *gen) vpnNet(rng *rand.Rand) netCtx {
	return netCtx{g.t.vpnIPs[rng.IntN(len(g.t.vpnIPs))], dataCentre, 8075, netVPN, true}
}

// carrierNet is the phone on the carrier at office o. A roaming phone
// keeps its home carrier's address, placed at home, wherever it is: the
// classic false impossible travel, which the generator keeps on purpose.
func carrierNet(u *user, o *office, k int) netCtx {
	ip := u.phoneIP[k%len(u.phoneIP)]
	if o == u.office || u.roams {
		return netCtx{ip, u.office.place, u.office.mobASN, "", false}
	}
	ip = fmt.Sprintf("%d.%d.%d.%d", o.carrier[0], o.carrier[1], u.i%256, 1+k%250)
	return netCtx{ip, o.place, o.mobASN, "", false}
}

func homeNet(u *user, o *office) netCtx {
	if o != u.office { // a hotel
		return netCtx{fmt.Sprintf("%d.%d.%d.%d", o.isp[0], o.isp[1], 128+u.i%100, 1+u.i%250),
			o.place, o.ispASN, "", false}
	}
	return netCtx{u.homeIP, o.place, o.ispASN, "", false}
}

// normal generates the user's ordinary records for day d.
func (g *gen) normal(u *user, d int) []record {
	y := &day{g: g, rng: dayRNG(g.cfg.Seed, u.i, d), u: u, d: d}
	switch {
	case u.breakGlass:
	case u.service:
		y.service()
	case u.travelling(d):
		y.travel()
	case g.weekend(d):
		y.weekend()
	default:
		y.workday()
	}
	y.routineAudits()
	if d > 0 && u.travelling(d-1) {
		// Nothing before the user has landed (and settled in) after
		// yesterday's flight, whatever the time zones.
		landed := g.arrival(u, d-1).Add(3 * time.Hour)
		y.out = slices.DeleteFunc(y.out, func(r record) bool { return r.t.Before(landed) })
	}
	return y.out
}

// arrival returns when the user lands on travel day d: the flight leaves
// at ten in the morning and takes the distance at 750 km/h, plus two hours.
func (g *gen) arrival(u *user, d int) time.Time {
	from, to := u.office, u.trip
	if d != u.tripStart {
		from, to = u.trip, u.office
	}
	km := distanceKm(from.place, to.place)
	dep := local(g.cfg.Start, d, from).Add(10 * time.Hour)
	return dep.Add(time.Duration((km/750 + 2) * float64(time.Hour)))
}

// dayRNG is the random source of one user's day: a day's records do not
// depend on the days or users generated before it.
func dayRNG(seed uint64, u, d int) *rand.Rand {
	return rand.New(rand.NewPCG(seed, uint64(u)<<24|uint64(d)))
}

func (g *gen) weekend(d int) bool {
	wd := g.cfg.Start.AddDate(0, 0, d).Weekday()
	return wd == time.Saturday || wd == time.Sunday
}

// minutes returns a time m minutes (with jitter) after base.
func (y *day) at(base time.Time, m float64) time.Time {
	return base.Add(time.Duration((m + y.rng.Float64()*3) * float64(time.Minute))).
		Add(time.Duration(y.rng.IntN(1000)) * time.Millisecond)
}

// service refreshes tokens every fifteen minutes from the data centre.
func (y *day) service() {
	base := y.g.cfg.Start.AddDate(0, 0, y.d)
	dc := netCtx{y.g.t.dcIP, dataCentre, 8075, "", false}
	dev := device{os: "Windows Server 2022", ua: uaPython}
	for m := 0.0; m < 24*60; m += 15 {
		s := y.signIn(y.at(base, m), appSync, dc, false, dev)
		s.ua = uaPython
	}
}

// weekend checks mail on the phone a few times.
func (y *day) weekend() {
	o := y.u.where(y.d)
	base := local(y.g.cfg.Start, y.d, o)
	for k := range 3 + y.rng.IntN(5) {
		t := y.at(base, float64(10*60+k*120+y.rng.IntN(60)))
		net := carrierNet(y.u, o, k)
		if y.rng.IntN(2) == 0 {
			net = homeNet(y.u, o)
		}
		y.signIn(t, appOutlook, net, false, y.u.phone)
	}
}

// workday is a day at the office, at home (maybe through the VPN) or on
// a mobile hotspot: interactive sign-ins, token refreshes from the laptop
// and the phone, and the day's noise.
func (y *day) workday() {
	u, o := y.u, y.u.where(y.d)
	start := local(y.g.cfg.Start, y.d, o).Add(time.Duration(8*60+y.rng.IntN(90)) * time.Minute)
	hours := 8 + y.rng.IntN(3)
	var net netCtx
	switch r := y.rng.IntN(100); {
	case o != u.office && r < 70 || o == u.office && r < 55:
		net = y.g.officeNet(y.rng, o)
	case o == u.office && u.vpn && r < 95:
		net = y.g.vpnNet(y.rng)
	case r < 90:
		net = homeNet(u, o)
	default:
		net = carrierNet(u, o, 0)
	}
	y.laptopDay(start, hours, net)
	y.phoneDay(start, hours, o, net)
}

// laptopDay is the laptop's sign-ins over a working day from net.
func (y *day) laptopDay(start time.Time, hours int, net netCtx) {
	u := y.u
	first := y.at(start, 0)
	y.noise(first, net)
	if y.d == 0 && u.i%4 == 1 && net.network == netOffices {
		// Passwords expired over the weekend: a quarter of the office types
		// the old one once on Monday morning, then the new one. From the
		// office's address that looks like a spray but for the many
		// colleagues who get in from it.
		s := y.signIn(first.Add(-75*time.Second), appHome, net, true, u.laptop)
		s.code, s.mfa, s.typo = 50126, mfaWrong, true
	}
	s := y.signIn(first, appHome, net, true, u.laptop)
	s.mfa = mfaClaim
	if y.rng.IntN(3) == 0 {
		s.mfa = mfaCompleted
	}
	if y.u.trip != nil && y.d == y.u.tripStart+1 {
		s.riskDuring, s.riskAgg, s.riskState = "medium", "medium", "atRisk"
		s.riskTypes = []string{"unfamiliarFeatures"}
	} else if y.rng.IntN(50) == 0 {
		s.riskDuring, s.riskAgg, s.riskState = "low", "low", "atRisk"
		s.riskTypes = []string{"unfamiliarFeatures"}
	}
	web := []app{appOWA, appSharePoint, appTeams}
	for k := range 1 + y.rng.IntN(3) {
		y.signIn(y.at(first, float64(60+k*110+y.rng.IntN(60))), web[y.rng.IntN(len(web))], net,
			true, u.laptop).mfa = mfaClaim
	}
	if u.admin {
		for k := range 1 + y.rng.IntN(2) {
			y.signIn(y.at(first, float64(30+k*200)), appPortal, net, true, u.laptop).mfa = mfaClaim
		}
	}
	for _, a := range []app{appOutlook, appTeams, appOneDrive} {
		for m := 5.0 + float64(y.rng.IntN(30)); m < float64(hours*60); m += 55 + float64(y.rng.IntN(10)) {
			y.signIn(y.at(first, m), a, net, false, u.laptop).mfa = mfaClaim
		}
	}
}

// phoneDay is the phone's token refreshes from early morning to evening:
// on the carrier, or on the same Wi-Fi as the laptop.
func (y *day) phoneDay(start time.Time, hours int, o *office, wifi netCtx) {
	base := start.Add(-90 * time.Minute)
	for k := range (hours + 5) / 2 {
		net := carrierNet(y.u, o, k)
		if y.rng.IntN(3) == 0 && !wifi.trusted {
			net = wifi
		}
		for _, a := range []app{appOutlook, appTeams} {
			y.signIn(y.at(base, float64(k*120+y.rng.IntN(40))), a, net, false, y.u.phone).mfa = mfaClaim
		}
	}
}

// noise adds the day's occasional mishaps before the first sign-in at t:
// an interrupt, a mistyped password, a denied push, a blocked device.
func (y *day) noise(t time.Time, net netCtx) {
	u := y.u
	switch r := y.rng.IntN(200); {
	case r < 20: // "Keep me signed in?"
		s := y.signIn(t.Add(-40*time.Second), appHome, net, true, u.laptop)
		s.code, s.mfa = 50140, mfaCompleted
	case r < 26:
		s := y.signIn(t.Add(-90*time.Second), appHome, net, true, u.laptop)
		s.code, s.mfa = 50126, mfaWrong
	case r < 27:
		s := y.signIn(t.Add(-70*time.Second), appHome, net, true, u.laptop)
		s.code, s.mfa = 500121, mfaDenied
	case r < 29:
		s := y.signIn(t.Add(2*time.Hour), appSharePoint, carrierNet(u, u.where(y.d), 1), true,
			device{os: "Android", browser: "Chrome Mobile 142.0", ua: uaAndroid})
		s.code, s.mfa, s.block = 53000, mfaPassword, 3
	case r < 30:
		s := y.signIn(t.Add(3*time.Hour), appOWA, net, true, u.laptop)
		s.code, s.mfa, s.block = 53003, mfaPassword, 4
	}
}

// travel is a day on which the user flies: morning at the origin, nothing
// while in the air (at least the flight's time at 750 km/h, plus boarding),
// evening at the destination.
func (y *day) travel() {
	u := y.u
	from, to := u.office, u.trip
	if y.d != u.tripStart {
		from, to = u.trip, u.office
	}
	dep := local(y.g.cfg.Start, y.d, from).Add(10 * time.Hour)
	for k := range 3 {
		y.signIn(y.at(dep, float64(-150+k*45)), appOutlook, carrierNet(u, from, k), false,
			u.phone).mfa = mfaClaim
	}
	arr := y.g.arrival(u, y.d)
	for k := range 3 {
		y.signIn(y.at(arr, float64(30+k*50)), appOutlook, carrierNet(u, to, k), false,
			u.phone).mfa = mfaClaim
	}
	s := y.signIn(y.at(arr, 200), appHome, homeNet(u, to), true, u.laptop)
	s.mfa = mfaCompleted
}

// routineAudits adds the directory's ordinary events about the user.
func (y *day) routineAudits() {
	u, o := y.u, y.u.where(y.d)
	base := local(y.g.cfg.Start, y.d, o)
	if u.created && y.d == 0 {
		a := newAudit(y.rng, base.Add(7*time.Hour), u, actAddUser, svcCore, true, "", "")
		a.actor, a.app, a.opType, a.ua = nil, "Contoso HR Provisioning", "Add", ""
		y.audit(a)
		net := y.g.officeNet(y.rng, o)
		y.audit(newAudit(y.rng, base.Add(9*time.Hour), u, actStarted, svcMethods, true,
			"User started the registration for Authenticator App", net.ip))
		r := newAudit(y.rng, base.Add(9*time.Hour+3*time.Minute), u, actRegister, svcMethods,
			true, "User registered Authenticator App with Notification", net.ip)
		r.method = "Authenticator App"
		y.audit(r)
	}
	switch r := y.rng.IntN(1000); {
	case r < 30:
		a := newAudit(y.rng, base.Add(time.Duration(2+y.rng.IntN(20))*time.Hour), u, actUpdate,
			svcCore, true, "", "")
		a.actor, a.app, a.ua = nil, "Contoso HR Provisioning", ""
		y.audit(a)
	case r < 33 && !u.service && !u.breakGlass && !y.g.weekend(y.d):
		y.ownReset(base.Add(time.Duration(8+y.rng.IntN(10)) * time.Hour))
	}
}

// ownReset is a user resetting a forgotten password from home: the flow's
// progress events and a reset that succeeds, sometimes after one refusal.
func (y *day) ownReset(t time.Time) {
	u := y.u
	ip := homeNet(u, u.where(y.d)).ip
	steps := []string{"User submitted their user ID",
		"User was presented with verification options",
		"User verified their identity with SMS", "User submitted a new password"}
	for k, r := range steps {
		y.audit(newAudit(y.rng, t.Add(time.Duration(k*40)*time.Second), u, actProgress, svcSSPR,
			true, r, ip))
	}
	end := t.Add(3 * time.Minute)
	if y.rng.IntN(3) == 0 {
		y.audit(newAudit(y.rng, end, u, actReset, svcSSPR, false,
			"User's password reset failed: FuzzyPolicyViolationInvalidPassword", ip))
		end = end.Add(time.Minute)
	}
	a := newAudit(y.rng, end, u, actReset, svcSSPR, true, "User successfully reset password", ip)
	a.method = "SMS"
	y.audit(a)
}

// distanceKm is the great-circle distance between two places.
func distanceKm(a, b place) float64 {
	const r = 6371.0
	la1, la2 := a.lat*math.Pi/180, b.lat*math.Pi/180
	dla, dlo := la2-la1, (b.lon-a.lon)*math.Pi/180
	h := math.Sin(dla/2)*math.Sin(dla/2) + math.Cos(la1)*math.Cos(la2)*math.Sin(dlo/2)*math.Sin(dlo/2)
	return 2 * r * math.Asin(math.Sqrt(h))
}
