package simulate

import "time"

// Truth is the ground truth of a generated tenant: what was injected, and
// which rule must fire for whom and when. It is written as truth.json.
type Truth struct {
	Generator string    `json:"generator"`
	Seed      uint64    `json:"seed"`
	Users     int       `json:"users"`
	Days      int       `json:"days"`
	Start     time.Time `json:"start"`
	End       time.Time `json:"end"`
	// SignIns and Audits count the records written.
	SignIns int `json:"signins"`
	Audits  int `json:"audits"`
	// RiskDetections counts the detections written to RiskDir.
	RiskDetections int        `json:"riskDetections"`
	Bytes          int64      `json:"bytes"`
	BreakGlass     []string   `json:"breakGlass"`
	Incidents      []Incident `json:"incidents"`
	// Missing counts, by scenario, the incidents planned but not injected
	// because the tenant had too few users left for their victims (a
	// distributed spray needs 32 of one office), or too few days to hold
	// them (a night attack in a far time zone of a one-day tenant): their
	// rules cannot be fully scored on this tenant.
	Missing map[string]int `json:"missing,omitempty"`
}

// Incident is one injected attack.
type Incident struct {
	ID       string `json:"id"`
	Scenario string `json:"scenario"`
	// Users are the principal names the attack touched (lower case);
	// Subjects the source addresses and applications it came from or
	// went to.
	Users    []string  `json:"users"`
	Subjects []string  `json:"subjects,omitempty"`
	Start    time.Time `json:"start"`
	End      time.Time `json:"end"`
	// Expect lists the detections the incident must raise.
	Expect []Expected `json:"expect"`
}

// Expected is one detection an incident must raise: the rule, for a user
// or (address and application rules) a subject, within the window.
type Expected struct {
	Rule    string    `json:"rule"`
	User    string    `json:"user,omitempty"`
	Subject string    `json:"subject,omitempty"`
	Start   time.Time `json:"start"`
	End     time.Time `json:"end"`
	// Needs names configuration the rule needs to fire ("break-glass":
	// the account must be listed as an emergency-access account).
	Needs string `json:"needs,omitempty"`
}
