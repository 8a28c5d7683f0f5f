package detect

import (
	"bytes"
	_ "embed"
	"errors"
	"fmt"
	"io"
	"reflect"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/goccy/go-yaml"
)

// defaultsYAML is the documented parameter file; DefaultParams decodes it,
// so the file and the defaults can never disagree.
//
//go:embed defaults.yaml
var defaultsYAML []byte

// DefaultsYAML returns the embedded parameter file, comments included: the
// starting point for a --rules file.
func DefaultsYAML() []byte { return bytes.Clone(defaultsYAML) }

// Params holds every rule's parameters. The zero value is not meant to be
// used; start from DefaultParams or Load. Each rule's section is keyed by
// its id; the lower-case sections are shared by several rules.
type Params struct {
	AtRisk     RiskParams       `yaml:"at-risk"`
	Anonymizer AnonymizerParams `yaml:"anonymizer"`

	ImpossibleTravel TravelParams      `yaml:"ENTRA-IMPOSSIBLE-TRAVEL"`
	RiskyCountries   CountriesParams   `yaml:"ENTRA-RISKY-COUNTRIES"`
	AnonymizerAdmin  AnonAdminParams   `yaml:"ENTRA-ANON-ADMIN"`
	CABlockBurst     CABurstParams     `yaml:"ENTRA-CA-BLOCK-BURST"`
	ProofUpBlocked   ProofUpParams     `yaml:"ENTRA-PROOFUP-BLOCKED"`
	SSPRFailedResets SSPRResetParams   `yaml:"ENTRA-SSPR-FAILED-RESETS"`
	SSPRDuringRisk   SSPRRiskParams    `yaml:"ENTRA-SSPR-DURING-RISK"`
	SSPRUnlockFail   UnlockFailParams  `yaml:"ENTRA-SSPR-UNLOCK-THEN-FAIL"`
	SSPRBlocked      SSPRBlockedParams `yaml:"ENTRA-SSPR-BLOCKED"`
	PasswordSpray    SprayParams       `yaml:"ENTRA-PASSWORD-SPRAY"`
	DistSpray        DistSprayParams   `yaml:"ENTRA-SPRAY-DISTRIBUTED"`
	BruteForce       BruteParams       `yaml:"ENTRA-BRUTE-FORCE"`
	MFAFatigue       FatigueParams     `yaml:"ENTRA-MFA-FATIGUE"`
	LegacyAuth       LegacyParams      `yaml:"ENTRA-LEGACY-AUTH-SUCCESS"`
	SecurityInfo     SecInfoParams     `yaml:"ENTRA-SECINFO-NEW-COUNTRY"`
	BreakGlass       BreakGlassParams  `yaml:"ENTRA-BREAK-GLASS-USE"`
	// RiskDetection is the rule's section: RiskDetectionParams.
	RiskDetection RiskDetectionParams `yaml:"ENTRA-RISK-DETECTION-SUCCESS"`
}

// Common holds what every rule has: whether it runs, and the severity of
// its ordinary alert (some rules raise or lower it, each saying when).
type Common struct {
	Enabled  bool   `yaml:"enabled"`
	Severity string `yaml:"severity"`
}

// RiskParams says which sign-ins count as at risk: a risk level (during the
// sign-in or aggregated) in Levels, and a risk state not in ExcludeStates
// (an administrator's decision, field report BR-33).
type RiskParams struct {
	Levels        []string `yaml:"levels"`
	ExcludeStates []string `yaml:"excludeStates"`
}

// AnonymizerParams says which addresses hide their user: a sign-in risk
// event of one of RiskEventTypes, an IP-intelligence VPN or proxy score of
// at least MinScore (or a Tor or VPN flag), or, when Hosting is set, a
// hosting provider's network.
type AnonymizerParams struct {
	RiskEventTypes []string `yaml:"riskEventTypes"`
	MinScore       int      `yaml:"minScore"`
	Hosting        bool     `yaml:"hosting"`
}

// Duration is a span written in a parameter file as Go writes durations
// ("90m", "24h"), with "d" accepted for days ("14d").
type Duration time.Duration

// D returns the span as a time.Duration.
func (d Duration) D() time.Duration { return time.Duration(d) }

// UnmarshalText reads "90m", "24h" or "14d".
func (d *Duration) UnmarshalText(b []byte) error {
	s := strings.TrimSpace(string(b))
	if n, ok := strings.CutSuffix(s, "d"); ok {
		days, err := strconv.ParseFloat(n, 64)
		if err != nil {
			return &durationError{text: s}
		}
		*d = Duration(time.Duration(days * float64(24*time.Hour)))
		return nil
	}
	v, err := time.ParseDuration(s)
	if err != nil {
		return &durationError{text: s}
	}
	*d = Duration(v)
	return nil
}

// MarshalText writes the span in Go's notation.
func (d Duration) MarshalText() ([]byte, error) {
	return []byte(time.Duration(d).String()), nil
}

// DefaultParams returns the parameters of the embedded defaults.yaml.
func DefaultParams() Params {
	var p Params
	deepCopy(reflect.ValueOf(&p).Elem(), reflect.ValueOf(defaults()))
	return p
}

// defaults decodes the embedded file once: decoding YAML costs more than a
// whole investigation of the reference case, and every investigation asks.
var defaults = sync.OnceValue(func() Params {
	var p Params
	if err := decodeInto(defaultsYAML, &p); err != nil {
		panic("detect: embedded defaults.yaml: " + err.Error())
	}
	if err := p.Validate(); err != nil {
		panic("detect: embedded defaults.yaml: " + err.Error())
	}
	return p
})

// deepCopy copies src into dst with fresh slices and maps, so a caller that
// changes its parameters, or decodes a file over them, never reaches the
// shared defaults.
func deepCopy(dst, src reflect.Value) {
	switch src.Kind() {
	case reflect.Struct:
		for i := range src.NumField() {
			deepCopy(dst.Field(i), src.Field(i))
		}
	case reflect.Slice:
		if src.IsNil() {
			return
		}
		s := reflect.MakeSlice(src.Type(), src.Len(), src.Len())
		for i := range src.Len() {
			deepCopy(s.Index(i), src.Index(i))
		}
		dst.Set(s)
	case reflect.Map:
		if src.IsNil() {
			return
		}
		m := reflect.MakeMapWithSize(src.Type(), src.Len())
		it := src.MapRange()
		for it.Next() {
			v := reflect.New(src.Type().Elem()).Elem()
			deepCopy(v, it.Value())
			m.SetMapIndex(it.Key(), v)
		}
		dst.Set(m)
	case reflect.Pointer:
		if src.IsNil() {
			return
		}
		v := reflect.New(src.Type().Elem())
		deepCopy(v.Elem(), src.Elem())
		dst.Set(v)
	default:
		dst.Set(src)
	}
}

// Load reads a parameter file over the defaults: a section or field the
// file leaves out keeps its default, a list given replaces the default
// list. An unknown section or field is an error that names its line, so a
// misspelt threshold never passes silently.
func Load(r io.Reader) (Params, error) {
	src, err := io.ReadAll(r)
	if err != nil {
		return Params{}, fmt.Errorf("rules file: %w", err)
	}

	p := DefaultParams()
	if err := decodeInto(src, &p); err != nil {
		return Params{}, fmt.Errorf("rules file: %w", err)
	}

	// A value the checks refuse is named by the line that wrote it.
	if err := p.Validate(); err != nil {
		return Params{}, fmt.Errorf("rules file: %w", placeParam(src, err))
	}
	return p, nil
}

// decodeInto decodes src over a copy of p, so that an empty file (which
// the decoder reports as io.EOF after zeroing its target) changes nothing.
func decodeInto(src []byte, p *Params) error {
	src, err := rulesSource(src)
	if err != nil {
		return err
	}
	q := *p
	err = yaml.NewDecoder(bytes.NewReader(src), yaml.DisallowUnknownField()).Decode(&q)
	switch {
	case errors.Is(err, io.EOF):
		return nil
	case err != nil:
		return explainYAML(src, err)
	}
	clearNullLists(src, &q)
	*p = q
	return nil
}

// Validate checks every section: severities are one of the four, counts
// and spans are positive, ratios are not negative, values of a closed set
// (risk levels and states) are members of it, and a list a rule needs to
// match anything is not empty.
func (p Params) Validate() error {
	for _, s := range []struct {
		name string
		err  error
	}{{"at-risk", p.AtRisk.validate()}, {"anonymizer", p.Anonymizer.validate()}} {
		var pe *paramError
		if errors.As(s.err, &pe) {
			pe.section = s.name
		}
		if s.err != nil {
			return fmt.Errorf("%s: %w", s.name, s.err)
		}
	}
	for _, r := range p.rules() {
		if err := r.validate(); err != nil {
			var pe *paramError
			if errors.As(err, &pe) {
				pe.section = r.meta().ID
			}
			return fmt.Errorf("%s: %w", r.meta().ID, err)
		}
	}
	return nil
}

// paramError is a parameter's value that the checks refuse. It names the
// section and the parameter, so that Load can point at the line of the
// rules file that wrote the value (placeParam).
type paramError struct {
	section, param string
	err            error
}

func (e *paramError) Error() string { return e.err.Error() }
func (e *paramError) Unwrap() error { return e.err }

// check collects the first problem of a section's fields.
type check struct{ err error }

// fail records err as the problem of the parameter name, unless an
// earlier one was found.
func (c *check) fail(name string, err error) {
	if c.err == nil {
		c.err = &paramError{param: name, err: err}
	}
}

func (c *check) severity(name, s string) {
	if !validSeverity(s) {
		c.fail(name, fmt.Errorf("%s %q: want low, medium, high or critical", name, s))
	}
}

func (c *check) positive(name string, v float64) {
	if v <= 0 {
		c.fail(name, fmt.Errorf("%s %v: want more than 0", name, v))
	}
}

func (c *check) span(name string, d Duration) {
	if d <= 0 {
		c.fail(name, fmt.Errorf("%s %s: want a positive duration", name, d.D()))
	}
}

func (c *check) common(cm Common) { c.severity("severity", cm.Severity) }
