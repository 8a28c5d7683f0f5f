package detect

import (
	"errors"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/goccy/go-yaml"

	"github.com/idtriage/idtriage/internal/entra"
)

// BreakGlassParams configures ENTRA-BREAK-GLASS-USE. Accounts are the
// emergency-access accounts' principal names, explicit configuration
// (S-04): guessing them from Conditional Access exclusions mislabels
// accounts. Every sign-in of one is an alert of Severity; AttackSeverity
// applies when the sign-in was at risk or from an anonymizer, or when the
// account then changed roles, credentials or policies within Window.
type BreakGlassParams struct {
	Common         `yaml:",inline"`
	Accounts       []string `yaml:"accounts"`
	AttackSeverity string   `yaml:"attackSeverity"`
	Window         Duration `yaml:"window"`
}

// breakGlass surfaces every use of an emergency account: such accounts
// skip Conditional Access and MFA by design, so no other rule sees them
// stopped, and a quiet test login must still show up.
type breakGlass struct {
	p    BreakGlassParams
	anon AnonymizerParams
}

func (r *breakGlass) meta() Meta {
	return Meta{
		ID: "ENTRA-BREAK-GLASS-USE", Title: "Emergency-access account used",
		Technique: "T1078.004", TechniqueName: "Valid Accounts: Cloud Accounts",
		Tactic: "Privilege Escalation", Severity: r.p.Severity,
		Description: fmt.Sprintf("Any sign-in of a configured emergency-access (break-glass) "+
			"account (%s), %s; %s when it was at risk or from an anonymizer, or when the "+
			"account then added role members, application credentials, consent or policy "+
			"changes within %s.", plural(len(accountKeys(r.p.Accounts)), "account"), r.p.Severity,
			r.p.AttackSeverity, human(r.p.Window)),
		FieldReports: []string{"S-04"},
	}
}

func (r *breakGlass) enabled() bool {
	return r.p.Enabled && len(accountKeys(r.p.Accounts)) > 0
}

func (r *breakGlass) scope() scope            { return scopeUser }
func (r *breakGlass) mergeGap() time.Duration { return r.p.Window.D() }
func (r *breakGlass) lag() time.Duration      { return r.p.Window.D() }

// fields: risk and the anonymizer that raise the severity; the country in
// the reason.
func (r *breakGlass) fields() entra.Fields {
	return entra.FieldRisk | fieldsAnonymizer | fieldsCountry
}

func (r *breakGlass) validate() error {
	var c check
	c.common(r.p.Common)
	c.severity("attackSeverity", r.p.AttackSeverity)
	c.span("window", r.p.Window)
	for i, a := range r.p.Accounts {
		err := CheckAccounts([]string{a})
		if err != nil {
			err = fmt.Errorf("accounts: %w; give one account an entry", err)
		}
		if strings.TrimSpace(a) == "" {
			// In a file, an empty entry is most often a value a template
			// left unfilled: alone, it would turn the rule off unsaid.
			err = errors.New("accounts: an empty entry watches no account (a value " +
				"left unfilled?); give the account or remove the entry")
		}
		if err != nil {
			c.fail(fmt.Sprintf("accounts[%d]", i), err)
		}
	}
	return c.err
}

// CheckAccounts checks emergency-access accounts as a rules file or a
// --break-glass flag gives them: each a principal name (name@domain) or an
// object id (a GUID, bare or as id:<guid>). Empty entries are ignored here
// (a flag's list); a rules file refuses them (validate).
// Anything else would match no row and leave the account unwatched: the
// error is an *AccountError, which the caller words for where the account
// was given.
func CheckAccounts(accounts []string) error {
	for _, k := range accountKeys(accounts) {
		if !strings.HasPrefix(k, "id:") && !principalName(k) {
			return &AccountError{Account: k}
		}
	}
	return nil
}

// AccountError is an emergency-access account that is neither a principal
// name nor an object id.
type AccountError struct {
	// Account is the entry as given, case-folded.
	Account string
}

// Error says what the entry is not; it names neither a flag nor a file.
func (e *AccountError) Error() string {
	return fmt.Sprintf("%q is neither a principal name (name@domain) nor an object id "+
		"(a GUID, bare or as id:<guid>)", e.Account)
}

// principalName reports whether s has the shape of a user principal name:
// one @ between a name and a domain with a dot, and no space, comma,
// semicolon or colon (two accounts in one entry, or a mailto: link).
func principalName(s string) bool {
	name, domain, ok := strings.Cut(s, "@")
	return ok && name != "" && strings.Contains(domain, ".") && !strings.HasPrefix(domain, ".") &&
		!strings.HasSuffix(domain, ".") && !strings.ContainsAny(s, " \t,;:") &&
		!strings.Contains(domain, "@")
}

func (r *breakGlass) newState() ruleState {
	return &breakGlassState{r: r, w: newWindow(r.p.Window.D())}
}

type breakGlassState struct {
	r *breakGlass
	w *window // the account's sign-ins
}

// privileged reports whether an audit kind changes who holds power.
func privileged(k entra.ActivityKind) bool {
	switch k {
	case entra.ActRoleAdded, entra.ActAppCredentialAdded, entra.ActConsent,
		entra.ActConditionalAccessEdit, entra.ActAuthMethodsPolicy:
		return true
	}
	return false
}

// wants: everything of an emergency-access account.
func (r *breakGlass) wants(g *group, _ *event) bool {
	return slices.Contains(r.p.Accounts, g.key)
}

func (s *breakGlassState) observe(c *evalCtx, ev *event) {
	s.w.expire(ev.t)
	switch {
	case ev.kind == kindSignIn:
		s.w.push(ev, ev.key)
		// A refused attempt is said as one: "signed in" would tell the
		// analyst the account was used.
		sev, why := s.r.p.Severity, "emergency-access account signed in"
		if ev.code != 0 {
			why = "sign-in attempt on the emergency-access account, refused"
		}
		if ev.atRisk || ev.anonymizer != "" {
			sev, why = s.r.p.AttackSeverity, why+", at risk or through an anonymizer"
		}
		c.emit(hit{severity: sev, start: ev.t, end: ev.t, records: []*event{ev},
			reason: fmt.Sprintf("%s from %s, code %d", why, where(ev), ev.code)})
	case ev.ok && ev.aud().actor == c.g.key && privileged(ev.aud().activity):
		c.emit(hit{severity: s.r.p.AttackSeverity, start: ev.t, end: ev.t,
			records: append(s.w.events(), ev), reason: fmt.Sprintf("emergency-access "+
				"account made a privileged change (%s) from %s, %s after signing in",
				ev.aud().name, where(ev), s.since(ev))})
	}
}

func (s *breakGlassState) since(ev *event) string {
	if s.w.empty() {
		return "with no sign-in in the window"
	}
	return span(ev.t.Sub(s.w.first()))
}

func (s *breakGlassState) advance(_ *evalCtx, now time.Time) { s.w.expire(now) }
func (s *breakGlassState) empty() bool                       { return s.w.empty() }

// exportAccounts splits the accounts into principal names and object ids
// (given as a bare GUID or id:<guid>), the two columns an export matches
// them on.
func (r *breakGlass) exportAccounts() (names, ids []string) {
	for _, k := range accountKeys(r.p.Accounts) {
		if id, ok := strings.CutPrefix(k, "id:"); ok {
			ids = append(ids, id)
		} else {
			names = append(names, k)
		}
	}
	return names, ids
}

func (r *breakGlass) kql() string {
	names, ids := r.exportAccounts()
	var lets, signIn, audit []string
	if len(names) > 0 || len(ids) == 0 {
		lets = append(lets, fmt.Sprintf("let breakGlass = dynamic(%s);", kqlList(names)))
		signIn = append(signIn, "UserPrincipalName in~ (breakGlass)")
		audit = append(audit, "tostring(InitiatedBy.user.userPrincipalName) in~ (breakGlass)")
	}
	if len(ids) > 0 {
		lets = append(lets, fmt.Sprintf("let breakGlassIds = dynamic(%s);", kqlList(ids)))
		signIn = append(signIn, "UserId in~ (breakGlassIds)")
		audit = append(audit, "tostring(InitiatedBy.user.id) in~ (breakGlassIds)")
	}
	return fmt.Sprintf(`%s
union isfuzzy=true SigninLogs, AADNonInteractiveUserSignInLogs
| where %s
| project TimeGenerated, UserPrincipalName, UserId, IPAddress, AppDisplayName, ResultType,
    RiskLevelDuringSignIn, RiskEventTypes_V2
| union (AuditLogs
    | where %s
    | project TimeGenerated, UserPrincipalName = tostring(InitiatedBy.user.userPrincipalName),
        UserId = tostring(InitiatedBy.user.id), OperationName, Result)`,
		strings.Join(lets, "\n"), strings.Join(signIn, " or "),
		strings.Join(audit, "\n        or "))
}

// sigma matches the accounts by principal name and by object id (UserId);
// with none configured it leaves a placeholder for the team to expand.
func (r *breakGlass) sigma() []sigmaDoc {
	names, ids := r.exportAccounts()
	switch {
	case len(names) == 0 && len(ids) == 0:
		return []sigmaDoc{base("", r.meta().Title, signInLogs,
			sel("UserPrincipalName|expand", "%breakglass_accounts%"))}
	case len(ids) == 0:
		return []sigmaDoc{base("", r.meta().Title, signInLogs, sel("UserPrincipalName", names))}
	case len(names) == 0:
		return []sigmaDoc{base("", r.meta().Title, signInLogs, sel("UserId", ids))}
	}
	doc := base("", r.meta().Title, signInLogs, nil)
	doc.Detection = yaml.MapSlice{
		{Key: "selection_name", Value: sel("UserPrincipalName", names)},
		{Key: "selection_id", Value: sel("UserId", ids)},
		{Key: "condition", Value: "selection_name or selection_id"},
	}
	return []sigmaDoc{doc}
}
