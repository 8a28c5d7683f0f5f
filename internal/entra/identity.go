package entra

import "strings"

// placeholders are principal names that exports write when there is none;
// they never identify a person and are never merged (BR-19).
var placeholders = map[string]bool{
	"":                      true,
	"not available":         true,
	"n/a":                   true,
	"none":                  true,
	"null":                  true,
	"unknown":               true,
	"<user principal name>": true,
	"{pii removed}":         true,
}

// NormalizeUPN returns the principal name trimmed and case-folded, or "" when
// it is empty or a placeholder such as "Not Available".
func NormalizeUPN(upn string) string {
	s := strings.ToLower(strings.TrimSpace(upn))
	if placeholders[s] {
		return ""
	}
	return s
}

// UserKey returns the identity a record belongs to: the principal name
// case-folded, else "id:" and the object id, else "" when the record names no
// usable identity. Callers that group by user must drop records with "".
func UserKey(userID, upn string) string {
	if n := NormalizeUPN(upn); n != "" {
		return n
	}
	id := strings.ToLower(strings.TrimSpace(userID))
	if placeholders[id] || id == "00000000-0000-0000-0000-000000000000" {
		return ""
	}
	return "id:" + id
}
