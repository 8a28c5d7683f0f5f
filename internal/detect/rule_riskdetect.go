package detect

import (
	"fmt"
	"strings"
	"time"

	"github.com/idtriage/idtriage/internal/entra"
)

// RiskDetectionParams configures ENTRA-RISK-DETECTION-SUCCESS: an
// Identity Protection risk detection of at least MinLevel, in no state of
// ExcludeStates, tied to a sign-in of its user that succeeded. The tie is
// the detection's requestId (the sign-in's id or originalRequestId), else
// a successful sign-in from the detection's address from Before before to
// After after its activity time.
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
type riskReader interface{ readsRisk() }

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
			"above%s, not settled (%s), tied to a sign-in of its user that succeeded: by "+
			"request id, else a success from the detection's address from %s before to %s "+
			"after it; %s for %s or a state of %s.", r.p.MinLevel, hidden,
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
		c.err = fmt.Errorf("minLevel %q: want low, medium or high", r.p.MinLevel)
	}
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

// wants: the detections that count and every sign-in that says where the
// user was, which the state keeps for an hour in a short list.
func (r *riskDetection) wants(_ *group, ev *event) bool {
	if ev.kind == kindRisk {
		return r.counts(ev)
	}
	return ev.presence()
}

// Bounds of a user's state: the sign-ins kept, one per address and
// outcome (the latest), and the detections waiting for a later sign-in.
// A user signing in from more than maxRecent addresses within Before
// keeps the latest ones; of more than maxWaiting detections within After
// that no sign-in has tied yet, the oldest is dropped untied.
const (
	maxRecent  = 16
	maxWaiting = 32
)

func (r *riskDetection) newState() ruleState { return &riskDetectState{r: r} }

type riskDetectState struct {
	r *riskDetection
	// recent holds the user's sign-ins of the last Before, oldest first:
	// the latest of each address and outcome.
	recent  [maxRecent]*event
	n       int
	waiting []waitingDetection
}

// waitingDetection is a detection no sign-in has settled yet; failed
// says that its request's sign-in was seen and did not succeed, which
// rules out a tie by address.
type waitingDetection struct {
	ev     *event
	failed bool
}

func (s *riskDetectState) observe(c *evalCtx, ev *event) {
	s.advance(c, ev.t)
	if ev.kind == kindRisk {
		s.detection(c, ev)
		return
	}
	s.signIn(c, ev)
	s.remember(ev)
}

// detection ties d to a sign-in already seen, else keeps it waiting.
func (s *riskDetectState) detection(c *evalCtx, d *event) {
	failed := false
	if d.risk.request != "" {
		for i := s.n - 1; i >= 0; i-- {
			e := s.recent[i]
			if !sameRequest(e, d.risk.request) {
				continue
			}
			if e.success() {
				s.tie(c, d, e, "same request")
				return
			}
			failed = true
		}
	}
	if !failed && d.ip != "" {
		for i := s.n - 1; i >= 0; i-- {
			if e := s.recent[i]; e.success() && e.ip == d.ip {
				s.tie(c, d, e, "same address, sign-in "+apart(d.t.Sub(e.t), "earlier"))
				return
			}
		}
	}
	if len(s.waiting) == maxWaiting {
		s.waiting = s.waiting[1:]
	}
	s.waiting = append(s.waiting, waitingDetection{d, failed})
}

// signIn settles the waiting detections that sign-in e ties.
func (s *riskDetectState) signIn(c *evalCtx, e *event) {
	kept := s.waiting[:0]
	for _, w := range s.waiting {
		switch {
		case w.ev.risk.request != "" && sameRequest(e, w.ev.risk.request):
			if e.success() {
				s.tie(c, w.ev, e, "same request")
				continue
			}
			w.failed = true
		case !w.failed && e.success() && e.ip != "" && e.ip == w.ev.ip:
			s.tie(c, w.ev, e, "same address, sign-in "+apart(e.t.Sub(w.ev.t), "later"))
			continue
		}
		kept = append(kept, w)
	}
	clear(s.waiting[len(kept):])
	s.waiting = kept
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

// remember adds sign-in e to the recent list, replacing the sign-in of
// the same address and outcome, or the oldest when the list is full.
func (s *riskDetectState) remember(e *event) {
	ok := e.success()
	for i := s.n - 1; i >= 0; i-- {
		if r := s.recent[i]; r.ip == e.ip && r.success() == ok {
			copy(s.recent[i:s.n], s.recent[i+1:s.n])
			s.n--
			break
		}
	}
	if s.n == maxRecent {
		s.drop(1)
	}
	s.recent[s.n] = e
	s.n++
}

// drop removes the k oldest sign-ins.
func (s *riskDetectState) drop(k int) {
	copy(s.recent[:], s.recent[k:s.n])
	clear(s.recent[s.n-k : s.n])
	s.n -= k
}

// advance forgets sign-ins older than Before and detections older than
// After: no later record can tie them.
func (s *riskDetectState) advance(_ *evalCtx, now time.Time) {
	k := 0
	for k < s.n && now.Sub(s.recent[k].t) > s.r.p.Before.D() {
		k++
	}
	if k > 0 {
		s.drop(k)
	}
	w := 0
	for w < len(s.waiting) && now.Sub(s.waiting[w].ev.t) > s.r.p.After.D() {
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
    | where isnotempty(Tie)) on $left.RequestId == $right.Tie;
let byRequest = requested
| where ResultType == "0"
| extend TiedBy = "same request";
let byAddress = detections
| join kind=leftanti (requested | distinct DetectionId) on DetectionId
| join kind=inner (signins | where ResultType == "0") on User
| where IPAddress == DetectionIP
| where SignInTime between ((ActivityDateTime - %s) .. (ActivityDateTime + %s))
| extend TiedBy = "same address";
union byRequest, byAddress
| extend Severity = iff(%s, %q, %q)
| summarize SignIns = make_set(SignInId), Apps = make_set(AppDisplayName)
    by DetectionId, User, RiskEventType, RiskLevel, RiskState, DetectionIP, TiedBy,
    Severity`, kqlStrings(r.levels()), kqlStrings(r.p.ExcludeStates),
		kqlSpan(r.p.Before), kqlSpan(r.p.After), crit, r.p.CriticalSeverity, r.p.Severity)
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
