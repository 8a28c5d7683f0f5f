package entra

import (
	"slices"
	"strings"
	"unicode"
)

// CodeTableVersion names the revision of the error-code table below. Bump it
// when a code moves between classes, so that reports say which table judged
// them.
const CodeTableVersion = "2026-12-04"

// CodeClass is what an error code means for an investigation.
type CodeClass string

// The classes. Only ClassCredentialFailure counts as a wrong password;
// lockouts are counted apart; interrupts are neither failure nor success.
const (
	ClassSuccess           CodeClass = "success"
	ClassCredentialFailure CodeClass = "credential_failure"
	ClassLockout           CodeClass = "lockout"
	ClassExpiredPassword   CodeClass = "expired_password"
	ClassDisabled          CodeClass = "disabled"
	ClassInterrupt         CodeClass = "interrupt"
	ClassMFAFailed         CodeClass = "mfa_failed"
	ClassCABlock           CodeClass = "ca_block"
	ClassProofUpBlocked    CodeClass = "proofup_blocked"
	ClassOtherFailure      CodeClass = "other_failure"
	ClassUnknown           CodeClass = "unknown"
)

// CodeInfo describes one error code.
type CodeInfo struct {
	Code  int
	Name  string
	Class CodeClass
	// FirstFactorPassed is set when the code can only be returned after the
	// password (or other first factor) was accepted: MFA prompts and
	// Conditional Access, which Microsoft documents as enforced after
	// first-factor authentication completes.
	FirstFactorPassed bool
}

// codes is the versioned table (see CodeTableVersion). Names follow the
// AADSTS reference; classes follow field reports BR-13 and BR-35.
var codes = map[int]CodeInfo{
	0:       {0, "Success", ClassSuccess, true},
	16000:   {16000, "SelectUserAccount", ClassInterrupt, false},
	50053:   {50053, "IdsLocked", ClassLockout, false},
	50055:   {50055, "InvalidPasswordExpiredPassword", ClassExpiredPassword, false},
	50057:   {50057, "UserDisabled", ClassDisabled, false},
	50058:   {50058, "UserInformationNotProvided", ClassInterrupt, false},
	50072:   {50072, "UserStrongAuthEnrollmentRequiredInterrupt", ClassInterrupt, true},
	50074:   {50074, "UserStrongAuthClientAuthNRequiredInterrupt", ClassInterrupt, true},
	50076:   {50076, "UserStrongAuthClientAuthNRequired", ClassInterrupt, true},
	50079:   {50079, "UserStrongAuthEnrollmentRequired", ClassInterrupt, true},
	50097:   {50097, "DeviceAuthenticationRequired", ClassInterrupt, false},
	50125:   {50125, "PasswordResetRegistrationRequiredInterrupt", ClassInterrupt, true},
	50126:   {50126, "InvalidUserNameOrPassword", ClassCredentialFailure, false},
	50131:   {50131, "ConditionalAccessFailed", ClassOtherFailure, false},
	50132:   {50132, "SsoArtifactInvalidOrExpired", ClassInterrupt, false},
	50133:   {50133, "SsoArtifactRevoked", ClassInterrupt, false},
	50135:   {50135, "PasswordChangeCompromisedPassword", ClassInterrupt, true},
	50140:   {50140, "KmsiInterrupt", ClassInterrupt, true},
	50144:   {50144, "InvalidPasswordExpiredOnPremPassword", ClassExpiredPassword, false},
	50155:   {50155, "DeviceAuthenticationFailed", ClassOtherFailure, false},
	50158:   {50158, "ExternalSecurityChallenge", ClassInterrupt, true},
	53000:   {53000, "DeviceNotCompliant", ClassCABlock, true},
	53001:   {53001, "DeviceNotDomainJoined", ClassCABlock, true},
	53002:   {53002, "ApplicationUsedIsNotAnApprovedApp", ClassCABlock, true},
	53003:   {53003, "BlockedByConditionalAccess", ClassCABlock, true},
	53004:   {53004, "ProofUpBlockedDueToRisk", ClassProofUpBlocked, true},
	70043:   {70043, "BadTokenDueToSignInFrequency", ClassInterrupt, false},
	70044:   {70044, "BadTokenDueToSignInFrequency", ClassInterrupt, false},
	500121:  {500121, "AuthenticationFailedDuringStrongAuthRequest", ClassMFAFailed, true},
	7000215: {7000215, "InvalidClientSecretProvided", ClassOtherFailure, false},
	7000222: {7000222, "InvalidClientSecretExpiredKeysProvided", ClassOtherFailure, false},
}

// LookupCode returns the table entry for code; ok is false for a code the
// table does not know, which callers report rather than guess.
func LookupCode(code int) (CodeInfo, bool) {
	info, ok := codes[code]
	return info, ok
}

// Stage is how far along a sign-in's flow an outcome of class c is: 3 a
// success, 2 a failure, 1 an interrupt (MFA or a device required), 0
// unknown. It decides between rows of one sign-in logged at the same time:
// a flow passes its interrupts before it ends, and a failure then a success
// is a user switching methods (BR-11), so the row of the higher stage is
// the sign-in's outcome, whatever order the rows were read in.
func (c CodeClass) Stage() int {
	switch c {
	case ClassSuccess:
		return 3
	case ClassInterrupt:
		return 1
	case ClassUnknown, "":
		return 0
	}
	return 2
}

// FailureCodes returns the codes of the table whose class is a failure
// (Stage 2): the sign-in ended refused, not interrupted. Ascending.
func FailureCodes() []int {
	var out []int
	for code, info := range codes {
		if info.Class.Stage() == 2 {
			out = append(out, code)
		}
	}
	slices.Sort(out)
	return out
}

// ClassifyCode returns the class of code, ClassUnknown when the table does
// not know it.
func ClassifyCode(code int) CodeClass {
	if info, ok := codes[code]; ok {
		return info.Class
	}
	return ClassUnknown
}

// FirstFactorPassed reports whether code implies that the first factor (the
// password) was accepted.
func FirstFactorPassed(code int) bool {
	return codes[code].FirstFactorPassed
}

// Fold normalises an enum-like value for lookup: lower case, with spaces,
// underscores and hyphens removed ("Device Code" and "deviceCode" both give
// "devicecode"). Callers keep the raw value beside it.
func Fold(s string) string {
	var b strings.Builder
	b.Grow(len(s))
	for _, r := range s {
		if r == ' ' || r == '_' || r == '-' {
			continue
		}
		b.WriteRune(unicode.ToLower(r))
	}
	return b.String()
}

func equalFold(a, b string) bool {
	return strings.EqualFold(strings.TrimSpace(a), b)
}
