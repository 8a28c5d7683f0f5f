package detect

import (
	"strings"
	"time"

	"github.com/idtriage/idtriage/internal/entra"
)

// Meta describes a rule: its id, title, ATT&CK mapping and what it looks
// for, in words that name its current parameters.
type Meta struct {
	ID            string `json:"id" yaml:"id"`
	Title         string `json:"title" yaml:"title"`
	Technique     string `json:"technique" yaml:"technique"`
	TechniqueName string `json:"techniqueName" yaml:"techniqueName"`
	Tactic        string `json:"tactic" yaml:"tactic"`
	Severity      string `json:"severity" yaml:"severity"`
	Enabled       bool   `json:"enabled" yaml:"enabled"`
	// Scope is what the rule groups by: user, address or application.
	Scope string `json:"scope" yaml:"scope"`
	// Description is the rule in words, with its thresholds.
	Description string `json:"description" yaml:"description"`
	// FieldReports names the field reports and scenarios its samples
	// encode (BR-11, S-07).
	FieldReports []string `json:"fieldReports,omitempty" yaml:"fieldReports,omitempty"`
}

// URL links the rule's technique to its ATT&CK page.
func (m Meta) URL() string {
	return "https://attack.mitre.org/techniques/" +
		strings.ReplaceAll(m.Technique, ".", "/") + "/"
}

// rule is one detection: one type per file, holding its own parameters.
type rule interface {
	meta() Meta
	enabled() bool
	validate() error
	scope() scope
	// mergeGap is how close two hits must be to make one alert; lag how far
	// before the event that triggers it a hit may start.
	mergeGap() time.Duration
	lag() time.Duration
	newState() ruleState
	// wants reports whether the rule reads ev in g. The engine gives a
	// rule's state only the events it wants, and makes the state at the
	// first: most rules read few of a user's events, and passing each one
	// to all sixteen cost more than the rules' work. An event a rule does
	// not want must be one its state would only have expired older events
	// at, which the next wanted event or advance does as well.
	wants(g *group, ev *event) bool
	// fields is the groups of sign-in fields the rule reads, directly or
	// through the event and the user's history (see fields.go): hunting
	// decodes no other. A group missing here is decoded empty, so the rule
	// would see less than the logs say.
	fields() entra.Fields
	// kql is the rule as a Microsoft Sentinel query; sigma as Sigma rules,
	// the correlation last.
	kql() string
	sigma() []sigmaDoc
}

// ruleState is a rule's memory in one group. observe sees the group's
// events that its rule wants, in time order; advance tells it that no event before now will
// come, so it can expire windows and close what waited for later events;
// empty reports whether it holds nothing.
type ruleState interface {
	observe(c *evalCtx, ev *event)
	advance(c *evalCtx, now time.Time)
	empty() bool
}

// rules returns every rule with its parameters, in the order rules list
// and exports print them.
func (p Params) rules() []rule {
	return []rule{
		&caBlockBurst{p.CABlockBurst},
		&proofUpBlocked{p.ProofUpBlocked},
		&riskyCountries{p.RiskyCountries, p.AtRisk},
		&impossibleTravel{p.ImpossibleTravel},
		&anonAdmin{p.AnonymizerAdmin, p.Anonymizer},
		&bruteForce{p.BruteForce},
		&passwordSpray{p.PasswordSpray},
		&distSpray{p.DistSpray},
		&mfaFatigue{p.MFAFatigue},
		&legacyAuth{p.LegacyAuth},
		&ssprDuringRisk{p.SSPRDuringRisk, p.AtRisk},
		&ssprFailedResets{p.SSPRFailedResets},
		&ssprUnlockFail{p.SSPRUnlockFail},
		&ssprBlocked{p.SSPRBlocked},
		&secInfo{p.SecurityInfo, p.Anonymizer},
		&breakGlass{p: p.BreakGlass, anon: p.Anonymizer},
		&riskDetection{p.RiskDetection},
	}
}

// Rules describes every rule under p, enabled or not, in a fixed order.
func Rules(p Params) []Meta {
	rs := p.rules()
	out := make([]Meta, len(rs))
	for i, r := range rs {
		out[i] = r.meta()
		out[i].Enabled = r.enabled()
		out[i].Scope = scopeNames[r.scope()]
	}
	return out
}

var scopeNames = [scopeCount]string{"user", "address", "application"}
