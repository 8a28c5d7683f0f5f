package graphtest

import (
	"bytes"
	"encoding/csv"
	"encoding/json"
	"fmt"
	"strings"
	"unicode"
	"unicode/utf16"
)

// obj is one decoded record; numbers stay json.Number so that re-encoding
// gives back the digits the file held.
type obj = map[string]any

// laRenames are the Log Analytics columns whose Graph name is not simply
// the column with a lower-case first word (data-notes section 1).
var laRenames = map[string]string{
	"LocationDetails":           "location",
	"ConditionalAccessPolicies": "appliedConditionalAccessPolicies",
	"ResourceIdentity":          "resourceId",
	"RiskEventTypes_V2":         "riskEventTypes_v2",
	"AADOperationType":          "operationType",
	"AADTenantId":               "tenantId",
}

// laDropped are workspace columns Graph does not have. Location is the
// bare country of a sign-in row (the object is LocationDetails); a risk
// row's Location is the object and is kept.
var laDropped = map[string]bool{
	"TenantId": true, "TimeGenerated": true, "Type": true, "OperationName": true,
	"ResultType": true, "ResultDescription": true, "ResultSignature": true,
	"SourceSystem": true, "ResourceId": true, "Level": true, "DurationMs": true,
	"Identity": true, "ResourceGroup": true, "OperationVersion": true,
}

// numeric are Graph fields that are numbers, which a CSV cell gives as
// text.
var numeric = map[string]bool{"autonomousSystemNumber": true,
	"processingTimeInMilliseconds": true}

// fromLogAnalytics turns one workspace row into a Graph record: Graph
// names, JSON text in cells decoded, text booleans and numbers typed, and
// times without a zone read as UTC (the export's " [UTC]" columns).
func fromLogAnalytics(row obj) (obj, string) {
	table, _ := row["Type"].(string)
	out := obj{}
	signIns := strings.Contains(strings.ToLower(table), "signin")
	for k, v := range row {
		if laDropped[k] || (k == "Category" && signIns) {
			continue
		}
		name, ok := laRenames[k]
		if !ok {
			name = lowerFirstWord(k)
		}
		v = typed(name, v)
		if _, isObj := v.(obj); k == "Location" && !isObj {
			continue
		}
		out[name] = v
	}
	if table == "AADUserRiskEvents" {
		// Graph sends additionalInfo as JSON text, the workspace as JSON.
		if info, ok := out["additionalInfo"]; ok {
			if _, isText := info.(string); !isText {
				b, _ := json.Marshal(info)
				out["additionalInfo"] = string(b)
			}
		}
	}
	return out, table
}

// typed decodes JSON text and types the text of a CSV cell.
func typed(name string, v any) any {
	s, ok := v.(string)
	if !ok {
		return v
	}
	t := strings.TrimSpace(s)
	switch {
	case strings.HasPrefix(t, "{") || strings.HasPrefix(t, "["):
		if d, err := decode([]byte(t)); err == nil {
			return d
		}
	case strings.EqualFold(t, "true"):
		return true
	case strings.EqualFold(t, "false"):
		return false
	case numeric[name] && t != "":
		return json.Number(t)
	case strings.HasSuffix(name, "DateTime") && len(t) >= 19 && t[10] == 'T' && !hasZone(t):
		return t + "Z"
	}
	return v
}

func hasZone(t string) bool {
	return strings.HasSuffix(t, "Z") || strings.LastIndexAny(t, "+-") > 10
}

// lowerFirstWord lower-cases the leading capitals of a PascalCase name,
// keeping the capital that starts the next word: IPAddress becomes
// ipAddress, UserId userId, Id id.
func lowerFirstWord(k string) string {
	r := []rune(k)
	i := 0
	for i < len(r) && unicode.IsUpper(r[i]) {
		i++
	}
	if i > 1 && i < len(r) && unicode.IsLower(r[i]) {
		i--
	}
	for j := range i {
		r[j] = unicode.ToLower(r[j])
	}
	return string(r)
}

// csvRows reads a Log Analytics or portal CSV export: the header names
// lose their " [UTC]" suffix, every cell is text.
func csvRows(text []byte) ([]obj, error) {
	rd := csv.NewReader(bytes.NewReader(text))
	rd.FieldsPerRecord = -1
	rows, err := rd.ReadAll()
	if err != nil || len(rows) == 0 {
		return nil, fmt.Errorf("read CSV: %w", err)
	}
	head := rows[0]
	for i, h := range head {
		head[i] = strings.TrimSuffix(strings.TrimSpace(h), " [UTC]")
	}
	var out []obj
	for _, row := range rows[1:] {
		o := obj{}
		for i, cell := range row {
			if i < len(head) && cell != "" {
				o[head[i]] = cell
			}
		}
		out = append(out, o)
	}
	return out, nil
}

// utf8Text strips a UTF-8 byte-order mark or decodes UTF-16 with one, as
// PowerShell writes files.
func utf8Text(b []byte) []byte {
	switch {
	case bytes.HasPrefix(b, []byte{0xEF, 0xBB, 0xBF}):
		return b[3:]
	case bytes.HasPrefix(b, []byte{0xFF, 0xFE}), bytes.HasPrefix(b, []byte{0xFE, 0xFF}):
		le := b[0] == 0xFF
		b = b[2:]
		u := make([]uint16, len(b)/2)
		for i := range u {
			if le {
				u[i] = uint16(b[2*i]) | uint16(b[2*i+1])<<8
			} else {
				u[i] = uint16(b[2*i])<<8 | uint16(b[2*i+1])
			}
		}
		return []byte(string(utf16.Decode(u)))
	}
	return b
}

// decode reads one JSON value keeping numbers as written.
func decode(b []byte) (any, error) {
	d := json.NewDecoder(bytes.NewReader(b))
	d.UseNumber()
	var v any
	if err := d.Decode(&v); err != nil {
		return nil, err
	}
	return v, nil
}
