package entra

import "strings"

// ActivityKind is what a directory audit event means for an account-takeover
// investigation.
type ActivityKind string

// Activity kinds. The SSPR names follow Microsoft's audit activity
// reference, which lists two spellings of the flow activity.
const (
	ActSSPRProgress          ActivityKind = "sspr_progress"
	ActSSPRUnlock            ActivityKind = "sspr_unlock"
	ActSSPRReset             ActivityKind = "sspr_reset"
	ActSSPRChange            ActivityKind = "sspr_change"
	ActSSPRBlocked           ActivityKind = "sspr_blocked"
	ActSSPRRegistered        ActivityKind = "sspr_registered"
	ActAdminReset            ActivityKind = "admin_reset"
	ActSecurityInfoStarted   ActivityKind = "security_info_started"
	ActSecurityInfoAdded     ActivityKind = "security_info_registered"
	ActSecurityInfoDeleted   ActivityKind = "security_info_deleted"
	ActAdminSecurityInfo     ActivityKind = "admin_security_info"
	ActPasswordChanged       ActivityKind = "password_changed"
	ActUserCreated           ActivityKind = "user_created"
	ActUserUpdated           ActivityKind = "user_updated"
	ActRoleAdded             ActivityKind = "role_added"
	ActAppCredentialAdded    ActivityKind = "app_credential_added"
	ActConsent               ActivityKind = "consent"
	ActAuthMethodsPolicy     ActivityKind = "auth_methods_policy"
	ActConditionalAccessEdit ActivityKind = "ca_policy_changed"
	ActOther                 ActivityKind = "other"
)

// activities maps folded activity names (see Fold) to their kind.
var activities = map[string]ActivityKind{
	"selfservicepasswordresetflowactivityprogress":      ActSSPRProgress,
	"selfservepasswordresetflowactivityprogress":        ActSSPRProgress,
	"unlockuseraccount(selfservice)":                    ActSSPRUnlock,
	"resetpassword(selfservice)":                        ActSSPRReset,
	"changepassword(selfservice)":                       ActSSPRChange,
	"blockedfromselfservicepasswordreset":               ActSSPRBlocked,
	"userregisteredforselfservicepasswordreset":         ActSSPRRegistered,
	"resetpassword(byadmin)":                            ActAdminReset,
	"resetuserpassword":                                 ActPasswordChanged,
	"changeuserpassword":                                ActPasswordChanged,
	"updatepasswordprofile":                             ActPasswordChanged,
	"userstartedsecurityinforegistration":               ActSecurityInfoStarted,
	"userregisteredsecurityinfo":                        ActSecurityInfoAdded,
	"userchangeddefaultsecurityinfo":                    ActSecurityInfoAdded,
	"userdeletedsecurityinfo":                           ActSecurityInfoDeleted,
	"adminregisteredsecurityinfo":                       ActAdminSecurityInfo,
	"admindeletedsecurityinfo":                          ActAdminSecurityInfo,
	"adduser":                                           ActUserCreated,
	"updateuser":                                        ActUserUpdated,
	"addmembertorole":                                   ActRoleAdded,
	"addeligiblemembertorole":                           ActRoleAdded,
	"addmembertorolecompletedpimactivation":             ActRoleAdded,
	"addserviceprincipalcredentials":                    ActAppCredentialAdded,
	"updateapplicationcertificatesandsecretsmanagement": ActAppCredentialAdded,
	"consenttoapplication":                              ActConsent,
	"authenticationmethodspolicyupdate":                 ActAuthMethodsPolicy,
	"updateauthenticationmethodspolicy":                 ActAuthMethodsPolicy,
	"addconditionalaccesspolicy":                        ActConditionalAccessEdit,
	"updateconditionalaccesspolicy":                     ActConditionalAccessEdit,
	"deleteconditionalaccesspolicy":                     ActConditionalAccessEdit,
}

// ClassifyActivity returns the kind of an audit activity name.
func ClassifyActivity(name string) ActivityKind {
	if k, ok := activities[Fold(name)]; ok {
		return k
	}
	return ActOther
}

// IsSSPR reports whether kind belongs to self-service password reset.
func (k ActivityKind) IsSSPR() bool {
	return strings.HasPrefix(string(k), "sspr_")
}

// ChangesCredentials reports whether a successful event of this kind leaves a
// lasting change to the account's password or authentication methods.
func (k ActivityKind) ChangesCredentials() bool {
	switch k {
	case ActSSPRReset, ActSSPRChange, ActAdminReset, ActPasswordChanged,
		ActSecurityInfoAdded, ActSecurityInfoDeleted, ActAdminSecurityInfo:
		return true
	}
	return false
}

// PolicyViolation names the password-policy failure a reset's reason text
// carries, or "" when it carries none. Reasons are matched by keyword, not by
// exact text, because Microsoft's wording varies between report generations.
func PolicyViolation(reason string) string {
	f := Fold(reason)
	switch {
	case strings.Contains(f, "onpremisespolicyviolation"),
		strings.Contains(f, "onpremcomplexity"):
		return "OnPremisesPolicyViolation"
	case strings.Contains(f, "fuzzypolicy"):
		return "FuzzyPolicyViolation"
	case strings.Contains(f, "weak"), strings.Contains(f, "complexity"),
		strings.Contains(f, "doesnotcomply"):
		return "PasswordPolicyViolation"
	}
	return ""
}

// SSPRMethod returns the verification method an SSPR event's reason names
// ("SMS", "voice call", "email", "security questions", "authenticator app"),
// or "".
func SSPRMethod(reason string) string {
	f := strings.ToLower(reason)
	switch {
	case strings.Contains(f, "sms"), strings.Contains(f, "text message"):
		return "SMS"
	case strings.Contains(f, "voice"):
		return "voice call"
	case strings.Contains(f, "email"):
		return "email"
	case strings.Contains(f, "security question"):
		return "security questions"
	case strings.Contains(f, "authenticator"), strings.Contains(f, "app notification"),
		strings.Contains(f, "app code"):
		return "authenticator app"
	}
	return ""
}
