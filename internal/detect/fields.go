package detect

import "github.com/idtriage/idtriage/internal/entra"

// Hunting decodes only the sign-in fields its rules read (ingest.Options
// Fields): each rule declares the groups of entra.SignIn fields it reads,
// directly or through the event newSignIn builds, and the engine adds what
// it reads of every sign-in. A group left out is decoded empty, so a rule
// that reads more than it declares changes its alerts without a word;
// TestRuleFieldsSuffice hunts with every rule alone both ways and compares.

// The groups behind the event fields that come from more than one group,
// or from other sign-ins through the address facts.
const (
	// fieldsCountry is event.country: the record's Location.Country, else
	// the address facts' country, which ipintel takes from other sign-ins'
	// Location.Country (audits have only the facts'). where() and
	// countryOf put it in reasons, and a user's history keeps it.
	fieldsCountry = entra.FieldCountry

	// fieldsPlace is event.lat, lon and located: the record's coordinates,
	// else the facts', which ipintel fills only from a sign-in that also
	// names a country.
	fieldsPlace = entra.FieldCoords | entra.FieldCountry

	// fieldsAnonymizer is event.anonymizer: the record's RiskEventTypes,
	// and the address facts. Hunt's facts take scores from IP intelligence
	// only, but facts resolved as an investigation's are can also call an
	// address a hosting network by the AS number the sign-ins report
	// (ipintel's built-in list), so the ASN is read too.
	fieldsAnonymizer = entra.FieldRiskTypes | entra.FieldASN

	// fieldsLegacy is event.legacy: ClientAppUsed, AuthProtocol and
	// UserAgent.
	fieldsLegacy = entra.FieldApp | entra.FieldAuth | entra.FieldAgent

	// fieldsEngine is what the engine reads of every sign-in whatever rules
	// run: entra.SignIn.IsServicePrincipal reads ServicePrincipalID and
	// Source, which a record without a log category takes from
	// signInEventTypes or isInteractive (all FieldKind). Without them a
	// service principal's sign-in would feed the rules, and be missing
	// from Stats.Skipped.
	fieldsEngine = entra.FieldBase | entra.FieldKind
)

// scopeFields is what grouping by a scope reads beyond FieldBase: an
// application's group is keyed by AppID, else AppDisplayName (appKey).
var scopeFields = [scopeCount]entra.Fields{scopeApp: entra.FieldApp}

// Fields returns the groups of sign-in fields the engine reads: FieldBase,
// what it reads of every sign-in, and for each enabled rule the groups the
// rule reads and what grouping by its scope reads. Every other group can
// be left undecoded without changing an alert or a count.
func (en *Engine) Fields() entra.Fields {
	f := fieldsEngine
	for s, rs := range en.scopes {
		for _, r := range rs {
			f |= r.fields() | scopeFields[s]
		}
	}
	return f
}

// FieldsFor returns the groups of sign-in fields an engine made by
// NewEngine(p, opts) reads (see Engine.Fields): what a hunt must decode.
func FieldsFor(p Params, opts Options) entra.Fields {
	return NewEngine(p, opts).Fields()
}
