package entra

import (
	"net/netip"
	"time"
)

// RiskDetection is one Identity Protection detection (riskDetection,
// UserRiskEvents, ServicePrincipalRiskEvents). EventType comes from
// riskEventType (v1.0) or riskType (beta), whichever is more specific.
type RiskDetection struct {
	ID            string `json:"id"`
	RequestID     string `json:"requestId,omitempty"`
	CorrelationID string `json:"correlationId,omitempty"`

	EventType  string `json:"riskEventType"`
	RiskLevel  string `json:"riskLevel,omitempty"`
	RiskState  string `json:"riskState,omitempty"`
	RiskDetail string `json:"riskDetail,omitempty"`
	Source     string `json:"source,omitempty"`
	TimingType string `json:"detectionTimingType,omitempty"`
	Activity   string `json:"activity,omitempty"`

	IP       netip.Addr `json:"-"`
	IPRaw    string     `json:"ipAddress,omitempty"`
	Location Location   `json:"location,omitzero"`

	ActivityTime time.Time `json:"activityDateTime,omitzero"`
	DetectedTime time.Time `json:"detectedDateTime,omitzero"`
	LastUpdated  time.Time `json:"lastUpdatedDateTime,omitzero"`
	TimeApprox   bool      `json:"timeApprox,omitempty"`

	UserID             string `json:"userId,omitempty"`
	UserPrincipalName  string `json:"userPrincipalName,omitempty"`
	UserDisplayName    string `json:"userDisplayName,omitempty"`
	ServicePrincipalID string `json:"servicePrincipalId,omitempty"`

	// AdditionalInfo is the raw additionalInfo text (JSON inside a string).
	AdditionalInfo string `json:"additionalInfo,omitempty"`

	Pos Pos `json:"pos"`
}

// Time is the detection's best timestamp: the activity time, else the
// detection time, else the last update.
func (r *RiskDetection) Time() time.Time {
	for _, t := range []time.Time{r.ActivityTime, r.DetectedTime, r.LastUpdated} {
		if !t.IsZero() {
			return t
		}
	}
	return time.Time{}
}

// RiskyUser is one Identity Protection riskyUser: the usual alert that
// starts an investigation.
type RiskyUser struct {
	ID                string    `json:"id"`
	UserPrincipalName string    `json:"userPrincipalName,omitempty"`
	UserDisplayName   string    `json:"userDisplayName,omitempty"`
	RiskLevel         string    `json:"riskLevel,omitempty"`
	RiskState         string    `json:"riskState,omitempty"`
	RiskDetail        string    `json:"riskDetail,omitempty"`
	LastUpdated       time.Time `json:"riskLastUpdatedDateTime,omitzero"`
	IsDeleted         bool      `json:"isDeleted,omitempty"`
	IsProcessing      bool      `json:"isProcessing,omitempty"`
	Pos               Pos       `json:"pos"`
}
