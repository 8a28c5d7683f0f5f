package ingest

import (
	"strconv"
	"strings"

	"github.com/idtriage/idtriage/internal/entra"
)

// outcome sets the error code and failure text of a sign-in. The code comes
// from status.errorCode (Graph, Event Hub properties, Log Analytics Status),
// else resultType / ResultType (a string in Event Hub and Log Analytics, a
// number in some SIEM exports), else the words "Success" (code 0) or
// "Failure" (no code) from a scalar status or resultType. When
// status.errorCode and resultType disagree, status.errorCode wins and the
// disagreement is counted (BR-25). resultSignature is never read.
func (r *rec) outcome(s *entra.SignIn) {
	status, word := r.objectOr(r.body, "status")
	statusCode, hasStatus := 0, false
	if status != nil {
		statusCode, hasStatus = r.integer(status, "errorCode")
		s.FailureReason = r.str(status, "failureReason")
		s.AdditionalDetails = r.str(status, "additionalDetails")
	}
	resultCode, hasResult, resultWord := r.resultType()
	if word == "" {
		word = resultWord
	}
	switch {
	case hasStatus:
		s.ErrorCode, s.HasCode = statusCode, true
		if hasResult && resultCode != statusCode {
			r.warn("errorCode", "status.errorCode and resultType disagree, status.errorCode used")
		}
	case hasResult:
		s.ErrorCode, s.HasCode = resultCode, true
	case outcomeWord(word) == "success":
		s.ErrorCode, s.HasCode = 0, true
	case outcomeWord(word) == "failure":
		r.warn("errorCode", "failure without a code")
	case word != "":
		r.warn("status", "unknown status text")
	}
	if s.FailureReason == "" {
		s.FailureReason = r.anyStr("resultDescription")
	}
}

// resultType reads resultType from the body, else the envelope: a code
// (number or numeric string) or a word ("Success", "Failure").
func (r *rec) resultType() (code int, ok bool, word string) {
	for _, o := range r.scopes() {
		v, present := o.get("resultType")
		if !present || v == nil {
			continue
		}
		switch x := v.(type) {
		case float64:
			if n, ok := r.integer(o, "resultType"); ok {
				return n, true, ""
			}
		case string:
			t := strings.TrimSpace(x)
			if n, err := strconv.Atoi(t); err == nil {
				return n, true, ""
			}
			if t != "" {
				return 0, false, t
			}
		default:
			r.unexpected(o.child("resultType"), v)
		}
	}
	return 0, false, ""
}

// outcomeWord folds the outcome words exports use.
func outcomeWord(s string) string {
	switch entra.Fold(s) {
	case "success", "succeeded", "ok":
		return "success"
	case "failure", "failed", "fail":
		return "failure"
	}
	return ""
}
