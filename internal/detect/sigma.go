package detect

import (
	"crypto/sha1"
	"fmt"

	"github.com/goccy/go-yaml"
)

// sigmaDoc is one YAML document of a Sigma export: a detection rule or a
// correlation rule. Field order follows the Sigma specification's examples.
type sigmaDoc struct {
	Title          string            `yaml:"title"`
	ID             string            `yaml:"id"`
	Name           string            `yaml:"name,omitempty"`
	Status         string            `yaml:"status,omitempty"`
	Description    string            `yaml:"description,omitempty"`
	References     []string          `yaml:"references,omitempty"`
	Author         string            `yaml:"author,omitempty"`
	Date           string            `yaml:"date,omitempty"`
	Tags           []string          `yaml:"tags,omitempty"`
	Logsource      *sigmaLogsource   `yaml:"logsource,omitempty"`
	Detection      yaml.MapSlice     `yaml:"detection,omitempty"`
	Correlation    *sigmaCorrelation `yaml:"correlation,omitempty"`
	Fields         []string          `yaml:"fields,omitempty"`
	Falsepositives []string          `yaml:"falsepositives,omitempty"`
	Level          string            `yaml:"level,omitempty"`
}

type sigmaLogsource struct {
	Product string `yaml:"product"`
	Service string `yaml:"service"`
}

// sigmaCorrelation is the correlation section (Sigma correlation rules
// specification v2): Condition holds gte and, for value_count, field.
type sigmaCorrelation struct {
	Type      string        `yaml:"type"`
	Rules     []string      `yaml:"rules"`
	Aliases   yaml.MapSlice `yaml:"aliases,omitempty"`
	GroupBy   []string      `yaml:"group-by"`
	Timespan  string        `yaml:"timespan"`
	Condition yaml.MapSlice `yaml:"condition"`
}

// Log sources of the Entra ID logs, as SigmaHQ's Azure rules name them.
var (
	signInLogs = &sigmaLogsource{Product: "azure", Service: "signinlogs"}
	auditLogs  = &sigmaLogsource{Product: "azure", Service: "auditlogs"}
)

// base returns a detection rule that a correlation refers to by name. The
// specification lets only the outermost rule carry status, level and date.
func base(name, title string, src *sigmaLogsource, sel yaml.MapSlice,
	extra ...yaml.MapItem) sigmaDoc {
	det := yaml.MapSlice{{Key: "selection", Value: sel}}
	det = append(det, extra...)
	cond := "selection"
	for _, e := range extra {
		cond += " and not " + fmt.Sprint(e.Key)
	}
	det = append(det, yaml.MapItem{Key: "condition", Value: cond})
	return sigmaDoc{Title: title, Name: name, Logsource: src, Detection: det}
}

// correlate returns a correlation rule over the named rules.
func correlate(name, title, typ string, rules, groupBy []string, span string,
	cond yaml.MapSlice) sigmaDoc {
	return sigmaDoc{Title: title, Name: name, Correlation: &sigmaCorrelation{
		Type: typ, Rules: rules, GroupBy: groupBy, Timespan: span, Condition: cond}}
}

// gte is a condition "count at least n"; with a field, "distinct values
// of field at least n".
func gte(n int, field ...string) yaml.MapSlice {
	var c yaml.MapSlice
	if len(field) > 0 {
		c = append(c, yaml.MapItem{Key: "field", Value: field[0]})
	}
	return append(c, yaml.MapItem{Key: "gte", Value: n})
}

// sel builds a selection map from key, value pairs.
func sel(kv ...any) yaml.MapSlice {
	var m yaml.MapSlice
	for i := 0; i+1 < len(kv); i += 2 {
		m = append(m, yaml.MapItem{Key: kv[i], Value: kv[i+1]})
	}
	return m
}

// filter is an extra selection that the condition excludes.
func filter(name string, m yaml.MapSlice) yaml.MapItem {
	return yaml.MapItem{Key: name, Value: m}
}

// sigmaID derives a stable UUID (version 5 layout, SHA-1 of a name in our
// own namespace) for a rule document, so exports do not change between
// runs.
func sigmaID(parts ...string) string {
	h := sha1.New()
	h.Write([]byte("idtriage.detect"))
	for _, p := range parts {
		h.Write([]byte{0})
		h.Write([]byte(p))
	}
	b := h.Sum(nil)[:16]
	b[6] = b[6]&0x0f | 0x50
	b[8] = b[8]&0x3f | 0x80
	return fmt.Sprintf("%x-%x-%x-%x-%x", b[0:4], b[4:6], b[6:8], b[8:10], b[10:16])
}

// codes renders error codes as the strings SigninLogs.ResultType holds.
func codeStrings(cs []int) []string {
	out := make([]string, len(cs))
	for i, c := range cs {
		out[i] = fmt.Sprint(c)
	}
	return out
}

// yamlSlice builds an ordered map from key, value pairs.
func yamlSlice(kv ...any) yaml.MapSlice { return sel(kv...) }
