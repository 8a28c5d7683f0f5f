package graphtest

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"time"
)

// kind is the Graph collection a record belongs to.
type kind string

const (
	kindSignIn    kind = "signIns"
	kindAudit     kind = "directoryAudits"
	kindRisk      kind = "riskDetections"
	kindRiskyUser kind = "riskyUsers"
	kindUser      kind = "users"
	kindLocal     kind = "local" // IP intelligence: not Graph's
)

// record is one record the fake serves, with the fields its filters read.
type record struct {
	kind kind
	raw  []byte // compact JSON, as served
	obj  obj
	id   string
	// at is createdDateTime, activityDateTime, detectedDateTime or
	// riskLastUpdatedDateTime, by kind.
	at time.Time
	// user is the record's user: its object id and principal name.
	userID, upn    string
	nonInteractive bool
	initiator      string   // initiatedBy/user/id of an audit
	targets        []string // targetResources ids of an audit
	riskState      string
}

// Loaded says what Load made of the files it was given.
type Loaded struct {
	// Served are the files whose records the fake now serves.
	Served []string
	// Local are files whose records Graph does not hold (IP intelligence),
	// to be read beside a pull.
	Local []string
	// Skipped are files with no record the fake knows (a README).
	Skipped []string
	// Records counts the records served, by collection.
	Records map[string]int
}

// Load reads files, or folders recursively, and serves their records:
// Graph pages and arrays as they are, Event Hub records by their
// properties, Log Analytics rows (JSON or CSV) under Graph's names.
func (s *Server) Load(paths ...string) (Loaded, error) {
	var files []string
	for _, p := range paths {
		err := filepath.WalkDir(p, func(f string, d fs.DirEntry, err error) error {
			if err == nil && !d.IsDir() {
				files = append(files, f)
			}
			return err
		})
		if err != nil {
			return Loaded{}, fmt.Errorf("graphtest: %w", err)
		}
	}
	slices.Sort(files)
	l := Loaded{Records: map[string]int{}}
	for _, f := range files {
		recs, err := readFile(f)
		if err != nil {
			return l, fmt.Errorf("graphtest: %s: %w", f, err)
		}
		switch {
		case len(recs) == 0:
			l.Skipped = append(l.Skipped, f)
		case recs[0].kind == kindLocal:
			l.Local = append(l.Local, f)
		default:
			l.Served = append(l.Served, f)
		}
		s.mu.Lock()
		for _, r := range recs {
			if r.kind != kindLocal {
				s.records[r.kind] = append(s.records[r.kind], r)
				l.Records[string(r.kind)]++
			}
		}
		s.mu.Unlock()
	}
	return l, nil
}

// readFile reads every record of one file. A file that is not JSON, or
// whose JSON holds no known record, gives none.
func readFile(path string) ([]*record, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, err
	}
	text := bytes.TrimSpace(utf8Text(data))
	if len(text) == 0 {
		return nil, nil
	}
	var raws []json.RawMessage
	if text[0] == '{' || text[0] == '[' {
		if raws, err = jsonValues(text); err != nil {
			return nil, err
		}
	} else if rows, err := csvRows(text); err == nil && looksLikeWorkspace(rows) {
		for _, row := range rows {
			b, _ := encode(row)
			raws = append(raws, b)
		}
	}
	var out []*record
	for i, raw := range raws {
		r, err := newRecord(raw)
		if err != nil {
			return nil, fmt.Errorf("record %d: %w", i+1, err)
		}
		if r != nil {
			out = append(out, r)
		}
	}
	return out, nil
}

func looksLikeWorkspace(rows []obj) bool {
	return len(rows) > 0 && (rows[0]["Id"] != nil || rows[0]["TimeGenerated"] != nil)
}

// jsonValues reads the records of every top-level value: the elements of
// an array, of a page's "value" or of an Event Hub "records", or the
// object itself (one record, or NDJSON).
func jsonValues(text []byte) ([]json.RawMessage, error) {
	d := json.NewDecoder(bytes.NewReader(text))
	var out []json.RawMessage
	for d.More() {
		var v json.RawMessage
		if err := d.Decode(&v); err != nil {
			return nil, err
		}
		var list []json.RawMessage
		if v[0] == '[' {
			if err := json.Unmarshal(v, &list); err != nil {
				return nil, err
			}
			out = append(out, list...)
			continue
		}
		var box struct {
			Value   []json.RawMessage `json:"value"`
			Records []json.RawMessage `json:"records"`
		}
		if err := json.Unmarshal(v, &box); err != nil {
			return nil, err
		}
		switch {
		case box.Value != nil:
			out = append(out, box.Value...)
		case box.Records != nil:
			out = append(out, box.Records...)
		default:
			out = append(out, v)
		}
	}
	return out, nil
}

// newRecord makes a Graph record of one raw record of any export shape.
// It returns nil for a record of no known kind.
func newRecord(raw json.RawMessage) (*record, error) {
	v, err := decode(raw)
	if err != nil {
		return nil, err
	}
	o, ok := v.(obj)
	if !ok {
		return nil, nil
	}
	hint := ""
	var eh struct {
		Category   string          `json:"category"`
		Properties json.RawMessage `json:"properties"`
	}
	switch {
	case o["properties"] != nil && o["category"] != nil:
		// Event Hub: the payload under properties is the Graph record.
		if err := json.Unmarshal(raw, &eh); err != nil {
			return nil, err
		}
		hint, raw = eh.Category, eh.Properties
		if v, err = decode(raw); err != nil {
			return nil, err
		}
		o, _ = v.(obj)
	case o["TimeGenerated"] != nil || o["TenantId"] != nil || o["Id"] != nil:
		o, hint = fromLogAnalytics(o)
		raw = nil
	}
	if o == nil {
		return nil, nil
	}
	r := &record{kind: classify(o, hint), obj: o}
	if r.kind == "" {
		return nil, nil
	}
	if r.kind == kindSignIn && o["signInEventTypes"] == nil {
		// Graph beta always says which log a sign-in belongs to.
		r.obj["signInEventTypes"] = []any{eventType(o, hint)}
		raw = nil
	}
	if raw == nil {
		if raw, err = encode(r.obj); err != nil {
			return nil, err
		}
	}
	var compact bytes.Buffer
	if err := json.Compact(&compact, raw); err != nil {
		return nil, err
	}
	r.raw = compact.Bytes()
	r.index()
	return r, nil
}

// classify names a record's collection from the export's category or
// table when there is one, else from its fields.
func classify(o obj, hint string) kind {
	h := strings.ToLower(hint)
	switch {
	case strings.Contains(h, "signin"):
		return kindSignIn
	case h == "auditlogs":
		return kindAudit
	case strings.Contains(h, "riskevents"):
		return kindRisk
	case strings.Contains(h, "riskyusers"):
		return kindRiskyUser
	}
	has := func(k string) bool { return o[k] != nil }
	switch {
	case has("activityDisplayName") && (has("initiatedBy") || has("targetResources")):
		return kindAudit
	case has("riskEventType") || has("riskType"):
		return kindRisk
	case has("riskLastUpdatedDateTime"):
		return kindRiskyUser
	case has("createdDateTime") && (has("status") || has("appId") || has("ipAddress")):
		return kindSignIn
	case has("ip") && (has("asn") || has("threat")):
		return kindLocal
	case has("userPrincipalName") && has("id"):
		return kindUser
	}
	return ""
}

// eventType is the signInEventTypes value of a sign-in that lacks one.
func eventType(o obj, hint string) string {
	if strings.Contains(strings.ToLower(hint), "noninteractive") || o["isInteractive"] == false {
		return "nonInteractiveUser"
	}
	return "interactiveUser"
}

// index reads the fields the fake's filters use.
func (r *record) index() {
	o := r.obj
	r.id, _ = o["id"].(string)
	r.upn, _ = o["userPrincipalName"].(string)
	r.userID, _ = o["userId"].(string)
	switch r.kind {
	case kindSignIn:
		r.at = parseTime(o["createdDateTime"])
		types, _ := o["signInEventTypes"].([]any)
		r.nonInteractive = slices.Contains(types, any("nonInteractiveUser"))
	case kindAudit:
		r.at = parseTime(o["activityDateTime"])
		if by, ok := o["initiatedBy"].(obj); ok {
			if u, ok := by["user"].(obj); ok {
				r.initiator, _ = u["id"].(string)
			}
		}
		targets, _ := o["targetResources"].([]any)
		for _, t := range targets {
			if t, ok := t.(obj); ok {
				id, _ := t["id"].(string)
				r.targets = append(r.targets, id)
			}
		}
	case kindRisk:
		r.at = parseTime(o["detectedDateTime"])
	case kindRiskyUser, kindUser:
		r.userID = r.id
		r.riskState, _ = o["riskState"].(string)
		if r.kind == kindRiskyUser {
			r.at = parseTime(o["riskLastUpdatedDateTime"])
		}
	}
}

func parseTime(v any) time.Time {
	s, _ := v.(string)
	if s != "" && !hasZone(s) {
		s += "Z"
	}
	t, _ := time.Parse(time.RFC3339Nano, s)
	return t.UTC()
}

// encode writes v as JSON without escaping HTML characters, as Graph does.
func encode(v any) ([]byte, error) {
	var b bytes.Buffer
	e := json.NewEncoder(&b)
	e.SetEscapeHTML(false)
	if err := e.Encode(v); err != nil {
		return nil, err
	}
	return bytes.TrimRight(b.Bytes(), "\n"), nil
}
