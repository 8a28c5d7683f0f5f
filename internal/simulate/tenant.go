package simulate

import (
	"fmt"
	"math/rand/v2"
	"strings"
	"time"
)

// user is one account of the tenant with its habits.
type user struct {
	i           int
	id, upn     string
	name        string
	title, dept string
	office      *office
	admin       bool // signs in to the Azure portal at work
	vpn         bool // works from home through the corporate VPN
	service     bool // a service account: tokens around the clock from the data centre
	breakGlass  bool // an emergency-access account, never used in normal work
	homeIP      string
	phoneIP     [3]string // carrier addresses the phone cycles through
	laptop      device
	phone       device
	// trip, when set, sends the user to another office from day tripStart
	// to tripEnd (inclusive, 0-based days of the run).
	trip               *office
	tripStart, tripEnd int
	roams              bool // the phone roams on its home carrier while abroad
	created            bool // the account is new: created and registered in the run
}

// device is a user's laptop or phone as sign-ins describe it.
type device struct {
	id, name, os, browser, trust string
	managed, compliant           bool
	ua                           string
}

var (
	firstNames = []string{"Ana", "Ben", "Chen", "Dana", "Emil", "Fatima", "Gustavo", "Hana",
		"Ivan", "Julia", "Kenji", "Lena", "Mateo", "Nadia", "Omar", "Priya", "Quinn", "Rosa",
		"Sven", "Tariq", "Uma", "Victor", "Wen", "Ximena", "Yusuf", "Zoe"}
	lastNames = []string{"Reyes", "Okafor", "Schmidt", "Tanaka", "Silva", "Kowalski", "Haddad",
		"Nguyen", "Fischer", "Moreau", "Patel", "Larsen", "Rossi", "Costa", "Kim", "Novak",
		"Garcia", "Ahmed", "Berg", "Cohen", "Dubois", "Eriksen", "Ferrari", "Gomez"}
	jobs = []struct{ title, dept string }{
		{"Customer Experience Agent", "Customer Experience"},
		{"Account Executive", "Sales"}, {"Software Engineer", "Engineering"},
		{"Financial Analyst", "Finance"}, {"HR Generalist", "People"},
		{"Marketing Specialist", "Marketing"}, {"Support Engineer", "Support"},
		{"Product Manager", "Product"}, {"Data Analyst", "Analytics"},
		{"Cloud Administrator", "IT"}, {"Identity Administrator", "IT"},
	}
)

// tenant is the users and the fixed addresses of the company.
type tenant struct {
	users    []*user
	vpnIPs   []string
	dcIP     string
	officeIP map[*office][]string
}

// newTenant draws the users and their habits from rng.
func newTenant(cfg Config, rng *rand.Rand) *tenant {
	t := &tenant{officeIP: map[*office][]string{}}
	// Headquarters egresses through a pool of four addresses (a user keeps
	// one for the day); the other offices through one.
	for i := range offices {
		o := &offices[i]
		for k := range 1 + 3*btoi(i == 0) {
			t.officeIP[o] = append(t.officeIP[o], fmt.Sprintf("%d.%d.%d.%d", o.isp[0], o.isp[1],
				200+i%50, 10+k))
		}
	}
	t.vpnIPs = []string{"20.112.52.29", "20.112.52.30"}
	t.dcIP = "20.114.40.7"
	total := 0
	for _, o := range offices {
		total += o.weight
	}
	for i := range cfg.Users {
		t.users = append(t.users, newUser(i, cfg, rng, total))
	}
	return t
}

func newUser(i int, cfg Config, rng *rand.Rand, total int) *user {
	first, last := firstNames[rng.IntN(len(firstNames))], lastNames[rng.IntN(len(lastNames))]
	u := &user{i: i, id: uuid(rng), name: first + " " + last}
	u.upn = fmt.Sprintf("%s.%s%d@%s", strings.ToLower(first), strings.ToLower(last), i, domain)
	pick := rng.IntN(total)
	for k := range offices {
		if pick -= offices[k].weight; pick < 0 {
			u.office = &offices[k]
			break
		}
	}
	job := jobs[rng.IntN(len(jobs))]
	u.title, u.dept = job.title, job.dept
	u.admin = job.dept == "IT"
	u.vpn = rng.IntN(5) == 0
	switch {
	case i == 0:
		u.breakGlass, u.upn, u.name = true, "breakglass.admin@"+domain, "Emergency Admin"
		u.title, u.dept, u.admin = "Emergency access", "IT", true
	case i%97 == 1:
		u.service = true
		u.upn, u.name = fmt.Sprintf("svc-backup%d@%s", i, domain), "Backup service account"
		u.title, u.dept = "Service account", "IT"
	case i%53 == 2 && cfg.Days > 6:
		// A traveller: a few days at another office, not the first or last.
		u.trip = &offices[(officeIndex(u.office)+1+rng.IntN(len(offices)-1))%len(offices)]
		u.tripStart = 1 + rng.IntN(cfg.Days-5)
		u.tripEnd = u.tripStart + 2 + rng.IntN(3)
		u.roams = rng.IntN(2) == 0
	}
	u.created = i%71 == 5
	o := u.office
	u.homeIP = fmt.Sprintf("%d.%d.%d.%d", o.isp[0], o.isp[1], rng.IntN(200), 1+rng.IntN(254))
	for k := range u.phoneIP {
		u.phoneIP[k] = fmt.Sprintf("%d.%d.%d.%d", o.carrier[0], o.carrier[1],
			rng.IntN(256), 1+rng.IntN(254))
	}
	u.laptop = device{id: uuid(rng), name: fmt.Sprintf("CONTOSO-%05d", i), os: "Windows 11",
		browser: "Edge 142.0.0", trust: "Azure AD joined", managed: true, compliant: true, ua: uaWindows}
	if rng.IntN(4) == 0 {
		u.laptop.os, u.laptop.browser, u.laptop.name, u.laptop.ua = "MacOs", "Safari 18.1",
			fmt.Sprintf("CONTOSO-MAC-%05d", i), uaMac
	}
	u.phone = device{id: uuid(rng), name: "iPhone", os: "Ios 18.1", browser: "Mobile Safari",
		trust: "Azure AD registered", managed: true, compliant: true, ua: uaIOS}
	if rng.IntN(3) == 0 {
		u.phone.name, u.phone.os, u.phone.browser, u.phone.ua = "Pixel 8", "Android 15",
			"Chrome Mobile 142.0", uaAndroid
	}
	return u
}

func officeIndex(o *office) int {
	for i := range offices {
		if &offices[i] == o {
			return i
		}
	}
	return 0
}

// where returns the office the user works from on day d (0-based).
func (u *user) where(d int) *office {
	if u.trip != nil && d >= u.tripStart && d <= u.tripEnd {
		return u.trip
	}
	return u.office
}

// travelling reports whether day d is a day the user flies.
func (u *user) travelling(d int) bool {
	return u.trip != nil && (d == u.tripStart || d == u.tripEnd+1)
}

// uuid draws a random version-4 UUID.
func uuid(rng *rand.Rand) string {
	const hex = "0123456789abcdef"
	var b [36]byte
	a, c := rng.Uint64(), rng.Uint64()
	j := 0
	for i := range b {
		switch i {
		case 8, 13, 18, 23:
			b[i] = '-'
			continue
		case 14:
			b[i] = '4'
			continue
		}
		v := a
		if j >= 16 {
			v = c
		}
		b[i] = hex[(v>>(4*(j%16)))&15]
		j++
	}
	b[19] = "89ab"[c>>62]
	return string(b[:])
}

// local returns the start of day d in the office's time zone, in UTC.
func local(start time.Time, d int, o *office) time.Time {
	return start.AddDate(0, 0, d).Add(-o.tz)
}

func btoi(b bool) int {
	if b {
		return 1
	}
	return 0
}
