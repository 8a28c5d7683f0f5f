package detect

import (
	"errors"
	"fmt"
	"reflect"
	"slices"
	"strings"

	"github.com/goccy/go-yaml"
	"github.com/goccy/go-yaml/ast"
)

// The YAML decoder words its errors in Go's terms ("unknown field", "Go
// struct field Params.ImpossibleTravel of type float64") and appends the
// source as several lines, which a terminal error line folds into one. A
// rules file's author thinks in rules and parameters: explainYAML rewords
// the error with the line and column, the rule and the parameter, and the
// nearest known name when a name is misspelt.

// explainYAML rewords a decoder error about src; other errors pass as they
// are.
func explainYAML(src []byte, err error) error {
	var de *durationError
	if errors.As(err, &de) {
		return de.locate(src)
	}
	var ye yaml.Error
	if !errors.As(err, &ye) {
		return err
	}
	tok := ye.GetToken()
	if tok == nil || tok.Position == nil {
		return errors.New(ye.GetMessage())
	}
	line, col := tok.Position.Line, tok.Position.Column
	at := fmt.Sprintf("line %d, column %d", line, col)
	path := keyPath(src, line)

	var unknown *yaml.UnknownFieldError
	var typed *yaml.TypeError
	var node *yaml.UnexpectedNodeTypeError
	switch {
	case errors.As(err, &node) && len(path) >= 1:
		return fmt.Errorf("%s: %s: want %s, not %s", at, strings.Join(path, "."),
			nodeName(node.Expected), nodeName(node.Actual))
	case errors.As(err, &unknown) && len(path) == 1:
		return fmt.Errorf("%s: unknown rule or section %q%s (idtriage rules list names "+
			"the rules)", at, path[0], suggest(path[0], sectionNames()))
	case errors.As(err, &unknown) && len(path) >= 2:
		known := paramNames(path[0])
		return fmt.Errorf("%s: %s has no parameter %q%s (its parameters: %s)", at, path[0],
			path[len(path)-1], suggest(path[len(path)-1], known), strings.Join(known, ", "))
	case errors.As(err, &typed) && len(path) >= 1:
		return fmt.Errorf("%s: %s: want %s, not %s %q", at, strings.Join(path, "."),
			kindName(typed.DstType), typed.SrcType, tok.Value)
	}
	return fmt.Errorf("%s: %s", at, ye.GetMessage())
}

// keyPath returns the keys that lead to the key on line (1-based) of a
// block-style YAML document: that line's own key, then each less indented
// key above it, outermost first. A line without a key gives its parents.
func keyPath(src []byte, line int) []string {
	lines := strings.Split(string(src), "\n")
	if line < 1 || line > len(lines) {
		return nil
	}
	var path []string
	indent := -1
	for i := line - 1; i >= 0; i-- {
		text := strings.TrimRight(lines[i], " \t\r")
		body := strings.TrimLeft(text, " ")
		n := len(text) - len(body)
		if body == "" || strings.HasPrefix(body, "#") || (indent >= 0 && n >= indent) {
			continue
		}
		key, _, ok := strings.Cut(strings.TrimPrefix(body, "- "), ":")
		if !ok {
			if i == line-1 {
				continue
			}
			break
		}
		path = append(path, strings.Trim(strings.TrimSpace(key), `"'`))
		indent = n
		if n == 0 {
			break
		}
	}
	slices.Reverse(path)
	return path
}

// sectionNames are the top-level keys of a rules file.
func sectionNames() []string { return yamlNames(reflect.TypeFor[Params]()) }

// paramNames are the keys of one section, or nil for an unknown one.
func paramNames(section string) []string {
	t := reflect.TypeFor[Params]()
	for i := range t.NumField() {
		if name, _, _ := strings.Cut(t.Field(i).Tag.Get("yaml"), ","); name == section {
			return yamlNames(t.Field(i).Type)
		}
	}
	return nil
}

// yamlNames lists the YAML keys of a struct type, inline fields included.
func yamlNames(t reflect.Type) []string {
	var out []string
	for i := range t.NumField() {
		f := t.Field(i)
		name, opts, _ := strings.Cut(f.Tag.Get("yaml"), ",")
		switch {
		case strings.Contains(opts, "inline"):
			out = append(out, yamlNames(f.Type)...)
		case name != "" && name != "-":
			out = append(out, name)
		}
	}
	return out
}

// suggest returns "; did you mean X?" for the known name closest to name,
// when one is close enough to be a slip of the keyboard.
func suggest(name string, known []string) string {
	best, dist := "", len(name)/3+1
	for _, k := range known {
		if d := editDistance(strings.ToLower(name), strings.ToLower(k)); d <= dist {
			best, dist = k, d
		}
	}
	if best == "" {
		return ""
	}
	return "; did you mean " + best + "?"
}

// editDistance is the Levenshtein distance between a and b, in bytes.
func editDistance(a, b string) int {
	prev := make([]int, len(b)+1)
	cur := make([]int, len(b)+1)
	for j := range prev {
		prev[j] = j
	}
	for i := 1; i <= len(a); i++ {
		cur[0] = i
		for j := 1; j <= len(b); j++ {
			cost := 1
			if a[i-1] == b[j-1] {
				cost = 0
			}
			cur[j] = min(prev[j]+1, cur[j-1]+1, prev[j-1]+cost)
		}
		prev, cur = cur, prev
	}
	return prev[len(b)]
}

// kindName says in plain words what a Go type holds.
func kindName(t reflect.Type) string {
	if t == nil {
		return "another value"
	}
	if t == reflect.TypeFor[Duration]() {
		return "a duration such as 90m, 24h or 14d"
	}
	switch t.Kind() {
	case reflect.Bool:
		return "true or false"
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64,
		reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64:
		return "a whole number"
	case reflect.Float32, reflect.Float64:
		return "a number"
	case reflect.String:
		return "a text value"
	case reflect.Slice, reflect.Array:
		return "a list of " + strings.TrimPrefix(kindName(t.Elem()), "a ")
	case reflect.Map, reflect.Struct:
		return "a section of keys"
	}
	return t.String()
}

// nodeName says in plain words what a YAML node holds.
func nodeName(t ast.NodeType) string {
	switch t {
	case ast.SequenceType:
		return "a list such as [a, b]"
	case ast.MappingType, ast.MappingValueType:
		return "a section of keys"
	case ast.NullType:
		return "nothing"
	}
	return "a single value"
}

// durationError is a span the rules file writes in no notation Duration
// reads. The decoder passes it on without a position; locate finds it.
type durationError struct{ text string }

func (e *durationError) Error() string {
	return fmt.Sprintf("duration %q: want a number and a unit, such as 90m, 24h or 14d", e.text)
}

// locate names the first line of src whose value is the bad span, with
// the keys that lead to it.
func (e *durationError) locate(src []byte) error {
	for i, l := range strings.Split(string(src), "\n") {
		_, v, ok := strings.Cut(l, ":")
		v, _, _ = strings.Cut(v, " #")
		if ok && strings.Trim(strings.TrimSpace(v), `"'`) == e.text {
			return fmt.Errorf("line %d: %s: %w", i+1, strings.Join(keyPath(src, i+1), "."), e)
		}
	}
	return e
}
