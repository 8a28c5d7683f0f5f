package entra

import (
	"slices"
	"testing"
)

func TestClassifyCode(t *testing.T) {
	tests := []struct {
		code  int
		class CodeClass
		first bool
	}{
		{0, ClassSuccess, true},
		{50126, ClassCredentialFailure, false},
		{50053, ClassLockout, false},
		{50074, ClassInterrupt, true},
		{50097, ClassInterrupt, false},
		{50140, ClassInterrupt, true},
		{70043, ClassInterrupt, false},
		{53003, ClassCABlock, true},
		{53004, ClassProofUpBlocked, true},
		{500121, ClassMFAFailed, true},
		{50057, ClassDisabled, false},
		{99999, ClassUnknown, false},
	}
	if !slices.IsSorted(FailureCodes()) {
		t.Errorf("FailureCodes() not ascending: %v", FailureCodes())
	}
	for _, tt := range tests {
		if got := ClassifyCode(tt.code); got != tt.class {
			t.Errorf("ClassifyCode(%d) = %s, want %s", tt.code, got, tt.class)
		}
		if got := FirstFactorPassed(tt.code); got != tt.first {
			t.Errorf("FirstFactorPassed(%d) = %v, want %v", tt.code, got, tt.first)
		}
		failure := tt.class != ClassSuccess && tt.class != ClassInterrupt &&
			tt.class != ClassUnknown
		if got := slices.Contains(FailureCodes(), tt.code); got != failure {
			t.Errorf("FailureCodes() holds %d: %v, want %v", tt.code, got, failure)
		}
	}
}

func TestFold(t *testing.T) {
	for in, want := range map[string]string{
		"deviceCode": "devicecode", "Device Code": "devicecode",
		"Authentication transfer": "authenticationtransfer", "trusted_Named-Location": "trustednamedlocation",
	} {
		if got := Fold(in); got != want {
			t.Errorf("Fold(%q) = %q, want %q", in, got, want)
		}
	}
}

func TestClassifyActivity(t *testing.T) {
	for in, want := range map[string]ActivityKind{
		"Self-service password reset flow activity progress": ActSSPRProgress,
		"Self serve password reset flow activity progress":   ActSSPRProgress,
		"Unlock user account (self-service)":                 ActSSPRUnlock,
		"Reset password (self-service)":                      ActSSPRReset,
		"User registered security info":                      ActSecurityInfoAdded,
		"Blocked from self-service password reset":           ActSSPRBlocked,
		"Something new": ActOther,
	} {
		if got := ClassifyActivity(in); got != want {
			t.Errorf("ClassifyActivity(%q) = %s, want %s", in, got, want)
		}
	}
	if !ActSSPRReset.ChangesCredentials() || ActSSPRUnlock.ChangesCredentials() {
		t.Error("a reset changes credentials; an unlock does not")
	}
}

func TestPolicyViolation(t *testing.T) {
	for in, want := range map[string]string{
		"User's password reset failed: OnPremisesPolicyViolation":           "OnPremisesPolicyViolation",
		"User's password reset failed: FuzzyPolicyViolationInvalidPassword": "FuzzyPolicyViolation",
		"PasswordChangeOnPremComplexity":                                    "OnPremisesPolicyViolation",
		"User successfully reset password":                                  "",
	} {
		if got := PolicyViolation(in); got != want {
			t.Errorf("PolicyViolation(%q) = %q, want %q", in, got, want)
		}
	}
}

func TestUserKey(t *testing.T) {
	tests := []struct{ id, upn, want string }{
		{"u5", "User_15@Example.com", "user_15@example.com"},
		{"", "Not Available", ""},
		{"", "", ""},
		{"U5", "", "id:u5"},
		{"00000000-0000-0000-0000-000000000000", "", ""},
	}
	for _, tt := range tests {
		if got := UserKey(tt.id, tt.upn); got != tt.want {
			t.Errorf("UserKey(%q, %q) = %q, want %q", tt.id, tt.upn, got, tt.want)
		}
	}
}
