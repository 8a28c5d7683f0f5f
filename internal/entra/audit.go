package entra

import "time"

// ActorType says who initiated a directory audit event.
type ActorType string

// Actor types; unknown when both initiatedBy.user and initiatedBy.app are
// null or missing (BR-02).
const (
	ActorUser    ActorType = "user"
	ActorApp     ActorType = "app"
	ActorUnknown ActorType = "unknown"
)

// Actor is the resolved initiatedBy of an audit event.
type Actor struct {
	Type               ActorType `json:"type"`
	ID                 string    `json:"id,omitempty"`
	UserPrincipalName  string    `json:"userPrincipalName,omitempty"`
	DisplayName        string    `json:"displayName,omitempty"`
	IPRaw              string    `json:"ipAddress,omitempty"`
	AppID              string    `json:"appId,omitempty"`
	ServicePrincipalID string    `json:"servicePrincipalId,omitempty"`
}

// Value is one side of a modified property. Raw is the string the service
// wrote (usually JSON inside a string); Decoded is that JSON decoded once,
// with "True"/"False" strings read as booleans, and nil when Raw was not JSON.
type Value struct {
	Raw     string `json:"raw,omitempty"`
	Decoded any    `json:"decoded,omitempty"`
}

// ModifiedProperty is one entry of targetResources[].modifiedProperties.
type ModifiedProperty struct {
	Name string `json:"name"`
	Old  Value  `json:"old"`
	New  Value  `json:"new"`
}

// Target is one entry of targetResources.
type Target struct {
	ID                string             `json:"id,omitempty"`
	DisplayName       string             `json:"displayName,omitempty"`
	Type              string             `json:"type,omitempty"`
	UserPrincipalName string             `json:"userPrincipalName,omitempty"`
	Modified          []ModifiedProperty `json:"modifiedProperties,omitempty"`
}

// KeyValue is one entry of additionalDetails.
type KeyValue struct {
	Key   string `json:"key"`
	Value string `json:"value"`
}

// Audit is one directory audit event (directoryAudit, AuditLogs).
type Audit struct {
	ID            string    `json:"id"`
	CorrelationID string    `json:"correlationId,omitempty"`
	Time          time.Time `json:"time"`
	TimeApprox    bool      `json:"timeApprox,omitempty"`

	Activity        string `json:"activity"`
	Category        string `json:"category,omitempty"`
	LoggedByService string `json:"loggedByService,omitempty"`
	OperationType   string `json:"operationType,omitempty"`

	// Result is folded to "success", "failure", "timeout" or "unknown"
	// ("failed", "Failure" and a numeric 0 are all mapped).
	Result       string `json:"result"`
	ResultReason string `json:"resultReason,omitempty"`

	Actor             Actor      `json:"actor"`
	Targets           []Target   `json:"targets,omitempty"`
	AdditionalDetails []KeyValue `json:"additionalDetails,omitempty"`

	// DurationMs is the Event Hub durationMs; HasDuration is false when the
	// record carried none, which means unknown, not zero (BR-08).
	DurationMs  float64 `json:"durationMs,omitempty"`
	HasDuration bool    `json:"-"`

	// Raw keeps, by field name, the JSON of optional fields that arrived
	// with an unexpected type, or JSON text that did not parse.
	Raw map[string]string `json:"raw,omitempty"`

	Pos Pos `json:"pos"`
}

// Detail returns the value of the additionalDetails entry named key, ignoring
// case, and "" when there is none.
func (a *Audit) Detail(key string) string {
	for _, kv := range a.AdditionalDetails {
		if equalFold(kv.Key, key) {
			return kv.Value
		}
	}
	return ""
}

// Property returns the modified property named name on any target.
func (a *Audit) Property(name string) (ModifiedProperty, bool) {
	for _, t := range a.Targets {
		for _, m := range t.Modified {
			if equalFold(m.Name, name) {
				return m, true
			}
		}
	}
	return ModifiedProperty{}, false
}

// Succeeded reports whether the event's result is success.
func (a *Audit) Succeeded() bool { return a.Result == "success" }
