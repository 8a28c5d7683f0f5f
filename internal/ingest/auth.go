package ingest

import "github.com/idtriage/idtriage/internal/entra"

// policies reads appliedConditionalAccessPolicies (Graph, Event Hub) or
// ConditionalAccessPolicies (Log Analytics), as a list or as JSON text.
// conditionsSatisfied is an integer in some shapes and a word list in
// others; it is not read.
func (r *rec) policies() []entra.CAPolicy {
	var out []entra.CAPolicy
	for _, key := range []string{"appliedConditionalAccessPolicies", "conditionalAccessPolicies"} {
		for _, o := range r.objects(r.body, key) {
			out = append(out, entra.CAPolicy{
				ID:            r.str(o, "id"),
				DisplayName:   r.str(o, "displayName"),
				Result:        r.str(o, "result"),
				GrantControls: r.strs(o, "enforcedGrantControls"),
			})
		}
		if len(out) > 0 {
			break
		}
	}
	return out
}

// authSteps reads authenticationDetails. A step whose time cannot be read
// is kept without one.
func (r *rec) authSteps() []entra.AuthStep {
	var out []entra.AuthStep
	for _, o := range r.objects(r.body, "authenticationDetails") {
		t, _, _, _ := r.timeAt(o, "authenticationStepDateTime")
		ok, _ := r.flag(o, "succeeded")
		out = append(out, entra.AuthStep{
			Time:         t,
			Method:       r.str(o, "authenticationMethod"),
			MethodDetail: r.str(o, "authenticationMethodDetail"),
			Succeeded:    ok,
			ResultDetail: r.str(o, "authenticationStepResultDetail"),
			Requirement:  r.str(o, "authenticationStepRequirement"),
		})
	}
	return out
}

// requirementPolicies reads authenticationRequirementPolicies, a list of
// objects that older mappings took for a string (BR-01).
func (r *rec) requirementPolicies() []entra.RequirementPolicy {
	var out []entra.RequirementPolicy
	for _, o := range r.objects(r.body, "authenticationRequirementPolicies") {
		out = append(out, entra.RequirementPolicy{
			Provider: r.str(o, "requirementProvider"),
			Detail:   r.str(o, "detail"),
		})
	}
	return out
}
