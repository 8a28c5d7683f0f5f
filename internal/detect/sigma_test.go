package detect

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"

	"github.com/goccy/go-yaml"
	"github.com/santhosh-tekuri/jsonschema/v6"
)

// sigmaSchemas compiles the two schemas of the Sigma specification stored
// under testdata/sigma-schema (see its README for source and licence).
func sigmaSchemas(t *testing.T) (rule, correlation *jsonschema.Schema) {
	t.Helper()
	c := jsonschema.NewCompiler()
	c.AssertFormat()
	compile := func(name string) *jsonschema.Schema {
		path := filepath.Join("testdata", "sigma-schema", name)
		f, err := os.Open(path)
		if err != nil {
			t.Fatal(err)
		}
		defer f.Close()
		doc, err := jsonschema.UnmarshalJSON(f)
		if err != nil {
			t.Fatalf("%s: %v", path, err)
		}
		url := "https://sigma.invalid/" + name
		if err := c.AddResource(url, doc); err != nil {
			t.Fatalf("%s: %v", path, err)
		}
		s, err := c.Compile(url)
		if err != nil {
			t.Fatalf("%s: %v", path, err)
		}
		return s
	}
	return compile("sigma-detection-rule-schema.json"),
		compile("sigma-correlation-rules-schema.json")
}

// sigmaDocs exports p as Sigma and returns each YAML document as a JSON
// value, as a JSON-schema validator sees it.
func sigmaDocs(t *testing.T, p Params) []map[string]any {
	t.Helper()
	var b bytes.Buffer
	if err := ExportSigma(&b, p); err != nil {
		t.Fatal(err)
	}
	dec := yaml.NewDecoder(&b)
	var docs []map[string]any
	for {
		var v any
		err := dec.Decode(&v)
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			t.Fatalf("export is not YAML: %v", err)
		}
		raw, err := json.Marshal(v)
		if err != nil {
			t.Fatalf("document is not JSON-compatible: %v", err)
		}
		var m map[string]any
		if err := json.Unmarshal(raw, &m); err != nil {
			t.Fatalf("document is not a map: %v", err)
		}
		docs = append(docs, m)
	}
	return docs
}

func exportParams() Params {
	p := DefaultParams()
	p.BreakGlass.Accounts = []string{"breakglass@example.com", exportGlassID}
	return p
}

// TestSigmaSchema validates every exported document against the schema of
// its kind published with the Sigma specification.
func TestSigmaSchema(t *testing.T) {
	ruleSchema, corrSchema := sigmaSchemas(t)
	docs := sigmaDocs(t, exportParams())
	if len(docs) < len(Rules(DefaultParams())) {
		t.Fatalf("%d documents for %d rules", len(docs), len(Rules(DefaultParams())))
	}
	for _, d := range docs {
		title, _ := d["title"].(string)
		corr, isCorr := d["correlation"].(map[string]any)
		if !isCorr {
			if err := ruleSchema.Validate(d); err != nil {
				t.Errorf("%s: %v", title, err)
			}
			continue
		}
		v := d
		if corr["type"] == "value_count" {
			v = mirrorField(t, d)
		}
		if err := corrSchema.Validate(v); err != nil {
			t.Errorf("%s: %v", title, err)
		}
	}
}

// mirrorField works around the one defect of the published correlation
// schema (see testdata/sigma-schema/README.md): it copies condition.field
// to correlation.field, after checking that the specification's place for
// it is filled and the schema's is not.
func mirrorField(t *testing.T, d map[string]any) map[string]any {
	t.Helper()
	raw, _ := json.Marshal(d)
	var c map[string]any
	_ = json.Unmarshal(raw, &c)
	corr := c["correlation"].(map[string]any)
	cond, _ := corr["condition"].(map[string]any)
	if cond["field"] == nil || corr["field"] != nil {
		t.Errorf("%v: value_count wants field under condition only", d["title"])
	}
	corr["field"] = cond["field"]
	return c
}

var (
	timespanRE = regexp.MustCompile(`^[1-9][0-9]*[smhd]$`)
	attackTag  = regexp.MustCompile(`^attack\.(t\d{4}(\.\d{3})?|[a-z-]+)$`)
	identRE    = regexp.MustCompile(`[A-Za-z_][A-Za-z0-9_]*`)
)

// TestSigmaStructure checks what the schemas cannot: the rules that the
// specification's text states about references, names, conditions and
// where metadata may appear.
func TestSigmaStructure(t *testing.T) {
	docs := sigmaDocs(t, exportParams())
	names, ids := map[string]bool{}, map[string]bool{}
	referenced := map[string]bool{}
	for _, d := range docs {
		if c, ok := d["correlation"].(map[string]any); ok {
			for _, r := range c["rules"].([]any) {
				referenced[r.(string)] = true
			}
		}
	}
	for i, d := range docs {
		title, _ := d["title"].(string)
		where := fmt.Sprintf("document %d (%s)", i+1, title)
		id, _ := d["id"].(string)
		if id == "" || ids[id] {
			t.Errorf("%s: id %q missing or repeated", where, id)
		}
		ids[id] = true
		name, _ := d["name"].(string)
		if name != "" {
			if names[name] {
				t.Errorf("%s: name %q repeated", where, name)
			}
			names[name] = true
		}
		inner := name != "" && referenced[name]
		checkMetaPlacement(t, where, d, inner)
		if c, ok := d["correlation"].(map[string]any); ok {
			checkCorrelation(t, where, c, names)
		} else {
			checkDetection(t, where, d)
		}
	}
}

// checkMetaPlacement: only the outermost rule of a correlation may carry
// status, level and date; a stand-alone or outermost rule carries them and
// ATT&CK tags.
func checkMetaPlacement(t *testing.T, where string, d map[string]any, inner bool) {
	t.Helper()
	for _, k := range []string{"status", "level", "date"} {
		if _, has := d[k]; has == inner {
			t.Errorf("%s: %s present=%v, want %v (inner rule: %v)", where, k, has, !inner,
				inner)
		}
	}
	if inner {
		return
	}
	tags, _ := d["tags"].([]any)
	if len(tags) == 0 {
		t.Errorf("%s: no ATT&CK tags", where)
	}
	for _, tg := range tags {
		if !attackTag.MatchString(tg.(string)) {
			t.Errorf("%s: tag %q is not an ATT&CK tag", where, tg)
		}
	}
}

func checkCorrelation(t *testing.T, where string, c map[string]any, names map[string]bool) {
	t.Helper()
	typ, _ := c["type"].(string)
	if !slices.Contains([]string{"event_count", "value_count", "temporal",
		"temporal_ordered"}, typ) {
		t.Errorf("%s: type %q", where, typ)
	}
	rules, _ := c["rules"].([]any)
	if len(rules) == 0 || (strings.HasPrefix(typ, "temporal") && len(rules) < 2) {
		t.Errorf("%s: %d rules for %s", where, len(rules), typ)
	}
	for _, r := range rules {
		if !names[r.(string)] {
			t.Errorf("%s: refers to %q, not defined before it in the file", where, r)
		}
	}
	if g, _ := c["group-by"].([]any); len(g) == 0 {
		t.Errorf("%s: group-by is mandatory", where)
	}
	if s, _ := c["timespan"].(string); !timespanRE.MatchString(s) {
		t.Errorf("%s: timespan %q is not a number and one of s, m, h, d", where, s)
	}
	cond, _ := c["condition"].(map[string]any)
	ops := 0
	for k := range cond {
		switch k {
		case "gt", "gte", "lt", "lte", "eq":
			ops++
		case "field":
		default:
			t.Errorf("%s: condition key %q", where, k)
		}
	}
	if ops < 1 || ops > 2 {
		t.Errorf("%s: condition has %d criteria, want one (or two for a range)", where, ops)
	}
	if _, has := cond["field"]; has != (typ == "value_count") {
		t.Errorf("%s: condition.field present=%v for %s", where, has, typ)
	}
	aliases, _ := c["aliases"].(map[string]any)
	for alias, m := range aliases {
		for _, r := range rules {
			if _, ok := m.(map[string]any)[r.(string)]; !ok {
				t.Errorf("%s: alias %q does not map rule %q", where, alias, r)
			}
		}
	}
}

// checkDetection: the condition names only search identifiers the
// detection defines.
func checkDetection(t *testing.T, where string, d map[string]any) {
	t.Helper()
	det, _ := d["detection"].(map[string]any)
	cond, _ := det["condition"].(string)
	if cond == "" {
		t.Errorf("%s: no condition", where)
	}
	for _, tok := range identRE.FindAllString(cond, -1) {
		switch tok {
		case "and", "or", "not", "of", "them", "all":
			continue
		}
		if _, ok := det[tok]; !ok {
			t.Errorf("%s: condition names %q, which the detection does not define",
				where, tok)
		}
	}
	ls, _ := d["logsource"].(map[string]any)
	if ls["product"] != "azure" {
		t.Errorf("%s: logsource %v", where, ls)
	}
}

// TestSigmaSchemaRejects makes sure the schemas are live: a broken copy of
// each kind of document fails.
func TestSigmaSchemaRejects(t *testing.T) {
	ruleSchema, corrSchema := sigmaSchemas(t)
	docs := sigmaDocs(t, exportParams())
	breakers := map[string]func(map[string]any){
		"level":     func(d map[string]any) { d["level"] = "urgent" },
		"id":        func(d map[string]any) { d["id"] = "not-a-uuid" },
		"tag":       func(d map[string]any) { d["tags"] = []any{"ATT&CK T1078"} },
		"no title":  func(d map[string]any) { delete(d, "title") },
		"date":      func(d map[string]any) { d["date"] = "2026/12/04" },
		"corr type": func(d map[string]any) { d["correlation"].(map[string]any)["type"] = "sum" },
	}
	for name, br := range breakers {
		for _, d := range docs {
			_, isCorr := d["correlation"]
			if name == "corr type" && !isCorr {
				continue
			}
			raw, _ := json.Marshal(d)
			var c map[string]any
			_ = json.Unmarshal(raw, &c)
			br(c)
			s := ruleSchema
			if isCorr {
				s, c = corrSchema, mirrorField(t, c)
			}
			if s.Validate(c) == nil {
				t.Errorf("%s: a document with a broken %s passed the schema", c["title"], name)
			}
			break
		}
	}
}
