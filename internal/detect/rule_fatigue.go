package detect

import (
	"fmt"
	"slices"
	"time"

	"github.com/idtriage/idtriage/internal/entra"
)

// FatigueParams configures ENTRA-MFA-FATIGUE: MinDenied distinct attempts
// with a denied or unanswered MFA prompt within Window, from one address
// when SameAddress is set. Severity applies to the denials alone,
// SuccessSeverity when a success follows them, FraudSeverity to any prompt
// the user reported as fraud. Rotated (with SameAddress) also counts the
// prompts from networks the user never signed in from across addresses,
// for an attacker who sends each prompt through another proxy; such a
// burst alerts only when an interactive success from such a network
// follows it (SuccessSeverity), as prompts missed over a phone's changing
// addresses are common.
type FatigueParams struct {
	Common          `yaml:",inline"`
	MinDenied       int      `yaml:"minDenied"`
	Window          Duration `yaml:"window"`
	SameAddress     bool     `yaml:"sameAddress"`
	Rotated         bool     `yaml:"rotated"`
	SuccessSeverity string   `yaml:"successSeverity"`
	FraudSeverity   string   `yaml:"fraudSeverity"`
}

// mfaFatigue counts prompts by attempt (originalRequestId), never by row:
// one denied prompt can write several rows, and "duplicate authentication
// attempt" rows are not denials (BR-11). A fraud report is the user saying
// "not me" and needs no count (BR-36).
type mfaFatigue struct{ p FatigueParams }

func (r *mfaFatigue) meta() Meta {
	return Meta{
		ID: "ENTRA-MFA-FATIGUE", Title: "Repeated MFA denials, then an approval",
		Technique: "T1621", TechniqueName: "Multi-Factor Authentication Request Generation",
		Tactic: "Credential Access", Severity: r.p.Severity,
		Description: fmt.Sprintf("%d or more distinct attempts (by originalRequestId) with a "+
			"denied or unanswered MFA prompt within %s%s: %s alone, %s when a success "+
			"follows; any prompt reported as fraud is %s by itself.%s", r.p.MinDenied,
			human(r.p.Window), map[bool]string{true: " from one address"}[r.p.SameAddress],
			r.p.Severity, r.p.SuccessSeverity, r.p.FraudSeverity, r.rotatedText()),
		FieldReports: []string{"BR-11", "BR-36", "S-07"},
	}
}

func (r *mfaFatigue) enabled() bool           { return r.p.Enabled }
func (r *mfaFatigue) scope() scope            { return scopeUser }
func (r *mfaFatigue) mergeGap() time.Duration { return r.p.Window.D() }
func (r *mfaFatigue) lag() time.Duration      { return r.p.Window.D() }

// fields: the authentication steps and additional details say whether a
// prompt was denied or reported as fraud (mfaDenial); the reasons name the
// country.
func (r *mfaFatigue) fields() entra.Fields {
	return entra.FieldAuth | fieldsCountry | r.rotatedFields()
}

func (r *mfaFatigue) validate() error {
	var c check
	c.common(r.p.Common)
	c.severity("successSeverity", r.p.SuccessSeverity)
	c.severity("fraudSeverity", r.p.FraudSeverity)
	c.positive("minDenied", float64(r.p.MinDenied))
	c.span("window", r.p.Window)
	return c.err
}

func (r *mfaFatigue) newState() ruleState {
	return &fatigueState{r: r, denied: map[string]*window{}}
}

type fatigueState struct {
	r      *mfaFatigue
	denied map[string]*window // by address ("" when SameAddress is off)
	// armed are the bursts that crossed MinDenied, by address, which an
	// attacker's approval may answer until Window after their last denial
	// (approves): the window, measured at the approval, may have lost the
	// first.
	armed map[string]armedBurst
	// rotated is the count across addresses (rule_fatigue_rotated.go).
	rotated rotatedState
}

// armedBurst is a burst that crossed the count, and until when a success
// from its address is its approval.
type armedBurst struct {
	denials []*event
	until   time.Time
}

// wants: sign-ins whose MFA was denied or unanswered, and successes.
func (r *mfaFatigue) wants(_ *group, ev *event) bool {
	return ev.kind == kindSignIn && (ev.denied || ev.success())
}

func (s *fatigueState) observe(c *evalCtx, ev *event) {
	s.advance(c, ev.t)
	w := s.window(ev)
	switch {
	case ev.fraud:
		c.emit(hit{key: "fraud", severity: s.r.p.FraudSeverity, start: ev.t, end: ev.t,
			records: []*event{ev}, reason: fmt.Sprintf("the user reported an MFA prompt "+
				"from %s as fraud", where(ev))})
		w.push(ev, ev.key)
		s.pushFar(c, ev)
	case ev.denied:
		w.push(ev, ev.key)
		s.pushFar(c, ev)
		if w.distinct() >= s.r.p.MinDenied {
			c.emit(hit{severity: s.r.p.Severity, start: w.first(), end: ev.t,
				records: w.events(), reason: s.reason(w.events(), ev, nil)})
			s.arm(ev, w)
		}
	case ev.success() && s.approves(c, ev, w):
		a := s.armed[s.addressKey(ev)]
		c.emit(hit{severity: s.r.p.SuccessSeverity, start: a.denials[0].t, end: ev.t,
			records: append(slices.Clip(a.denials), ev), reason: s.reason(a.denials, ev, ev)})
	case ev.success() && s.rotatedApproval(c, ev):
		c.emit(s.rotatedHit(ev))
	}
}

// addressKey is the key of ev's burst: its address, or "" when
// SameAddress is off.
func (s *fatigueState) addressKey(ev *event) string {
	if s.r.p.SameAddress {
		return ev.ip
	}
	return ""
}

// arm notes the burst of w, which ev's denial took over the count.
func (s *fatigueState) arm(ev *event, w *window) {
	if s.armed == nil {
		s.armed = map[string]armedBurst{}
	}
	s.armed[s.addressKey(ev)] = armedBurst{w.events(), ev.t.Add(s.r.p.Window.D())}
}

// approves reports whether a success answers the burst of its address:
// the window w still holds MinDenied denials; or, beyond it, the burst
// was armed less than Window before and the success is an interactive
// one from a network new to the user. The longer reach is for an
// attacker's approval: the user's own sign-in at home an hour later, or
// a token refreshed in the background, is no answer to old prompts.
func (s *fatigueState) approves(c *evalCtx, ev *event, w *window) bool {
	a, ok := s.armed[s.addressKey(ev)]
	if !ok {
		return false
	}
	if w != nil && w.distinct() >= s.r.p.MinDenied {
		return true
	}
	return !ev.t.After(a.until) && !ev.background && !c.g.hist.knowsNetwork(ev.net)
}

// window returns the denials window of ev's address, made for a denial,
// nil for a success with no denials before it.
func (s *fatigueState) window(ev *event) *window {
	k := s.addressKey(ev)
	w := s.denied[k]
	if w == nil && ev.denied {
		w = newWindow(s.r.p.Window.D())
		s.denied[k] = w
	}
	return w
}

func (s *fatigueState) reason(denials []*event, last, ok *event) string {
	r := fmt.Sprintf("%s with a denied or unanswered MFA prompt in %s from %s",
		plural(distinctKeys(denials), "attempt"), span(last.t.Sub(denials[0].t)), where(last))
	if ok != nil {
		r += ", then a success at " + ok.t.Format("15:04:05 MST")
	}
	return r
}

func (s *fatigueState) advance(_ *evalCtx, now time.Time) {
	for k, w := range s.denied {
		if w.expire(now); w.empty() {
			delete(s.denied, k)
		}
	}
	for k, a := range s.armed {
		if now.After(a.until) {
			delete(s.armed, k)
		}
	}
	s.rotated.advance(now)
}

func (s *fatigueState) empty() bool {
	return len(s.denied) == 0 && len(s.armed) == 0 && s.rotated.empty()
}

func (r *mfaFatigue) kql() string {
	q := fmt.Sprintf(`let denials = SigninLogs
| where TimeGenerated > ago(%s)
| where ResultType == "500121"
| where tostring(Status.additionalDetails) has_any ("denied", "declined", "did not respond",
    "not select the correct", "fraud")
| summarize Denied = dcount(OriginalRequestId), LastDenial = max(TimeGenerated),
    Fraud = countif(tostring(Status.additionalDetails) has "fraud")
    by UserPrincipalName, IPAddress;
let successes = SigninLogs
| where TimeGenerated > ago(%s) and ResultType == "0"
| project UserPrincipalName, IPAddress, SuccessTime = TimeGenerated;
let byAddress = denials
| join kind=leftouter successes on UserPrincipalName, IPAddress
| extend Approved = SuccessTime > LastDenial
| summarize Denied = max(Denied), Fraud = max(Fraud), Approved = max(toint(Approved))
    by UserPrincipalName, IPAddress
| where Denied >= %d or Fraud > 0;`, kqlSpan(r.p.Window), kqlSpan(r.p.Window),
		r.p.MinDenied)
	if !r.p.Rotated || !r.p.SameAddress {
		return q + "\nbyAddress"
	}

	// The user's networks and providers are those of the last two weeks'
	// successes (the engine keeps the most recent of the whole input);
	// places count as the engine counts them: IPv4 addresses, IPv6 /64s.
	return q + fmt.Sprintf(`
let network = (ip: string) { iff(ip contains ":", parse_ipv6_mask(ip, 64),
    format_ipv4_mask(ip, 24)) };
let place = (ip: string) { iff(ip contains ":", parse_ipv6_mask(ip, 64), ip) };
let known = SigninLogs
| where TimeGenerated between (ago(14d) .. ago(%[1]s)) and ResultType == "0"
| summarize Networks = make_set(network(IPAddress)),
    Providers = make_set(AutonomousSystemNumber) by UserPrincipalName;
let farDenials = SigninLogs
| where TimeGenerated > ago(%[1]s) and ResultType == "500121"
| where tostring(Status.additionalDetails) has_any ("denied", "declined", "did not respond",
    "not select the correct", "fraud")
| where isnotempty(AutonomousSystemNumber)
| join kind=inner known on UserPrincipalName
| where not(set_has_element(Networks, network(IPAddress)))
    and not(set_has_element(Providers, AutonomousSystemNumber))
| summarize Denied = dcount(OriginalRequestId), Addresses = make_set(IPAddress),
    Places = make_set(place(IPAddress)),
    FirstDenial = min(TimeGenerated) by UserPrincipalName
| where Denied >= %[2]d;
let approvals = SigninLogs
| where TimeGenerated > ago(%[1]s) and ResultType == "0"
| join kind=inner known on UserPrincipalName
| project UserPrincipalName, IPAddress, SuccessTime = TimeGenerated, IsInteractive,
    NewNetwork = not(set_has_element(Networks, network(IPAddress)));
let rotated = farDenials
| join kind=inner approvals on UserPrincipalName
| where SuccessTime > FirstDenial
| where set_has_element(Addresses, IPAddress) or (IsInteractive and NewNetwork)
| where array_length(set_union(Places, pack_array(place(IPAddress)))) >= 2
| extend Fraud = 0, Approved = 1
| summarize Denied = max(Denied), Fraud = max(Fraud), Approved = max(Approved)
    by UserPrincipalName, IPAddress;
union byAddress, rotated`, kqlSpan(r.p.Window), r.p.MinDenied)
}

func (r *mfaFatigue) sigma() []sigmaDoc {
	return []sigmaDoc{
		base("entra_mfa_denied", "MFA prompt denied or unanswered", signInLogs,
			sel("ResultType", "500121")),
		base("entra_signin_success", "Successful sign-in", signInLogs,
			sel("ResultType", "0")),
		correlate("entra_mfa_denials", "Repeated MFA denials", "value_count",
			[]string{"entra_mfa_denied"}, []string{"UserPrincipalName", "IPAddress"},
			sigmaSpan(r.p.Window), gte(r.p.MinDenied, "OriginalRequestId")),
		correlate("", r.meta().Title, "temporal_ordered",
			[]string{"entra_mfa_denials", "entra_signin_success"},
			[]string{"UserPrincipalName", "IPAddress"}, sigmaSpan(r.p.Window), gte(2)),
	}
}
