package main

import (
	"bytes"
	"encoding/binary"
	"encoding/csv"
	"encoding/json"
	"fmt"
	"strconv"
	"strings"
	"time"
	"unicode/utf16"
)

// field is one member of an ordered JSON object.
type field struct {
	k string
	v any
}

// obj is a JSON object whose members keep the order they were written in,
// for the wrappers and Log Analytics rows that no Go struct describes.
type obj []field

// MarshalJSON writes the members in order.
func (o obj) MarshalJSON() ([]byte, error) {
	var b bytes.Buffer
	b.WriteByte('{')
	for i, f := range o {
		if i > 0 {
			b.WriteByte(',')
		}
		b.Write(marshal(f.k))
		b.WriteByte(':')
		b.Write(marshal(f.v))
	}
	b.WriteByte('}')
	return b.Bytes(), nil
}

// marshal encodes v compactly without HTML escaping, as Graph does. Every
// value casegen builds is encodable, so an error is a bug and panics.
func marshal(v any) []byte {
	var b bytes.Buffer
	enc := json.NewEncoder(&b)
	enc.SetEscapeHTML(false)
	if err := enc.Encode(v); err != nil {
		panic(fmt.Sprintf("casegen: encode %T: %v", v, err))
	}
	return bytes.TrimSuffix(b.Bytes(), []byte("\n"))
}

// compact is marshal as a string, for JSON carried inside a string field.
func compact(v any) string { return string(marshal(v)) }

// indented encodes v with two-space indentation and a final newline, the
// layout of a saved Graph response or a portal download.
func indented(v any) []byte {
	var b bytes.Buffer
	enc := json.NewEncoder(&b)
	enc.SetEscapeHTML(false)
	enc.SetIndent("", "  ")
	if err := enc.Encode(v); err != nil {
		panic(fmt.Sprintf("casegen: encode %T: %v", v, err))
	}
	return b.Bytes()
}

// graphPage is a saved Graph list response: @odata.context and value.
func graphPage(context string, items any) []byte {
	return indented(obj{{"@odata.context", context}, {"value", items}})
}

// ndjson writes one compact record per line.
func ndjson[T any](records []T) []byte {
	var b bytes.Buffer
	for _, r := range records {
		b.Write(marshal(r))
		b.WriteByte('\n')
	}
	return b.Bytes()
}

// eventHubMessage is the {"records":[...]} body Azure Monitor sends to an
// Event Hub or writes to a storage blob, one record per line for review.
func eventHubMessage(records []obj) []byte {
	var b bytes.Buffer
	b.WriteString("{\"records\":[\n")
	for i, r := range records {
		b.Write(marshal(r))
		if i < len(records)-1 {
			b.WriteByte(',')
		}
		b.WriteByte('\n')
	}
	b.WriteString("]}\n")
	return b.Bytes()
}

// style selects how a sign-in's times are written.
type style int

const (
	styleGraph      style = iota // createdDateTime 7 digits Z, steps whole seconds Z
	styleEventHub                // 7 digits +00:00 everywhere, step sequence numbers
	stylePowerShell              // whole seconds Z, as the Graph PowerShell SDK writes
)

// render returns a copy of s with its times formatted for st.
func (s signIn) render(st style) signIn {
	out := s
	out.AuthenticationDetails = make([]authDetail, len(s.AuthenticationDetails))
	for i, d := range s.AuthenticationDetails {
		switch st {
		case styleGraph, stylePowerShell:
			d.StepDateTime = stamp(d.at, layoutSeconds)
		case styleEventHub:
			d.StepDateTime = stampOffset(d.at)
			d.StatusSequence = ptr(0)
			d.RequestSequence = ptr(min(i, 1))
		}
		out.AuthenticationDetails[i] = d
	}
	switch st {
	case styleGraph:
		out.CreatedDateTime = stamp(s.at, layoutGraph)
	case styleEventHub:
		out.CreatedDateTime = stampOffset(s.at)
	case stylePowerShell:
		out.CreatedDateTime = stamp(s.at, layoutSeconds)
	}
	return out
}

func renderAll(ss []signIn, st style) []signIn {
	out := make([]signIn, len(ss))
	for i, s := range ss {
		out[i] = s.render(st)
	}
	return out
}

// aadiam is the resourceId Azure Monitor gives every Entra log record.
func aadiam(tenant string) string {
	return "/tenants/" + tenant + "/providers/Microsoft.aadiam"
}

// eventHubSignIn wraps s as a diagnostic-settings record of category
// SignInLogs. The record time trails createdDateTime by lag, the processing
// delay real records show.
func eventHubSignIn(s signIn, tenant string, lag time.Duration) obj {
	r := obj{
		{"time", stamp(s.at.Add(lag), layoutGraph)},
		{"resourceId", aadiam(tenant)},
		{"operationName", "Sign-in activity"},
		{"operationVersion", "1.0"},
		{"category", "SignInLogs"},
		{"tenantId", tenant},
		{"resultType", strconv.Itoa(s.Status.ErrorCode)},
		{"resultSignature", "None"},
	}
	if s.Status.ErrorCode != 0 {
		r = append(r, field{"resultDescription", *s.Status.FailureReason})
	}
	return append(r,
		field{"durationMs", 0},
		field{"callerIpAddress", s.IPAddress},
		field{"correlationId", s.CorrelationID},
		field{"identity", s.UserDisplayName},
		field{"Level", 4},
		field{"location", s.Location.CountryOrRegion},
		field{"properties", s.render(styleEventHub)},
	)
}

// eventHubAudit wraps a as a diagnostic-settings record of category
// AuditLogs; the properties carry the activity time with an offset.
func eventHubAudit(a directoryAudit, tenant string, lag time.Duration) obj {
	caller, identity := "", ""
	if u := a.InitiatedBy.User; u != nil {
		caller, identity = u.IPAddress, u.UserPrincipalName
	} else if app := a.InitiatedBy.App; app != nil {
		identity = app.DisplayName
	}
	props := a
	props.ActivityDateTime = stampOffset(a.at)
	return obj{
		{"time", stamp(a.at.Add(lag), layoutGraph)},
		{"resourceId", aadiam(tenant)},
		{"operationName", a.ActivityDisplayName},
		{"operationVersion", "1.0"},
		{"category", "AuditLogs"},
		{"tenantId", tenant},
		{"resultSignature", "None"},
		{"durationMs", 0},
		{"callerIpAddress", caller},
		{"correlationId", a.CorrelationID},
		{"identity", identity},
		{"Level", 4},
		{"properties", props},
	}
}

// laSignInRow is one Log Analytics sign-in row. Interactive rows (table
// SigninLogs) carry LocationDetails, DeviceDetail, Status, MfaDetail and
// ConditionalAccessPolicies as nested values; non-interactive rows
// (AADNonInteractiveUserSignInLogs) carry every one of them as JSON text.
// AuthenticationDetails and NetworkLocationDetails are text in both tables.
// Times stay time.Time here; laJSON and laCSV format them.
func laSignInRow(s signIn, tenant string, lag time.Duration) obj {
	r := s.render(styleEventHub)
	table, category := "SigninLogs", "SignInLogs"
	if !s.IsInteractive {
		table, category = "AADNonInteractiveUserSignInLogs", "NonInteractiveUserSignInLogs"
	}
	dyn := func(v any) any {
		if s.IsInteractive {
			return v
		}
		return compact(v)
	}
	var description string
	if s.Status.ErrorCode != 0 {
		description = *s.Status.FailureReason
	}
	return obj{
		{"TenantId", tenant},
		{"TimeGenerated", s.at.Add(lag)},
		{"CreatedDateTime", s.at},
		{"Id", s.ID},
		{"OriginalRequestId", s.OriginalRequestID},
		{"CorrelationId", s.CorrelationID},
		{"Category", category},
		{"OperationName", "Sign-in activity"},
		{"ResultType", strconv.Itoa(s.Status.ErrorCode)},
		{"ResultDescription", description},
		{"UserPrincipalName", s.UserPrincipalName},
		{"UserDisplayName", s.UserDisplayName},
		{"UserId", s.UserID},
		{"UserType", s.UserType},
		{"AppDisplayName", s.AppDisplayName},
		{"AppId", s.AppID},
		{"ResourceDisplayName", s.ResourceDisplayName},
		{"ResourceIdentity", s.ResourceID},
		{"IPAddress", s.IPAddress},
		{"AutonomousSystemNumber", s.AutonomousSystemNumber},
		{"Location", s.Location.CountryOrRegion},
		{"LocationDetails", dyn(s.Location)},
		{"ClientAppUsed", s.ClientAppUsed},
		{"UserAgent", s.UserAgent},
		{"DeviceDetail", dyn(s.DeviceDetail)},
		{"IsInteractive", s.IsInteractive},
		{"AuthenticationRequirement", s.AuthenticationRequirement},
		{"AuthenticationDetails", laAuthDetails(r.AuthenticationDetails)},
		{"AuthenticationProtocol", s.AuthenticationProtocol},
		{"MfaDetail", dyn(obj{})},
		{"ConditionalAccessStatus", s.ConditionalAccessStatus},
		{"ConditionalAccessPolicies", dyn(s.AppliedConditionalAccessPolicies)},
		{"NetworkLocationDetails", compact(s.NetworkLocationDetails)},
		{"RiskDetail", s.RiskDetail},
		{"RiskLevelAggregated", s.RiskLevelAggregated},
		{"RiskLevelDuringSignIn", s.RiskLevelDuringSignIn},
		{"RiskState", s.RiskState},
		{"RiskEventTypes_V2", compact(s.RiskEventTypesV2)},
		{"Status", dyn(s.Status)},
		{"HomeTenantId", s.HomeTenantID},
		{"ResourceTenantId", s.ResourceTenantID},
		{"Type", table},
	}
}

// laAuthDetails is the AuthenticationDetails text: pretty-printed JSON, as
// the workspace stores it (a multi-line cell in a CSV export).
func laAuthDetails(steps []authDetail) string {
	return strings.TrimSuffix(string(indented(steps)), "\n")
}

// laJSON writes rows as a JSON array, times with seven fraction digits and Z.
func laJSON(rows []obj) []byte {
	out := make([]obj, len(rows))
	for i, r := range rows {
		out[i] = make(obj, len(r))
		for j, f := range r {
			if t, ok := f.v.(time.Time); ok {
				f.v = stamp(t, layoutGraph)
			}
			out[i][j] = f
		}
	}
	return indented(out)
}

// laCSV writes rows as the workspace's CSV export: a header with [UTC] on
// the time columns, times with seven fraction digits and no zone, booleans
// as TRUE/FALSE, nested values as JSON text, quoting only where needed.
func laCSV(rows []obj) []byte {
	var b bytes.Buffer
	w := csv.NewWriter(&b)
	header := make([]string, len(rows[0]))
	for i, f := range rows[0] {
		header[i] = f.k
		if _, ok := f.v.(time.Time); ok {
			header[i] += " [UTC]"
		}
	}
	must(w.Write(header))
	for _, r := range rows {
		cells := make([]string, len(r))
		for i, f := range r {
			switch v := f.v.(type) {
			case string:
				cells[i] = v
			case time.Time:
				cells[i] = stamp(v, layoutLACSV)
			case bool:
				cells[i] = strings.ToUpper(strconv.FormatBool(v))
			case int:
				cells[i] = strconv.Itoa(v)
			default:
				cells[i] = compact(v)
			}
		}
		must(w.Write(cells))
	}
	w.Flush()
	must(w.Error())
	return b.Bytes()
}

func must(err error) {
	if err != nil {
		panic(err)
	}
}

// psJSON renders v as Windows PowerShell 5.1 "ConvertTo-Json -Depth 10 |
// Out-File" writes it: two spaces after each colon, nested values indented
// to the column where they open, empty arrays split over a blank line, the
// characters < > & ' escaped, CRLF line ends and a final line break.
func psJSON(v any) []byte {
	dec := json.NewDecoder(bytes.NewReader(marshal(v)))
	dec.UseNumber()
	root := readNode(dec)
	var b strings.Builder
	root.writePS(&b, 0)
	b.WriteString("\n")
	return []byte(strings.ReplaceAll(b.String(), "\n", "\r\n"))
}

// node is a decoded JSON value that keeps object members in order.
type node struct {
	kind byte // '{', '[' or 0 for a scalar
	keys []string
	kids []node
	lit  string // the scalar's JSON text
}

func readNode(dec *json.Decoder) node {
	tok, err := dec.Token()
	must(err)
	switch t := tok.(type) {
	case json.Delim:
		n := node{kind: byte(t)}
		for dec.More() {
			if n.kind == '{' {
				k, err := dec.Token()
				must(err)
				n.keys = append(n.keys, k.(string))
			}
			n.kids = append(n.kids, readNode(dec))
		}
		_, err := dec.Token() // the closing delimiter
		must(err)
		return n
	case string:
		s := string(marshalHTML(t))
		return node{lit: strings.ReplaceAll(s, "'", `\u0027`)}
	case json.Number:
		return node{lit: t.String()}
	case bool:
		return node{lit: strconv.FormatBool(t)}
	default:
		return node{lit: "null"}
	}
}

// marshalHTML encodes a string with HTML escaping on, as the .NET
// serializer behind ConvertTo-Json does.
func marshalHTML(s string) []byte {
	b, err := json.Marshal(s)
	must(err)
	return b
}

func (n node) writePS(b *strings.Builder, col int) {
	if n.kind == 0 {
		b.WriteString(n.lit)
		return
	}
	open, closing := "{", "}"
	if n.kind == '[' {
		open, closing = "[", "]"
	}
	b.WriteString(open)
	if len(n.kids) == 0 {
		b.WriteString("\n\n" + strings.Repeat(" ", col) + closing)
		return
	}
	inner := col + 4
	for i, kid := range n.kids {
		b.WriteString("\n" + strings.Repeat(" ", inner))
		kidCol := inner
		if n.kind == '{' {
			key := `"` + n.keys[i] + `":  `
			b.WriteString(key)
			kidCol += len(key)
		}
		kid.writePS(b, kidCol)
		if i < len(n.kids)-1 {
			b.WriteByte(',')
		}
	}
	b.WriteString("\n" + strings.Repeat(" ", col) + closing)
}

// utf8BOM prefixes data with the UTF-8 byte-order mark PowerShell writes.
func utf8BOM(data []byte) []byte {
	return append([]byte{0xEF, 0xBB, 0xBF}, data...)
}

// utf16LE re-encodes UTF-8 text as UTF-16LE with its byte-order mark, what
// Windows PowerShell 5.1 "Out-File" and ">" write by default.
func utf16LE(data []byte) []byte {
	units := utf16.Encode([]rune(string(data)))
	out := make([]byte, 2+2*len(units))
	out[0], out[1] = 0xFF, 0xFE
	for i, u := range units {
		binary.LittleEndian.PutUint16(out[2+2*i:], u)
	}
	return out
}
