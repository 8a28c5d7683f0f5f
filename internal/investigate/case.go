package investigate

import (
	"time"

	"github.com/idtriage/idtriage/internal/ingest"
	"github.com/idtriage/idtriage/internal/ipintel"
)

// Kind is the kind of a finding, as a Tier-2 analyst would file it.
type Kind string

// Finding kinds.
const (
	// KindNegative: the question was asked and the data hold nothing.
	KindNegative Kind = "negative"
	// KindPivot: something worth following, neither proof nor clearance.
	KindPivot Kind = "pivot"
	// KindNotAssessed: the question could not be asked of these records
	// (a field it needs is missing); neither proof nor clearance.
	KindNotAssessed Kind = "not_assessed"
	// KindRuledOut: a benign explanation was tested and rejected, or an
	// alarming one was tested and explained away.
	KindRuledOut Kind = "ruled_out"
	// KindConfirmed: the records establish the statement.
	KindConfirmed Kind = "confirmed"
)

// Ref cites one record a finding rests on.
type Ref struct {
	Kind string    `json:"kind"` // signin, audit, risk, riskyUser, user, ip
	ID   string    `json:"id"`
	Time time.Time `json:"time,omitzero"`
	// Note is a short description: "53003 from 103.106.24.57 (BD)".
	Note string `json:"note,omitempty"`
}

// Finding is the answer to one step of one question.
type Finding struct {
	Question  int    `json:"question"`
	Step      string `json:"step"`
	Kind      Kind   `json:"kind"`
	Title     string `json:"title"`
	Statement string `json:"statement"`
	Evidence  []Ref  `json:"evidence"`
	// Source names the data the step read ("sign-in logs") and Read how
	// many records of it.
	Source string `json:"source"`
	Read   int    `json:"recordsRead"`
}

// Direction says which way a signal pulls.
type Direction string

// Signal directions.
const (
	Toward  Direction = "for"     // toward a true positive
	Against Direction = "against" // toward a benign reading
	Context Direction = "context" // changes confidence, not disposition
)

// Signal is one numbered reason behind the verdict.
type Signal struct {
	N         int       `json:"n"`
	Direction Direction `json:"direction"`
	Text      string    `json:"text"`
	Evidence  []Ref     `json:"evidence,omitempty"`
}

// Disposition, outcome and confidence values of the JSON contract.
const (
	TruePositive   = "true_positive"
	BenignPositive = "benign_positive"
	FalsePositive  = "false_positive"
	Undetermined   = "undetermined"

	OutcomeBlocked     = "blocked"
	OutcomeCompromised = "compromised"

	ConfLow       = "low"
	ConfMedium    = "medium"
	ConfHigh      = "high"
	ConfConfirmed = "confirmed"
)

// Verdict is the answer to "do we have enough to call it?".
type Verdict struct {
	Label       string `json:"label"`
	Disposition string `json:"disposition"`
	Outcome     string `json:"outcome,omitempty"`
	Confidence  string `json:"confidence"`
	Summary     string `json:"summary"`
	// Rule names the verdict rule that decided (see verdict.go).
	Rule     string   `json:"rule"`
	Signals  []Signal `json:"signals"`
	Tensions []string `json:"tensions,omitempty"`
}

// Detection is a detection opportunity: a rule that would have caught this
// case, in words and as a query.
type Detection struct {
	ID        string `json:"id"`
	Title     string `json:"title"`
	Technique string `json:"technique"`
	Name      string `json:"techniqueName"`
	Tactic    string `json:"tactic"`
	URL       string `json:"url"`
	Rule      string `json:"rule"`
	KQL       string `json:"kql"`
	Fired     bool   `json:"fired"`
	Evidence  []Ref  `json:"evidence,omitempty"`
}

// Event is one line of the case timeline.
type Event struct {
	Time    time.Time `json:"time"`
	Kind    string    `json:"kind"` // signin, audit, risk
	ID      string    `json:"id"`
	Outcome string    `json:"outcome"` // success, blocked, failed, interrupt, info
	Summary string    `json:"summary"`
	IP      string    `json:"ip,omitempty"`
	Country string    `json:"country,omitempty"`
	App     string    `json:"app,omitempty"`
	// InWindow marks events inside the suspicious window; Suspicious marks
	// those the investigation attributes to someone other than the user.
	InWindow   bool `json:"inWindow"`
	Suspicious bool `json:"suspicious,omitempty"`
	Approx     bool `json:"timeApprox,omitempty"`
}

// Place is one end of a hop: where a sign-in came from, as the record
// placed it (city-level, approximate).
type Place struct {
	SignIn  string    `json:"signin"`
	Time    time.Time `json:"time"`
	IP      string    `json:"ip,omitempty"`
	City    string    `json:"city,omitempty"`
	Country string    `json:"country,omitempty"`
	Lat     float64   `json:"lat"`
	Lon     float64   `json:"lon"`
}

// Hop is one move between consecutive attempts of the user faster than
// Config.MaxSpeedKmh over at least Config.MinDistanceKm: the moves the
// impossible-travel finding counts, with both ends placed for a map.
type Hop struct {
	From Place   `json:"from"`
	To   Place   `json:"to"`
	Km   float64 `json:"km"`
	Kmh  float64 `json:"kmh"`
}

// Pivot is a value worth searching for elsewhere.
type Pivot struct {
	Type  string `json:"type"` // ip, network, userAgent, app, country
	Value string `json:"value"`
	Why   string `json:"why"`
}

// Cost compares this run with the same work by hand.
type Cost struct {
	WallTime      time.Duration `json:"-"`
	WallTimeMS    float64       `json:"wallTimeMs"`
	RecordsRead   int           `json:"recordsRead"`
	Sources       int           `json:"sources"`
	ManualMinutes float64       `json:"manualMinutes"`
	ManualCost    float64       `json:"manualCostUsd"`
	Model         string        `json:"model"`
}

// Case is a finished investigation of one user.
type Case struct {
	User        string      `json:"user"`
	DisplayName string      `json:"displayName,omitempty"`
	JobTitle    string      `json:"jobTitle,omitempty"`
	Alert       string      `json:"alert,omitempty"`
	Window      Window      `json:"window"`
	Verdict     Verdict     `json:"verdict"`
	Findings    []Finding   `json:"findings"`
	Detections  []Detection `json:"detections"`
	Timeline    []Event     `json:"timeline"`
	Pivots      []Pivot     `json:"pivots"`
	IPs         []IPSummary `json:"ips"`
	Hops        []Hop       `json:"hops"` // impossible travel, in time order
	Lessons     []string    `json:"lessons"`
	Containment []string    `json:"containment"`
	Coverage    []string    `json:"coverage"`
	// InputNotes says how the input was read (duplicates, merged rows,
	// decoder warnings, unknown codes); unlike Coverage it lowers nothing.
	InputNotes []string            `json:"inputNotes"`
	Sources    Sources             `json:"sources"`
	Files      []ingest.FileReport `json:"files"`
	Problems   []string            `json:"problems"`
	Cost       Cost                `json:"cost"`
}

// Window is the suspicious window the investigation settled on.
type Window struct {
	Start time.Time `json:"start,omitzero"`
	End   time.Time `json:"end,omitzero"`
	Basis string    `json:"basis"`
}

// IPSummary is one address of the case with what is known of it.
type IPSummary struct {
	ipintel.Facts
	SignIns int    `json:"signIns"`
	Audits  int    `json:"audits"`
	Role    string `json:"role"` // baseline, suspicious, other
	Label   string `json:"label"`
}

// Sources counts the records of the user's case read from each source.
type Sources struct {
	SignIns        int `json:"signins"`
	Audits         int `json:"audits"`
	RiskDetections int `json:"riskDetections"`
	RiskyUsers     int `json:"riskyUsers"`
	Users          int `json:"users"`
	IPIntel        int `json:"ipIntel"`
	// Attempts is the number of distinct sign-in attempts (by
	// originalRequestId, else id) behind the sign-in rows.
	Attempts int `json:"signinAttempts"`
	// Tenant counts are everything the input held, all users together.
	TenantSignIns int `json:"tenantSignins"`
	TenantAudits  int `json:"tenantAudits"`
	Skipped       int `json:"filesSkipped"`
	Rejected      int `json:"recordsRejected"`
}
