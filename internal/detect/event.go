package detect

import (
	"cmp"
	"strconv"
	"strings"
	"time"

	"github.com/idtriage/idtriage/internal/entra"
	"github.com/idtriage/idtriage/internal/ipintel"
)

// kind says whether an event is a sign-in, an audit or a risk detection.
type kind uint8

const (
	kindSignIn kind = iota + 1
	kindAudit
	kindRisk
)

// event is what the rules read of one record: a compact copy with the
// meanings worked out once, so the engine never keeps a decoder's record
// (which the decoder may reuse) and memory stays small per record.
type event struct {
	kind kind
	// The fields of one byte, and asn, come first, where they fill two
	// words rather than padding five: an event is allocated per record.
	seen              uint8  // bit per scope: evaluated in a group of that scope
	located           bool   // sign-in: lat and lon are known
	trusted, provider bool   // sign-in: trusted named network; configured provider network
	atRisk            bool   // sign-in: risk level and state per Params.AtRisk
	reserved          bool   // private, documentation or other reserved range
	denied, fraud     bool   // sign-in: an MFA prompt denied or unanswered; reported as fraud
	background        bool   // sign-in: a non-interactive one (a token refreshed by a client)
	ok                bool   // audit: the activity succeeded
	placed            bool   // placeFacts ran
	asn               uint32 // sign-in: autonomous system of the address, 0 when unknown

	id   string
	t    time.Time
	user string // entra.UserKey; "" when the record names no usable identity

	// Sign-in fields.
	key      string         // attempt: originalRequestId, else id (BR-11)
	ip       string         // canonical address, "" when none
	facts    *ipintel.Facts // the record of ip's facts (Options.FactsEntry), or nil
	net      string         // the /24 or /64 holding ip
	country  string
	lat, lon float64
	code     int
	class    entra.CodeClass
	app      string // display name, as written
	appKey   string // app id, else folded display name
	admin    string // the administrative resource reached, or ""
	legacy   string // the legacy client or flow used, or ""
	device   string // id of a managed or compliant device, or ""
	agent    string // user agent, as written

	riskLevel  string
	anonymizer string // why the address counts as an anonymizer, or ""
	// holders are the serials of the groups whose ids map holds this event
	// (see holds): its home group and, for an audit, its actor's; 0 when
	// none.
	holders [2]uint64
	// idHash is idHash(heldAs()), set when a group takes or finds the id.
	idHash uint64

	// Audit fields (see aud), nil for other kinds: a hunt holds thousands
	// of sign-ins, which fit a size class of 352 bytes rather than 416
	// without them.
	audit *auditFacts

	// Risk detection fields: ip, country and riskLevel (lower case) are
	// the detection's; the rest is in risk, which is nil for other kinds,
	// so a sign-in carries one pointer for them.
	risk *riskFacts
}

// riskFacts is what the rules read of an Identity Protection detection
// beyond its time, user, address and level.
type riskFacts struct {
	held      string    // the id under which a group holds it (heldAs)
	request   string    // requestId: the id of the sign-in it concerns, or ""
	eventType string    // riskEventType, else riskType
	state     string    // riskState, as written
	timing    string    // detectionTimingType
	updated   time.Time // lastUpdatedDateTime
	// signIns are the sign-ins given whose id or originalRequestId is
	// request, under any user key, earliest first (requestBook).
	signIns []*event
}

// before orders events: time, then sign-ins before audits, then id, so
// that any input order gives one sequence. The ids are compared only for
// events at the same time, which few are.
func before(a, b *event) int {
	if c := a.t.Compare(b.t); c != 0 {
		return c
	}
	return cmp.Or(cmp.Compare(a.kind, b.kind), cmp.Compare(a.id, b.id))
}

// supersedes reports whether row r of a held record's id replaces the row
// held, h: a later row decides the outcome (BR-12), and of rows at the same
// time the greater in rowOrder, so that the choice never depends on which
// row came first.
func supersedes(r, h *event) bool {
	if c := r.t.Compare(h.t); c != 0 {
		return c > 0
	}
	return rowOrder(r, h) > 0
}

// rowOrder is a total order on the content of rows of one id logged at the
// same time. A sign-in passes interrupts (MFA or a device required) before
// it ends, and a failure followed by a success is a user switching methods
// (BR-11); so a success ranks above a failure, a failure above an
// interrupt, and any status above none. Within a stage, the row that
// alarms more ranks higher (fraud, a denied prompt, risk); the rest of the
// content then orders rows that differ elsewhere, in no meaningful way but
// always the same one.
func rowOrder(a, b *event) int {
	return cmp.Or(
		cmp.Compare(a.stage(), b.stage()), cmpRiskRows(a.risk, b.risk),
		cmpBool(a.fraud, b.fraud), cmpBool(a.denied, b.denied), cmpBool(a.atRisk, b.atRisk),
		cmp.Compare(riskRank(a.riskLevel), riskRank(b.riskLevel)),
		cmp.Compare(a.code, b.code), cmp.Compare(a.class, b.class),
		cmp.Compare(a.riskLevel, b.riskLevel), cmp.Compare(a.anonymizer, b.anonymizer),
		cmp.Compare(a.key, b.key), cmp.Compare(a.ip, b.ip), cmp.Compare(a.net, b.net),
		cmp.Compare(a.country, b.country), cmp.Compare(a.lat, b.lat), cmp.Compare(a.lon, b.lon),
		cmpBool(a.located, b.located), cmp.Compare(a.asn, b.asn),
		cmpBool(a.reserved, b.reserved),
		cmp.Compare(a.app, b.app), cmp.Compare(a.appKey, b.appKey),
		cmp.Compare(a.admin, b.admin), cmp.Compare(a.legacy, b.legacy),
		cmp.Compare(a.device, b.device), cmp.Compare(a.agent, b.agent),
		cmpBool(a.trusted, b.trusted), cmpBool(a.provider, b.provider),
		cmpBool(a.background, b.background), cmp.Compare(a.aud().activity, b.aud().activity),
		cmp.Compare(a.aud().name, b.aud().name),
		cmpBool(a.ok, b.ok), cmp.Compare(a.aud().reason, b.aud().reason),
		cmp.Compare(a.aud().actor, b.aud().actor), cmp.Compare(a.user, b.user),
	)
}

// stage is how far along a sign-in's flow its outcome is
// (entra.CodeClass.Stage); 0 for audits.
func (e *event) stage() int {
	if e.kind != kindSignIn {
		return 0
	}
	return e.class.Stage()
}

// heldAs is the key under which a group holds the event's id. A risk
// detection's id has a space of its own: Graph's documented example gives a
// detection the id of its sign-in, which must not make either a repeat of
// the other.
func (e *event) heldAs() string {
	if e.risk != nil {
		return e.risk.held
	}
	return e.id
}

// cmpRiskRows orders two rows of one detection: the one updated last
// ranks higher, so a detection dismissed after an earlier export is read
// as dismissed. Nil (any other kind) is equal to nil.
func cmpRiskRows(a, b *riskFacts) int {
	if a == nil || b == nil {
		return cmpBool(a != nil, b != nil)
	}
	return cmp.Or(a.updated.Compare(b.updated), cmp.Compare(a.state, b.state),
		cmp.Compare(a.eventType, b.eventType), cmp.Compare(a.request, b.request),
		cmp.Compare(a.timing, b.timing))
}

// cmpBool orders false before true.
func cmpBool(a, b bool) int {
	switch {
	case a == b:
		return 0
	case a:
		return 1
	}
	return -1
}

// failed reports whether a sign-in was refused for a reason other than an
// interrupt: wrong password, lockout, Conditional Access, MFA, disabled.
func (e *event) failed() bool {
	switch e.class {
	case entra.ClassSuccess, entra.ClassInterrupt, entra.ClassUnknown:
		return false
	}
	return e.kind == kindSignIn
}

func (e *event) success() bool { return e.kind == kindSignIn && e.class == entra.ClassSuccess }

// presence reports whether a located sign-in says where the user was:
// provider networks act for the user and never do (BR-18, S-10).
func (e *event) presence() bool { return e.kind == kindSignIn && !e.provider }

// newSignIn copies what the rules need out of s, and returns as well the
// group of its user, nil when it names none.
func (en *Engine) newSignIn(s *entra.SignIn) (*event, *group) {
	e := &event{
		kind: kindSignIn, id: s.ID, t: s.Time.UTC(), key: s.AttemptKey(),
		code: s.ErrorCode, class: s.Class(), app: s.AppDisplayName,
		trusted: s.TrustedNetwork, agent: s.UserAgent,
	}
	var home *group
	e.user, home = en.signer(s.UserID, s.UserPrincipalName)
	e.appKey = en.words.lowerID(s.AppID)
	if e.appKey == "" {
		e.appKey = en.words.fold(s.AppDisplayName)
	}
	e.ip, e.net, e.facts = en.address(s)
	e.provider = en.opts.provider(s)
	e.place(s)
	e.asn = uint32(max(s.ASN, 0))
	during := strings.ToLower(s.RiskLevelDuringSignIn)
	aggregated := strings.ToLower(s.RiskLevelAggregated)
	e.riskLevel = higherRisk(during, aggregated)
	e.atRisk = en.p.AtRisk.atRisk(during, aggregated, s.RiskState)
	e.anonymizer = en.p.Anonymizer.reason(s.RiskEventTypes, nil)
	e.admin = en.words.admin(s)
	e.legacy = en.words.legacy(s)
	e.denied, e.fraud = mfaDenial(s)
	e.background = s.Source == entra.SourceNonInteractive
	if s.Device.ID != "" && (s.Device.IsManaged || s.Device.IsCompliant) {
		e.device = en.words.lowerID(s.Device.ID)
	}
	return e, home
}

// maxSigners bounds the engine's cache of principal names (see signer).
const maxSigners = 1 << 14

// signerRef is what a sign-in's principal name as written, with the object
// id id, gave: the person's key and group.
type signerRef struct {
	id, key string
	g       *group
}

// signer returns the key of the person a sign-in names by object id and
// principal name, as people.key does, and that person's group, nil when
// the key is empty. A name met before with the same id gives both with
// one probe, where people.key and the groups cost three: the key depends
// on the row and the directory only, people.key has no effect a second
// call of the same row could add, and a user's group is never released.
func (en *Engine) signer(id, upn string) (string, *group) {
	if upn == "" {
		k := en.people.key(id, upn)
		return k, en.group(scopeUser, k)
	}
	if r, ok := en.signers[upn]; ok && r.id == id {
		return r.key, r.g
	}
	k := en.people.key(id, upn)
	g := en.group(scopeUser, k)
	if len(upn) <= maxMemoKey && len(id) <= maxIDLen {
		if len(en.signers) >= maxSigners {
			clear(en.signers) // starting again keeps the names in use
		}
		en.signers[strings.Clone(upn)] = signerRef{strings.Clone(id), k, g}
	}
	return k, g
}

// address returns the canonical text of the sign-in's address, the /24
// or /64 holding it, and the record of its facts (Options.FactsEntry, nil
// when none), from the address the decoder already parsed. An address
// without a record is asked again on its next sign-in.
func (en *Engine) address(s *entra.SignIn) (ip, network string, facts *ipintel.Facts) {
	if !s.IP.IsValid() {
		return ipintel.Key(s.IPRaw), "", nil
	}
	a := s.IP.WithZone("").Unmap()
	t := en.addrs.of(a)
	if t.facts == nil && en.opts.FactsEntry != nil {
		if t.facts = en.opts.FactsEntry(t.ip); t.facts != nil {
			en.addrs[a] = t
		}
	}
	return t.ip, t.net, t.facts
}

// place takes the country and coordinates the record gives; placeFacts
// fills the rest from the address's facts.
func (e *event) place(s *entra.SignIn) {
	if c := strings.ToUpper(strings.TrimSpace(s.Location.Country)); len(c) == 2 {
		e.country = countryText(c)
	}
	if s.Location.HasCoords {
		e.lat, e.lon, e.located = s.Location.Lat, s.Location.Lon, true
	}
}

// newAudit copies what the rules need out of a. Its user is the target
// user, else the initiating user.
func (en *Engine) newAudit(a *entra.Audit) *event {
	e := &event{
		kind: kindAudit, id: a.ID, t: a.Time.UTC(), ok: a.Succeeded(),
		ip: ipintel.Key(a.Actor.IPRaw),
		audit: &auditFacts{name: a.Activity, activity: entra.ClassifyActivity(a.Activity),
			reason: a.ResultReason},
	}
	if a.Actor.Type == entra.ActorUser {
		e.audit.actor = en.people.key(a.Actor.ID, a.Actor.UserPrincipalName)
	}
	e.user = e.audit.actor
	for _, t := range a.Targets {
		if entra.NormalizeUPN(t.UserPrincipalName) != "" || entra.Fold(t.Type) == "user" {
			if k := en.people.key(t.ID, t.UserPrincipalName); k != "" {
				e.user = k
				break
			}
		}
	}
	return e
}

// placeFacts fills what an event takes from its address's facts where
// its record said nothing: the country, the coordinates, the autonomous
// system, the anonymizer reading, and whether the range is reserved. It
// runs when the event is first evaluated (see takeFacts), not when it
// comes: the facts come from the sign-ins read so far, and by then every
// record of the event's time is in, whichever was read first (a sign-in
// and an unlock from one address at one second gave the audit a country
// in one order and none in the other).
func (en *Engine) placeFacts(e *event) {
	e.placed = true
	if e.ip == "" {
		return
	}
	f := e.facts
	if f == nil {
		looked := en.facts(e.ip)
		f = &looked
	}
	if e.country == "" {
		e.country = countryText(f.Country)
	}
	if e.kind == kindRisk {
		return // a detection reads only the country of its address
	}
	e.reserved = f.Reserved
	if e.anonymizer == "" {
		e.anonymizer = en.p.Anonymizer.reason(nil, f)
	}
	if e.kind != kindSignIn {
		return
	}
	if !e.located && f.HasCoords {
		e.lat, e.lon, e.located = f.Lat, f.Lon, true
	}
	if e.asn == 0 && f.ASN > 0 {
		e.asn = uint32(f.ASN)
	}
}

// newRisk copies what the rules need out of d. Its time is the activity
// time (entra.RiskDetection.Time), the time of the sign-in it concerns.
func (en *Engine) newRisk(d *entra.RiskDetection) *event {
	e := &event{
		kind: kindRisk, id: d.ID, t: d.Time().UTC(),
		user:      en.people.key(d.UserID, d.UserPrincipalName),
		riskLevel: strings.ToLower(d.RiskLevel),
		risk: &riskFacts{held: "risk detection " + d.ID,
			request: strings.TrimSpace(d.RequestID), eventType: d.EventType,
			state: strings.TrimSpace(d.RiskState), timing: d.TimingType,
			updated: d.LastUpdated.UTC()},
	}
	if d.IP.IsValid() {
		e.ip = en.addrs.of(d.IP.WithZone("").Unmap()).ip
	} else {
		e.ip = ipintel.Key(d.IPRaw)
	}
	if c := strings.ToUpper(strings.TrimSpace(d.Location.Country)); len(c) == 2 {
		e.country = countryText(c)
	}
	return e
}

// higherRisk is the higher of the risk levels during the sign-in and
// aggregated, both in lower case.
func higherRisk(during, aggregated string) string {
	if riskRank(aggregated) > riskRank(during) {
		return aggregated
	}
	return during
}

func riskRank(l string) int {
	switch l {
	case "low":
		return 1
	case "medium":
		return 2
	case "high":
		return 3
	}
	return 0
}

// atRisk applies the at-risk definition to a sign-in's risk levels (in
// lower case) and risk state.
func (r RiskParams) atRisk(during, aggregated, state string) bool {
	if !containsFold(r.Levels, during) && !containsFold(r.Levels, aggregated) {
		return false
	}
	return !containsFold(r.ExcludeStates, state)
}

// reason says why an address counts as an anonymizer, or "", by the risk
// events of a sign-in and the facts f of its address (nil: none known). f
// is read, not copied: it is often the table's record (Options.FactsEntry).
func (a AnonymizerParams) reason(riskEvents []string, f *ipintel.Facts) string {
	for _, t := range riskEvents {
		if containsFold(a.RiskEventTypes, t) {
			return "risk event " + t
		}
	}
	if f == nil {
		return ""
	}
	switch {
	case f.IsTor:
		return "Tor exit"
	case f.VPNScore >= a.MinScore:
		return "VPN score " + strconv.Itoa(f.VPNScore)
	case f.ProxyScore >= a.MinScore:
		return "proxy score " + strconv.Itoa(f.ProxyScore)
	case f.IsVPN:
		return "VPN"
	case f.IsProxy:
		return "proxy"
	case a.Hosting && f.IsHosting:
		return "hosting network"
	}
	return ""
}

// mfaDenial reports whether an attempt's second factor was denied or left
// unanswered, and whether the user reported it as fraud (BR-11, BR-36).
// "Duplicate authentication attempt" rows are neither.
func mfaDenial(s *entra.SignIn) (denied, fraud bool) {
	for _, st := range s.AuthSteps {
		if st.Succeeded {
			continue
		}
		d := strings.ToLower(st.ResultDetail)
		switch {
		case strings.Contains(d, "fraud"):
			return true, true
		case strings.Contains(d, "duplicate"):
		case strings.Contains(d, "denied"), strings.Contains(d, "declined"),
			strings.Contains(d, "did not respond"), strings.Contains(d, "not select the correct"),
			strings.Contains(d, "timed out"), strings.Contains(d, "no response"):
			denied = true
		}
	}
	if strings.Contains(strings.ToLower(s.AdditionalDetails), "fraud") {
		return true, true
	}
	if !denied && s.HasCode && s.ErrorCode == 500121 && len(s.AuthSteps) == 0 {
		denied = true
	}
	return denied, false
}

func containsFold(list []string, s string) bool {
	for _, v := range list {
		if strings.EqualFold(v, s) {
			return true
		}
	}
	return false
}
