package entra

// RequirementPolicy is one entry of a sign-in's
// authenticationRequirementPolicies: the provider that raised the
// authentication requirement ("multiConditionalAccess", "riskBasedPolicy")
// and its detail text ("Conditional Access").
type RequirementPolicy struct {
	Provider string `json:"requirementProvider,omitempty"`
	Detail   string `json:"detail,omitempty"`
}
