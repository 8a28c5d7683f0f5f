package simulate

import (
	"bufio"
	"cmp"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"time"
)

// RiskDir and RiskFile are where Run writes the Identity Protection risk
// detections, under Config.Out: apart from the logs folder, as Graph's
// identityProtection/riskDetections is a resource of its own.
const (
	RiskDir  = "risk"
	RiskFile = "risk-detections.ndjson"
)

// Detection timing types and the states the generator writes.
const (
	realtime = "realtime"
	offline  = "offline"

	stateAtRisk     = "atRisk"
	stateDismissed  = "dismissed"
	stateRemediated = "remediated"
)

// detection is one riskDetection the generator writes, about sign-in s.
type detection struct {
	s                 *signIn
	id, request       string // request is "" for a detection tied to no sign-in id
	typ, level        string
	state, detail     string
	timing            string
	t                 time.Time // activityDateTime
	detected, updated time.Time
}

// newDetection returns a detection of s at its time. Its id is derived
// from the sign-in's and the type, so that it takes nothing from the
// generator's random streams: adding detections changes no other record.
func newDetection(s *signIn, typ, level, state, timing string) *detection {
	sum := sha256.Sum256([]byte("riskDetection\x00" + s.id + "\x00" + typ))
	d := &detection{s: s, id: hex.EncodeToString(sum[:]), request: s.id, typ: typ,
		level: level, state: state, detail: "none", timing: timing, t: s.t}
	d.detected = d.t.Add(9 * time.Second)
	if timing == offline {
		d.detected = d.t.Add(20 * time.Hour)
	}
	d.updated = d.detected
	switch state {
	case stateRemediated:
		// The user passed the MFA a risk-based policy asked for.
		d.detail, d.updated = "userPassedMFADrivenByRiskBasedPolicy", d.detected.Add(time.Minute)
	case stateDismissed:
		d.detail, d.updated = "adminDismissedAllRiskForUser", d.detected.Add(26*time.Hour)
	}
	return d
}

// write appends the detection as one Graph v1.0 riskDetection object.
func (d *detection) write(w *jw) {
	s := d.s
	w.open('{')
	w.str("id", d.id)
	w.str("requestId", d.request)
	w.str("correlationId", s.corr)
	w.str("riskEventType", d.typ)
	w.str("riskState", d.state)
	w.str("riskLevel", d.level)
	w.str("riskDetail", d.detail)
	w.str("source", "IdentityProtection")
	w.str("detectionTimingType", d.timing)
	w.str("activity", "signin")
	w.str("tokenIssuerType", "AzureAD")
	w.str("ipAddress", s.ip)
	w.obj("location")
	w.str("city", s.at.city)
	w.str("state", s.at.state)
	w.str("countryOrRegion", s.at.country)
	w.obj("geoCoordinates")
	w.float("latitude", s.at.lat)
	w.float("longitude", s.at.lon)
	w.close('}')
	w.close('}')
	w.time("activityDateTime", d.t)
	w.time("detectedDateTime", d.detected)
	w.time("lastUpdatedDateTime", d.updated)
	w.str("userId", s.u.id)
	w.str("userDisplayName", s.u.name)
	w.str("userPrincipalName", s.u.upn)
	w.str("additionalInfo", fmt.Sprintf(`[{"Key":"userAgent","Value":%q}]`, s.ua))
	w.close('}')
}

// benignDetections returns the detections Identity Protection raises on a
// day's ordinary sign-ins, none of which the risk-detection rule may
// report: a traveller's first sign-in abroad (medium) that the user
// remediated with MFA or an administrator dismissed; the occasional low
// detection, of which half stay low and at risk and the others, re-scored
// medium after the sign-in (the detection's level, not the sign-in's),
// were remediated or dismissed; and a medium one on half of the
// expired-password typos of the first Monday, whose own sign-in failed
// while the user's next try from the same address succeeded a minute
// later.
func benignDetections(recs []record) []*detection {
	var out []*detection
	settled := func(u *user) string {
		if u.i%2 == 0 {
			return stateDismissed
		}
		return stateRemediated
	}
	for _, r := range recs {
		s := r.s
		switch {
		case s == nil:
		case s.riskDuring == "medium":
			out = append(out, newDetection(s, s.riskTypes[0], "medium", settled(s.u),
				realtime))
		case s.riskDuring == "low" && s.u.i%4 < 2:
			out = append(out, newDetection(s, s.riskTypes[0], "low", stateAtRisk, realtime))
		case s.riskDuring == "low":
			out = append(out, newDetection(s, s.riskTypes[0], "medium", settled(s.u),
				realtime))
		case s.typo && s.u.i%8 == 1:
			out = append(out, newDetection(s, "unfamiliarFeatures", "medium", stateAtRisk,
				realtime))
		}
	}
	return out
}

// detectRisky adds a realtime detection of each risk event type of each
// at-risk sign-in of the attack; the rule must report those whose sign-in
// succeeded.
func (a *attacker) detectRisky() {
	for _, r := range a.out {
		s := r.s
		if s == nil || s.riskState != stateAtRisk {
			continue
		}
		for _, typ := range s.riskTypes {
			a.risks = append(a.risks, newDetection(s, typ, s.riskDuring, stateAtRisk, realtime))
		}
		if s.code == 0 {
			a.expect(RuleRiskDetection, s.u, "")
		}
	}
}

// writeRisk writes the detections in activity time order, as a time-ordered
// export of the resource would hold them.
func writeRisk(dir string, ds []*detection) (int64, error) {
	slices.SortFunc(ds, func(a, b *detection) int {
		return cmp.Or(a.t.Compare(b.t), cmp.Compare(a.id, b.id))
	})
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return 0, fmt.Errorf("simulate: %w", err)
	}
	f, err := os.Create(filepath.Join(dir, RiskFile))
	if err != nil {
		return 0, fmt.Errorf("simulate: %w", err)
	}
	bw := bufio.NewWriter(f)
	w := &jw{}
	var n int64
	for _, d := range ds {
		w.b, w.comma = w.b[:0], false
		d.write(w)
		w.b = append(w.b, '\n')
		n += int64(len(w.b))
		if _, err := bw.Write(w.b); err != nil {
			f.Close()
			return 0, fmt.Errorf("simulate: %w", err)
		}
	}
	if err := bw.Flush(); err != nil {
		f.Close()
		return 0, fmt.Errorf("simulate: %w", err)
	}
	if err := f.Close(); err != nil {
		return 0, fmt.Errorf("simulate: %w", err)
	}
	return n, nil
}
