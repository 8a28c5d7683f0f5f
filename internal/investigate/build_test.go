package investigate

import (
	"encoding/json"
	"fmt"
	"testing"
	"time"
)

// rec is one synthetic Graph sign-in under construction.
type rec map[string]any

// signIn returns a Graph-shaped sign-in with the fields the tests vary.
func signIn(id string, at time.Time, user, ip, country string, lat, lon float64,
	code int) rec {
	r := rec{
		"id": id, "createdDateTime": at.UTC().Format(time.RFC3339Nano),
		"userPrincipalName": user, "ipAddress": ip, "appDisplayName": "Microsoft Teams",
		"isInteractive": true, "signInEventTypes": []string{"interactiveUser"},
		"status": map[string]any{"errorCode": code},
	}
	if country != "" {
		r["location"] = map[string]any{"countryOrRegion": country, "city": "Somewhere",
			"geoCoordinates": map[string]any{"latitude": lat, "longitude": lon}}
	}
	return r
}

func (r rec) with(k string, v any) rec { r[k] = v; return r }

// baselineRecs returns n successful sign-ins of user, one a day before start,
// from one address, country and device, with MFA by push.
func baselineRecs(user, ip, country string, lat, lon float64, start time.Time, n int) []rec {
	var out []rec
	for i := n; i >= 1; i-- {
		at := start.Add(-time.Duration(i) * 24 * time.Hour)
		out = append(out, signIn(fmt.Sprintf("base-%s-%02d", user[:6], i), at, user, ip,
			country, lat, lon, 0).
			with("deviceDetail", map[string]any{"deviceId": "dev-" + user[:6],
				"isManaged": true, "isCompliant": true}).
			with("authenticationDetails", []any{
				map[string]any{"authenticationMethod": "Password", "succeeded": true,
					"authenticationStepResultDetail": "Correct password"},
				map[string]any{"authenticationMethod": "Mobile app notification",
					"succeeded":                      true,
					"authenticationStepResultDetail": "MFA successfully completed"},
			}))
	}
	return out
}

// array renders records as a JSON array file.
func array(t *testing.T, recs ...[]rec) string {
	t.Helper()
	var all []rec
	for _, r := range recs {
		all = append(all, r...)
	}
	b, err := json.Marshal(all)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

func mustTime(s string) time.Time {
	t, err := time.Parse(time.RFC3339, s)
	if err != nil {
		panic(err)
	}
	return t
}

// brazilBlocks is n of the victim's sign-ins an hour apart from start, each
// from another address in Brazil, each blocked by Conditional Access.
func brazilBlocks(start time.Time, n int) []rec {
	var out []rec
	for i := range n {
		out = append(out, signIn(fmt.Sprintf("blk%d", i), start.Add(time.Duration(i)*
			time.Hour), victim, fmt.Sprintf("203.0.113.%d", 10+i), "BR", -23.5, -46.6, 53003))
	}
	return out
}
