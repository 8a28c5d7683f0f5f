package detect

import (
	"cmp"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/idtriage/idtriage/internal/entra"
)

// RiskDetectionParams configures ENTRA-RISK-DETECTION-SUCCESS: an
// Identity Protection risk detection of at least MinLevel, in no state of
// ExcludeStates, tied to a sign-in that succeeded from Before before to
// After after its activity time. The tie is the detection's requestId (the
// sign-in's id or originalRequestId, under any user key), else, unless a
// sign-in of that request was refused (an interrupt is not), a success of
// its user from the detection's address.
type RiskDetectionParams struct {
	Common `yaml:",inline"`
	// MinLevel is the lowest riskLevel that counts: low, medium or high.
	MinLevel string `yaml:"minLevel"`
	// Hidden says whether the level "hidden" (a tenant without the P2
	// licence sees every level so) counts as meeting MinLevel.
	Hidden        bool     `yaml:"hidden"`
	ExcludeStates []string `yaml:"excludeStates"`
	Before        Duration `yaml:"before"`
	After         Duration `yaml:"after"`
	// CriticalTypes and CriticalStates raise an alert to CriticalSeverity:
	// detection types that mean a stolen token or session, and an
	// administrator's confirmation of compromise.
	CriticalTypes    []string `yaml:"criticalTypes"`
	CriticalStates   []string `yaml:"criticalStates"`
	CriticalSeverity string   `yaml:"criticalSeverity"`
}

// riskDetection is the first rule that reads Identity Protection's own
// detections rather than the risk fields of sign-ins: a detection whose
// sign-in was refused is a blocked attempt, one whose sign-in succeeded
// may be an attacker holding a session, and the detections table alone
// does not say which.
type riskDetection struct{ p RiskDetectionParams }

// riskReader marks the rules the engine gives risk detections to.
type riskReader interface {
	readsRisk()
	// window is the span around a detection that the engine keeps the
	// sign-ins of its request for (requestBook).
	window() (before, after time.Duration)
}

func (r *riskDetection) readsRisk() {}

func (r *riskDetection) meta() Meta {
	hidden := ""
	if r.p.Hidden {
		hidden = " or hidden"
	}
	return Meta{
		ID: "ENTRA-RISK-DETECTION-SUCCESS", Title: "Risk detection on a successful sign-in",
		Technique: "T1078.004", TechniqueName: "Valid Accounts: Cloud Accounts",
		Tactic: "Initial Access", Severity: r.p.Severity,
		Description: fmt.Sprintf("An Identity Protection risk detection of level %s or "+
			"above%s, not settled (%s), tied to a sign-in that succeeded: by request id, "+
			"else, unless a sign-in of that request was refused, a success of its user "+
			"from the detection's address; from %s before to %s after it; %s for %s or a "+
			"state of %s.", r.p.MinLevel, hidden,
			list(r.p.ExcludeStates, 5), human(r.p.Before), human(r.p.After),
			r.p.CriticalSeverity, list(r.p.CriticalTypes, 8), list(r.p.CriticalStates, 3)),
	}
}

func (r *riskDetection) enabled() bool           { return r.p.Enabled }
func (r *riskDetection) scope() scope            { return scopeUser }
func (r *riskDetection) mergeGap() time.Duration { return r.p.Before.D() + r.p.After.D() }
func (r *riskDetection) lag() time.Duration      { return max(r.p.Before.D(), r.p.After.D()) }

// fields: the reason names the sign-in's application and country; the
// tie itself reads only ids, the address and the outcome (FieldBase).
func (r *riskDetection) fields() entra.Fields { return entra.FieldApp | fieldsCountry }

func (r *riskDetection) validate() error {
	var c check
	c.common(r.p.Common)
	c.severity("criticalSeverity", r.p.CriticalSeverity)
	c.span("before", r.p.Before)
	c.span("after", r.p.After)
	if c.err == nil && riskRank(strings.ToLower(r.p.MinLevel)) == 0 {
		c.fail("minLevel", fmt.Errorf("minLevel %q: want low, medium or high%s", r.p.MinLevel,
			suggest(r.p.MinLevel, []string{"low", "medium", "high"})))
	}
	c.oneOf("excludeStates", "risk state", r.p.ExcludeStates, riskStates)
	c.knownOrNew("criticalTypes", "risk event type", r.p.CriticalTypes, riskEventTypes,
		strings.ToLower)
	c.oneOf("criticalStates", "risk state", r.p.CriticalStates, riskStates)
	return c.err
}

// counts reports whether a detection is one the rule ties: at its level,
// not settled, and with a request id or an address to tie by.
func (r *riskDetection) counts(ev *event) bool {
	level := riskRank(ev.riskLevel) >= riskRank(strings.ToLower(r.p.MinLevel)) ||
		r.p.Hidden && ev.riskLevel == "hidden"
	return level && !containsFold(r.p.ExcludeStates, ev.risk.state) &&
		(ev.risk.request != "" || ev.ip != "")
}

// wants: the detections that count and the successes that say where the
// user was, which the state keeps for the tie by address. The sign-ins of
// a detection's request reach it through the engine (requestBook), under
// whichever user key they came.
func (r *riskDetection) wants(_ *group, ev *event) bool {
	if ev.kind == kindRisk {
		return r.counts(ev)
	}
	return ev.presence() && ev.success() && ev.ip != ""
}

// window is the span around a detection's activity time that its request's
// sign-ins and the successes from its address are looked for in.
func (r *riskDetection) window() (before, after time.Duration) {
	return r.p.Before.D(), r.p.After.D()
}

// Bounds of a user's state: the successes kept, the latest per address,
// and the detections waiting for the end of their window. A user signing
// in from more than maxRecent addresses within Before keeps the latest
// ones. Of more than maxWaiting detections within After, those whose
// request's sign-in failed go first, then the least severe (by the
// severity they would raise, then their level), the oldest first among
// equals; Stats.RisksDropped counts the ones dropped that had not failed.
const (
	maxRecent  = 16
	maxWaiting = 32
)

func (r *riskDetection) newState() ruleState { return &riskDetectState{r: r} }

type riskDetectState struct {
	r *riskDetection
	// recent holds the user's successes of the last Before, oldest first:
	// the latest of each address.
	recent  [maxRecent]recentSuccess
	n       int
	waiting []waitingDetection
}

// recentSuccess is one of a user's recent successes, with its time and
// address kept beside it: advance and remember read them on every sign-in
// of the user, when the success itself has long left the cache.
type recentSuccess struct {
	ev *event
	t  time.Time
	ip string
}

// waitingDetection is a detection waiting for the end of its window: a
// sign-in of its request may still come, and decides it. addr is the
// success from its address it ties to failing that: the latest before it,
// else the first after it.
type waitingDetection struct {
	ev   *event
	addr *event
}

func (s *riskDetectState) observe(c *evalCtx, ev *event) {
	s.advance(c, ev.t)
	if ev.kind == kindRisk {
		s.detection(c, ev)
		return
	}
	for i := range s.waiting {
		if w := &s.waiting[i]; w.addr == nil && w.ev.ip == ev.ip {
			w.addr = ev
		}
	}
	s.remember(ev)
}

// detection ties d at once when a success of its request is already seen;
// otherwise it waits, with the latest success from its address if any.
func (s *riskDetectState) detection(c *evalCtx, d *event) {
	if e, _ := s.r.request(d, d.t); e != nil {
		s.tie(c, d, e, "same request")
		return
	}
	w := waitingDetection{ev: d}
	for i := s.n - 1; i >= 0 && d.ip != ""; i-- {
		if r := s.recent[i]; r.ip == d.ip {
			w.addr = r.ev
			break
		}
	}
	if len(s.waiting) == maxWaiting && !s.makeRoom(c, d.t, w) {
		return
	}
	s.waiting = append(s.waiting, w)
}

// makeRoom frees a place in the full waiting list at now for w: it decides
// the detections whose request's success is already seen, else drops the
// lowest of the list and w (see maxWaiting). It reports whether w stays.
func (s *riskDetectState) makeRoom(c *evalCtx, now time.Time, w waitingDetection) bool {
	kept := s.waiting[:0]
	for _, x := range s.waiting {
		if e, _ := s.r.request(x.ev, now); e != nil {
			s.tie(c, x.ev, e, "same request")
			continue
		}
		kept = append(kept, x)
	}
	clear(s.waiting[len(kept):])
	s.waiting = kept
	if len(s.waiting) < maxWaiting {
		return true
	}
	// The lowest of the list and w: failed first, then by rank, then the
	// oldest. low is -1 for w.
	low, lowEv, lowFailed := -1, w.ev, s.r.failed(w.ev, now)
	for i, x := range s.waiting {
		f := s.r.failed(x.ev, now)
		if cmp.Or(cmpBool(!f, !lowFailed), s.r.rank(x.ev)-s.r.rank(lowEv),
			before(x.ev, lowEv)) < 0 {
			low, lowEv, lowFailed = i, x.ev, f
		}
	}
	if !lowFailed {
		c.en.stats.RisksDropped++
	}
	if low < 0 {
		return false
	}
	s.waiting = slices.Delete(s.waiting, low, low+1)
	return true
}

// rank orders detections by the severity they would raise, then level.
func (r *riskDetection) rank(d *event) int {
	rank := riskRank(d.riskLevel)
	if containsFold(r.p.CriticalTypes, d.risk.eventType) ||
		containsFold(r.p.CriticalStates, d.risk.state) {
		rank += 10
	}
	return rank
}

// failed reports whether a sign-in of d's request at or before now failed,
// which rules out the tie by address unless a success of it follows.
func (r *riskDetection) failed(d *event, now time.Time) bool {
	_, failed := r.request(d, now)
	return failed
}

// request reads the sign-ins of d's request within the window, up to now:
// the earliest success, and whether one failed. An interrupt (an MFA
// prompt, a device required) is neither: the success after it may not
// name the request.
func (r *riskDetection) request(d *event, now time.Time) (success *event, failed bool) {
	from, to := d.t.Add(-r.p.Before.D()), d.t.Add(r.p.After.D())
	for _, e := range d.risk.signIns {
		if e.t.After(now) || e.t.Before(from) || e.t.After(to) || !e.presence() ||
			!sameRequest(e, d.risk.request) {
			continue
		}
		switch {
		case e.success():
			if success == nil || before(e, success) < 0 {
				success = e
			}
		case e.failed():
			failed = true
		}
	}
	return success, failed
}

// decide settles detection w at the end of its window: a success of its
// request ties it; else, unless a sign-in of its request failed, the
// success from its address.
func (s *riskDetectState) decide(c *evalCtx, w waitingDetection) {
	d := w.ev
	e, failed := s.r.request(d, d.t.Add(s.r.p.After.D()))
	switch {
	case e != nil:
		s.tie(c, d, e, "same request")
	case failed || w.addr == nil:
	case w.addr.t.After(d.t):
		s.tie(c, d, w.addr, "same address, sign-in "+apart(w.addr.t.Sub(d.t), "later"))
	default:
		s.tie(c, d, w.addr, "same address, sign-in "+apart(d.t.Sub(w.addr.t), "earlier"))
	}
}

// sameRequest reports whether sign-in e is the request id names: its id,
// or the first attempt it continues (originalRequestId).
func sameRequest(e *event, id string) bool {
	return strings.EqualFold(e.id, id) || strings.EqualFold(e.key, id)
}

// tie emits detection d on successful sign-in e; how says what ties them.
func (s *riskDetectState) tie(c *evalCtx, d, e *event, how string) {
	p := s.r.p
	sev := p.Severity
	if containsFold(p.CriticalTypes, d.risk.eventType) ||
		containsFold(p.CriticalStates, d.risk.state) {
		sev = p.CriticalSeverity
	}
	app := e.app
	if app == "" {
		app = "an unnamed application"
	}
	if e.seen == 0 {
		// A sign-in of the request under another user key may not have
		// been evaluated yet: it takes its facts now, as it would then.
		c.en.placeFacts(e)
	}
	if d.ip != e.ip {
		how += "; detection from " + where(d)
	}
	c.emit(hit{severity: sev, start: earliest(d.t, e.t), end: latest(d.t, e.t),
		records: []*event{d, e}, reason: fmt.Sprintf("%s %s detection (%s, %s) on a successful sign-in to %s "+
			"from %s: %s", orElse(d.riskLevel, "unknown-level"),
			orElse(d.risk.eventType, "unnamed"), orElse(d.risk.state, "no state"),
			orElse(d.risk.timing, "no timing"), app, where(e), how)})
}

// apart says how far a sign-in was from its detection: "12 min later", or
// "in the same minute".
func apart(d time.Duration, side string) string {
	if d.Round(time.Minute) == 0 {
		return "in the same minute"
	}
	return span(d) + " " + side
}

// orElse returns s, or def when s is empty.
func orElse(s, def string) string {
	if s == "" {
		return def
	}
	return s
}

// remember adds success e to the recent list, replacing the success from
// the same address, or the oldest when the list is full.
func (s *riskDetectState) remember(e *event) {
	for i := s.n - 1; i >= 0; i-- {
		if s.recent[i].ip == e.ip {
			copy(s.recent[i:s.n], s.recent[i+1:s.n])
			s.n--
			break
		}
	}
	if s.n == maxRecent {
		s.drop(1)
	}
	s.recent[s.n] = recentSuccess{e, e.t, e.ip}
	s.n++
}

// drop removes the k oldest successes.
func (s *riskDetectState) drop(k int) {
	copy(s.recent[:], s.recent[k:s.n])
	clear(s.recent[s.n-k : s.n])
	s.n -= k
}

// advance forgets successes older than Before and decides the detections
// whose window has passed: no later record can change them.
func (s *riskDetectState) advance(c *evalCtx, now time.Time) {
	k := 0
	for k < s.n && now.Sub(s.recent[k].t) > s.r.p.Before.D() {
		k++
	}
	if k > 0 {
		s.drop(k)
	}
	w := 0
	for w < len(s.waiting) && now.Sub(s.waiting[w].ev.t) > s.r.p.After.D() {
		s.decide(c, s.waiting[w])
		w++
	}
	if w > 0 {
		clear(s.waiting[:w])
		s.waiting = s.waiting[w:]
	}
	if len(s.waiting) == 0 {
		s.waiting = nil
	}
}

func (s *riskDetectState) empty() bool { return s.n == 0 && len(s.waiting) == 0 }

func (r *riskDetection) kql() string {
	crit := fmt.Sprintf("RiskEventType in~ %s or RiskState in~ %s",
		kqlStrings(r.p.CriticalTypes), kqlStrings(r.p.CriticalStates))
	return fmt.Sprintf(`let detections = AADUserRiskEvents
| where TimeGenerated > ago(1d)
| summarize arg_max(LastUpdatedDateTime, *) by Id
| where RiskLevel in~ %s and RiskState !in~ %s
| project DetectionId = Id, ActivityDateTime, User = tolower(UserPrincipalName),
    RiskEventType, RiskLevel, RiskState, DetectionIP = IpAddress, RequestId;
let signins = union isfuzzy=true SigninLogs, AADNonInteractiveUserSignInLogs
| where TimeGenerated > ago(3d)
| project SignInId = Id, OriginalRequestId, SignInTime = TimeGenerated,
    User = tolower(UserPrincipalName), IPAddress, AppDisplayName, ResultType;
let requested = detections
| where isnotempty(RequestId)
| join kind=inner (signins
    | mv-expand Tie = pack_array(SignInId, OriginalRequestId) to typeof(string)
    | where isnotempty(Tie)) on $left.RequestId == $right.Tie
| where SignInTime between ((ActivityDateTime - %s) .. (ActivityDateTime + %s));
let byRequest = requested
| where ResultType == "0"
| extend TiedBy = "same request";
// A refusal of the request settles the detection; an interrupt (an MFA
// prompt) does not.
let settled = requested
| where ResultType in %s
| distinct DetectionId;
let byAddress = detections
| join kind=leftanti (byRequest | distinct DetectionId) on DetectionId
| join kind=leftanti settled on DetectionId
| join kind=inner (signins | where ResultType == "0") on User
| where IPAddress == DetectionIP
| where SignInTime between ((ActivityDateTime - %s) .. (ActivityDateTime + %s))
| extend TiedBy = "same address";
union byRequest, byAddress
| extend Severity = iff(%s, %q, %q)
| summarize SignIns = make_set(SignInId), Apps = make_set(AppDisplayName)
    by DetectionId, User, RiskEventType, RiskLevel, RiskState, DetectionIP, TiedBy,
    Severity`, kqlStrings(r.levels()), kqlStrings(r.p.ExcludeStates),
		kqlSpan(r.p.Before), kqlSpan(r.p.After), kqlStrings(failureCodes()),
		kqlSpan(r.p.Before), kqlSpan(r.p.After), crit, r.p.CriticalSeverity, r.p.Severity)
}

// failureCodes lists, as strings, the error codes of a sign-in that was
// refused rather than interrupted (event.failed).
func failureCodes() []string {
	var out []string
	for _, c := range entra.FailureCodes() {
		out = append(out, strconv.Itoa(c))
	}
	return out
}

// levels lists the risk levels at or above MinLevel, and hidden when it
// counts.
func (r *riskDetection) levels() []string {
	var out []string
	for _, l := range []string{"low", "medium", "high"} {
		if riskRank(l) >= riskRank(strings.ToLower(r.p.MinLevel)) {
			out = append(out, l)
		}
	}
	if r.p.Hidden {
		out = append(out, "hidden")
	}
	return out
}

// riskDetections is the Identity Protection log source, as SigmaHQ's
// identity-protection rules name it.
var riskDetections = &sigmaLogsource{Product: "azure", Service: "riskdetection"}

func (r *riskDetection) sigma() []sigmaDoc {
	// Offline detections reach the log up to 48 hours after the sign-in.
	span := Duration(48*time.Hour) + r.p.After
	return []sigmaDoc{
		base("entra_risk_detection_open", "Open risk detection", riskDetections,
			sel("RiskLevel", r.levels()),
			filter("settled", sel("RiskState", r.p.ExcludeStates))),
		base("entra_signin_success", "Successful sign-in", signInLogs,
			sel("ResultType", "0")),
		{Title: r.meta().Title, Correlation: &sigmaCorrelation{Type: "temporal",
			Rules: []string{"entra_risk_detection_open", "entra_signin_success"},
			Aliases: yamlSlice("request", yamlSlice(
				"entra_risk_detection_open", "RequestId",
				"entra_signin_success", "OriginalRequestId")),
			GroupBy: []string{"request"}, Timespan: sigmaSpan(span), Condition: gte(2)}},
	}
}
