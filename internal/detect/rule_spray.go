package detect

import (
	"fmt"
	"time"

	"github.com/goccy/go-yaml"

	"github.com/idtriage/idtriage/internal/entra"
)

// SprayParams configures ENTRA-PASSWORD-SPRAY: one address with
// wrong-password attempts against MinUsers distinct users within Window,
// while the users who only succeeded from it (bystanders behind a shared
// address) number at most MaxBystanderRatio times the failing users.
// SuccessSeverity applies to each failing user who then succeeds from
// that address. With OwnDeviceTypos, a wrong password typed on a managed or
// compliant device is its user's typo and feeds no spray.
type SprayParams struct {
	Common            `yaml:",inline"`
	MinUsers          int      `yaml:"minUsers"`
	Window            Duration `yaml:"window"`
	MaxBystanderRatio float64  `yaml:"maxBystanderRatio"`
	SuccessSeverity   string   `yaml:"successSeverity"`
	OwnDeviceTypos    bool     `yaml:"ownDeviceTypos"`
}

// passwordSpray groups by source address: many users, one password each,
// few of them right. One user failing many times is brute force, not a
// spray (S-05); a busy office address where most users succeed is not a
// sprayer.
type passwordSpray struct{ p SprayParams }

func (r *passwordSpray) meta() Meta {
	return Meta{
		ID: "ENTRA-PASSWORD-SPRAY", Title: "Password spray from one address",
		Technique: "T1110.003", TechniqueName: "Brute Force: Password Spraying",
		Tactic: "Credential Access", Severity: r.p.Severity,
		Description: fmt.Sprintf("One address with wrong-password attempts against %d or "+
			"more distinct users within %s, where users who only succeeded from it number "+
			"at most %.1f times the failing users. Each failing user who then succeeds from "+
			"that address is a separate %s alert.%s", r.p.MinUsers, human(r.p.Window),
			r.p.MaxBystanderRatio, r.p.SuccessSeverity, r.typoWords()),
		FieldReports: []string{"BR-19", "BR-22", "S-05"},
	}
}

// typoWords says, when it applies, that typos on users' own devices do not
// count.
func (r *passwordSpray) typoWords() string {
	if !r.p.OwnDeviceTypos {
		return ""
	}
	return " Wrong passwords typed on a managed or compliant device are its user's typos " +
		"and do not count."
}

func (r *passwordSpray) enabled() bool           { return r.p.Enabled }
func (r *passwordSpray) scope() scope            { return scopeAddress }
func (r *passwordSpray) mergeGap() time.Duration { return r.p.Window.D() }
func (r *passwordSpray) lag() time.Duration      { return r.p.Window.D() }

// fields: codes, users and addresses are in every record; the reasons name
// the address's country, and the device tells a typo on one's own laptop
// (OwnDeviceTypos). Telling a service principal's sign-in from a user's,
// which matters to an address's count, is the engine's (fieldsEngine).
func (r *passwordSpray) fields() entra.Fields {
	if r.p.OwnDeviceTypos {
		return fieldsCountry | entra.FieldDevice
	}
	return fieldsCountry
}

func (r *passwordSpray) validate() error {
	var c check
	c.common(r.p.Common)
	c.severity("successSeverity", r.p.SuccessSeverity)
	c.positive("minUsers", float64(r.p.MinUsers))
	c.span("window", r.p.Window)
	if c.err == nil && r.p.MaxBystanderRatio < 0 {
		c.fail("maxBystanderRatio", fmt.Errorf("maxBystanderRatio %v: want 0 or more",
			r.p.MaxBystanderRatio))
	}
	return c.err
}

func (r *passwordSpray) newState() ruleState {
	d := r.p.Window.D()
	return &sprayState{r: r, fails: window{span: d}, oks: window{span: d},
		anon: window{span: d}}
}

// sprayState holds its windows in itself rather than behind pointers: an
// address's state sees most of its sign-ins, and each one expires all
// three.
type sprayState struct {
	r     *passwordSpray
	fails window // wrong passwords of identified users, by user
	oks   window // successes, by user
	anon  window // wrong passwords with no usable identity (BR-19), by attempt

	firing bool
}

// wants: wrong passwords and the successes of identified users. A wrong
// password on the user's own enrolled laptop (OwnDeviceTypos) is a typo or
// an expired password: a sprayer does not have the device. An office on
// the Monday its passwords expire looks like a spray otherwise.
func (r *passwordSpray) wants(_ *group, ev *event) bool {
	switch ev.class {
	case entra.ClassCredentialFailure:
		return ev.device == "" || !r.p.OwnDeviceTypos
	case entra.ClassSuccess:
		return ev.user != ""
	}
	return false
}

func (s *sprayState) observe(c *evalCtx, ev *event) {
	s.expire(ev.t)
	switch {
	case ev.class == entra.ClassCredentialFailure && ev.user == "":
		s.anon.push(ev, ev.key)
	case ev.class == entra.ClassCredentialFailure:
		s.fails.push(ev, ev.user)
		if !s.spraying() {
			s.firing = false
			return
		}
		recs, users := []*event{ev}, []string{ev.user}
		if !s.firing {
			recs, users, s.firing = s.fails.events(), s.fails.keys(), true
		}
		c.emit(hit{severity: s.r.p.Severity, start: s.fails.first(), end: ev.t,
			records: recs, users: users, reason: s.reason()})
		s.successes(c)
	default: // a success
		s.oks.push(ev, ev.user)
		if s.spraying() && s.fails.has(ev.user) {
			s.successes(c)
		}
	}
}

// spraying reports whether the window crosses the thresholds.
func (s *sprayState) spraying() bool {
	failing := s.fails.distinct()
	if failing < s.r.p.MinUsers {
		return false
	}
	bystanders := 0
	for u := range s.oks.count {
		if !s.fails.has(u) {
			bystanders++
		}
	}
	return float64(bystanders) <= s.r.p.MaxBystanderRatio*float64(failing)
}

// successes emits one alert per failing user who succeeded afterwards.
func (s *sprayState) successes(c *evalCtx) {
	for _, ok := range s.oks.events() {
		first := firstOf(s.fails.events(), ok.user)
		if first == nil || ok.t.Before(first.t) {
			continue
		}
		c.emit(hit{key: "success:" + ok.user, user: ok.user, severity: s.r.p.SuccessSeverity,
			start: first.t, end: ok.t, records: []*event{first, ok},
			reason: fmt.Sprintf("succeeded from %s after its wrong password there, during "+
				"a spray against %s", where(ok), plural(s.fails.distinct(), "user"))})
	}
}

func firstOf(evs []*event, user string) *event {
	for _, e := range evs {
		if e.user == user {
			return e
		}
	}
	return nil
}

func (s *sprayState) reason() string {
	evs := s.fails.events()
	ok := 0
	for u := range s.oks.count {
		if s.fails.has(u) {
			ok++
		}
	}
	r := fmt.Sprintf("%s with wrong passwords from %s in %s (%s), %d of them "+
		"succeeded there within it (a later success has its own alert)",
		plural(s.fails.distinct(), "user"), where(evs[0]),
		span(evs[len(evs)-1].t.Sub(evs[0].t)), plural(len(distinctOf(evs, attemptOf)),
			"attempt"), ok)
	if n := s.anon.distinct(); n > 0 {
		r += fmt.Sprintf(", plus %s naming no usable user", plural(n, "attempt"))
	}
	return r
}

func (s *sprayState) expire(now time.Time) {
	s.fails.expire(now)
	s.oks.expire(now)
	s.anon.expire(now)
}

func (s *sprayState) advance(_ *evalCtx, now time.Time) {
	s.expire(now)
	if !s.spraying() {
		s.firing = false
	}
}

func (s *sprayState) empty() bool { return s.fails.empty() && s.oks.empty() && s.anon.empty() }

func (r *passwordSpray) kql() string {
	// The non-interactive table holds DeviceDetail as text, SigninLogs as
	// dynamic (BR-04); a union of the two types would split the column.
	return fmt.Sprintf(`union isfuzzy=true SigninLogs,
    (AADNonInteractiveUserSignInLogs
    | extend DeviceDetail = todynamic(DeviceDetail))
| where TimeGenerated > ago(%s)
%s| summarize FailUsers = make_set_if(UserPrincipalName, ResultType == "50126", 100000),
    OkUsers = make_set_if(UserPrincipalName, ResultType == "0", 100000),
    Start = min(TimeGenerated), End = max(TimeGenerated) by IPAddress
| extend Failing = array_length(FailUsers),
    Bystanders = array_length(set_difference(OkUsers, FailUsers)),
    Succeeded = set_intersect(OkUsers, FailUsers)
| where Failing >= %d and Bystanders <= %.1f * Failing`, kqlSpan(r.p.Window),
		r.kqlTypos(), r.p.MinUsers, r.p.MaxBystanderRatio)
}

// kqlTypos drops wrong passwords typed on managed or compliant devices.
func (r *passwordSpray) kqlTypos() string {
	if !r.p.OwnDeviceTypos {
		return ""
	}
	return "| where not(ResultType == \"50126\" and isnotempty(tostring(DeviceDetail.deviceId))\n" +
		"    and (tostring(DeviceDetail.isManaged) == \"true\"\n" +
		"    or tostring(DeviceDetail.isCompliant) == \"true\"))\n"
}

func (r *passwordSpray) sigma() []sigmaDoc {
	name, title := "entra_wrong_password", "Wrong password"
	var typos []yaml.MapItem
	if r.p.OwnDeviceTypos {
		name, title = "entra_wrong_password_off_device", "Wrong password, not on an enrolled device"
		typos = append(typos, filter("own_device", sel("DeviceDetail.isManaged", "true")),
			filter("compliant_device", sel("DeviceDetail.isCompliant", "true")))
	}
	return []sigmaDoc{
		base(name, title, signInLogs, sel("ResultType", "50126"), typos...),
		correlate("", r.meta().Title, "value_count", []string{name},
			[]string{"IPAddress"}, sigmaSpan(r.p.Window),
			gte(r.p.MinUsers, "UserPrincipalName")),
	}
}
