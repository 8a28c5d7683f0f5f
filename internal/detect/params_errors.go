package detect

import (
	"bytes"
	"errors"
	"fmt"
	"reflect"
	"strconv"
	"strings"

	"github.com/goccy/go-yaml"
	"github.com/goccy/go-yaml/ast"
	"github.com/goccy/go-yaml/parser"

	"github.com/idtriage/idtriage/internal/spell"
)

// The YAML decoder words its errors in Go's terms ("unknown field", "Go
// struct field Params.ImpossibleTravel of type float64") and appends the
// source as several lines, which a terminal error line folds into one. A
// rules file's author thinks in rules and parameters: explainYAML rewords
// the error with the line and column, the rule and the parameter (found in
// the file's syntax tree, block or flow style alike), and the nearest
// known name when a name is misspelt.

// bom is the UTF-8 byte-order mark some Windows editors write first.
var bom = []byte("\xef\xbb\xbf")

// rulesSource prepares a rules file for the decoder: without a byte-order
// mark, and with every duration checked where it is written, as the
// decoder passes a duration's error on without its position.
func rulesSource(src []byte) ([]byte, error) {
	src = bytes.TrimPrefix(src, bom)
	f, err := parser.ParseBytes(src, 0)
	if err != nil {
		if tab := tabIndent(src); tab != nil {
			return src, tab
		}
		return src, nil // the decoder reports it, with its position
	}
	if len(f.Docs) > 1 {
		// The decoder would read the first document and drop the rest.
		return src, fmt.Errorf("%s: a rules file holds one YAML document; this one holds %d "+
			"(--- starts a new one)", position(f.Docs[1]), len(f.Docs))
	}
	var bad error
	walk(f, func(n ast.Node, path []string) {
		mv, ok := n.(*ast.MappingValueNode)
		if bad != nil || !ok {
			return
		}
		// Unknown names, in the order of the file: the decoder names one
		// of several at random.
		switch {
		case len(path) > 0 && path[len(path)-1] == "<<":
			return // a merge key: the decoder applies it
		case len(path) == 1 && sectionType(path[0]) == nil:
			bad = unknownSection(position(mv.Key), path[0])
			return
		case len(path) == 2 && sectionType(path[0]) != nil &&
			sectionType(path[0]).Kind() == reflect.Struct && paramType(path[0], path[1]) == nil:
			bad = unknownParam(position(mv.Key), path[0], path[1])
			return
		case len(path) == 2 && nothing(mv.Value) && scalarKind(paramType(path[0], path[1])):
			// The decoder would keep the default without a word.
			bad = fmt.Errorf("%s: %s: want %s, not nothing", position(mv.Key),
				strings.Join(path, "."), kindName(paramType(path[0], path[1])))
			return
		case len(path) == 2 && wholeKind(paramType(path[0], path[1])) && fraction(mv.Value):
			// The decoder would cut 2.5 to 2 without a word.
			bad = fmt.Errorf("%s: %s: want a whole number, not %s", position(mv.Value),
				strings.Join(path, "."), mv.Value.String())
			return
		case len(path) != 2 || paramType(path[0], path[1]) != reflect.TypeFor[Duration]():
			return
		}
		v := mv.Value
		at := position(v)
		scalar, ok := v.(ast.ScalarNode)
		if _, null := v.(*ast.NullNode); null {
			ok = false
		}
		if !ok {
			bad = fmt.Errorf("%s: %s: want %s, not %s", at, strings.Join(path, "."),
				kindName(reflect.TypeFor[Duration]()), nodeName(v.Type()))
			return
		}
		var d Duration
		if err := d.UnmarshalText([]byte(fmt.Sprint(scalar.GetValue()))); err != nil {
			bad = fmt.Errorf("%s: %s: %w", at, strings.Join(path, "."), err)
		}
	})
	return src, bad
}

// walk calls fn with every node of f and the keys that lead to it.
func walk(f *ast.File, fn func(n ast.Node, path []string)) {
	for _, d := range f.Docs {
		ast.Walk(visitor(fn), d)
	}
}

type visitor func(n ast.Node, path []string)

func (v visitor) Visit(n ast.Node) ast.Visitor {
	if n == nil || reflect.ValueOf(n).IsNil() {
		return nil // an empty document or value
	}
	v(n, splitPath(n.GetPath()))
	return v
}

// splitPath turns a node's path ($.ENTRA-CA-BLOCK-BURST.codes[1]) into
// its keys, the list index kept on its key; a key the path quotes (one
// holding a dot: $.'a.b') is one key.
func splitPath(p string) []string {
	p = strings.TrimPrefix(p, "$")
	var out []string
	for p != "" {
		p = strings.TrimPrefix(p, ".")
		if rest, ok := strings.CutPrefix(p, "'"); ok {
			key, after, _ := strings.Cut(rest, "'")
			out, p = append(out, key), after
			if len(out) > 0 && strings.HasPrefix(p, "[") {
				i := strings.IndexByte(p, ']')
				out[len(out)-1] += p[:i+1]
				p = p[i+1:]
			}
			continue
		}
		i := strings.IndexAny(p, ".'")
		if i < 0 {
			i = len(p)
		}
		out, p = append(out, p[:i]), p[i:]
	}
	return out
}

// position is "line L, column C" of a node.
func position(n ast.Node) string {
	t := n.GetToken()
	if t == nil || t.Position == nil {
		return "at an unknown place"
	}
	return fmt.Sprintf("line %d, column %d", t.Position.Line, t.Position.Column)
}

// pathAt returns the keys that lead to the node written at line and
// column of src, or nil.
func pathAt(src []byte, line, col int) []string {
	f, err := parser.ParseBytes(src, 0)
	if err != nil {
		return nil
	}
	var out []string
	found := false
	walk(f, func(n ast.Node, path []string) {
		t := n.GetToken()
		if found || t == nil || t.Position == nil || t.Position.Line != line ||
			t.Position.Column != col {
			return
		}
		out, found = path, true
	})
	return out
}

// explainYAML rewords a decoder error about src; other errors pass as they
// are.
func explainYAML(src []byte, err error) error {
	var ye yaml.Error
	if !errors.As(err, &ye) {
		return err
	}
	tok := ye.GetToken()
	if tok == nil || tok.Position == nil {
		return errors.New(ye.GetMessage())
	}
	at := fmt.Sprintf("line %d, column %d", tok.Position.Line, tok.Position.Column)
	path := pathAt(src, tok.Position.Line, tok.Position.Column)
	where := strings.Join(path, ".")

	var unknown *yaml.UnknownFieldError
	var typed *yaml.TypeError
	var node *yaml.UnexpectedNodeTypeError
	var over *yaml.OverflowError
	switch {
	case errors.As(err, &unknown) && len(path) == 1:
		return unknownSection(at, path[0])
	case errors.As(err, &unknown) && len(path) == 2 && paramType(path[0], path[1]) != nil:
		// The key is right where it is written: an anchor carried it into
		// a section that lacks it (<<: *anchor, or a whole section aliased).
		return fmt.Errorf("%s: %s is a parameter of %s, but an alias or merge key (<<) "+
			"carries it into a rule that has no parameter %q", at, path[1], path[0], path[1])
	case errors.As(err, &unknown) && len(path) == 2:
		return unknownParam(at, path[0], path[1])
	case errors.As(err, &unknown) && len(path) > 2:
		return fmt.Errorf("%s: %s: want %s, not a section of keys", at,
			strings.Join(path[:2], "."), kindName(paramType(path[0], path[1])))
	case errors.As(err, &node) && len(path) >= 1:
		return fmt.Errorf("%s: %s: want %s, not %s", at, where, nodeName(node.Expected),
			nodeName(node.Actual))
	case errors.As(err, &typed) && len(path) >= 1:
		return fmt.Errorf("%s: %s: want %s, not %s", at, where, kindName(typed.DstType),
			valueName(typed.SrcType, tok.Value))
	case errors.As(err, &over) && len(path) >= 1:
		return fmt.Errorf("%s: %s: %s is too large for %s", at, where, over.SrcNum,
			kindName(over.DstType))
	}
	return fmt.Errorf("%s: %s", at, ye.GetMessage())
}

// unknownSection is the error of a top-level key no rule or section has.
func unknownSection(at, name string) error {
	return fmt.Errorf("%s: unknown rule or section %q%s (idtriage rules list names the "+
		"rules)", at, name, suggest(name, sectionNames()))
}

// unknownParam is the error of a key a section does not have.
func unknownParam(at, section, name string) error {
	known := paramNames(section)
	return fmt.Errorf("%s: %s has no parameter %q%s (its parameters: %s)", at, section, name,
		suggest(name, known), strings.Join(known, ", "))
}

// sectionNames are the top-level keys of a rules file.
func sectionNames() []string { return yamlNames(reflect.TypeFor[Params]()) }

// sectionType is the Go type of a top-level key, or nil.
func sectionType(section string) reflect.Type {
	t := reflect.TypeFor[Params]()
	for i := range t.NumField() {
		if name, _, _ := strings.Cut(t.Field(i).Tag.Get("yaml"), ","); name == section {
			return t.Field(i).Type
		}
	}
	return nil
}

// paramNames are the keys of one section, or nil for an unknown one.
func paramNames(section string) []string {
	if t := sectionType(section); t != nil {
		return yamlNames(t)
	}
	return nil
}

// paramType is the Go type of a section's parameter, or nil.
func paramType(section, param string) reflect.Type {
	t := sectionType(section)
	if t == nil {
		return nil
	}
	param, _, _ = strings.Cut(param, "[")
	return fieldType(t, param)
}

func fieldType(t reflect.Type, key string) reflect.Type {
	for i := range t.NumField() {
		f := t.Field(i)
		name, opts, _ := strings.Cut(f.Tag.Get("yaml"), ",")
		if strings.Contains(opts, "inline") {
			if ft := fieldType(f.Type, key); ft != nil {
				return ft
			}
		} else if name == key {
			return f.Type
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
		if d := spell.Distance(strings.ToLower(name), strings.ToLower(k)); d <= dist && k != name {
			best, dist = k, d
		}
	}
	if best == "" {
		return ""
	}
	return "; did you mean " + best + "?"
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
	return "another value"
}

// valueName says in plain words what the file wrote: the value itself when
// it is a single one, else its kind.
func valueName(t reflect.Type, value string) string {
	if t != nil {
		switch t.Kind() {
		case reflect.Map, reflect.Struct:
			return "a section of keys"
		case reflect.Slice, reflect.Array:
			return "a list"
		}
	}
	return fmt.Sprintf("%q", value)
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

// durationError is a span written in no notation Duration reads.
type durationError struct{ text string }

func (e *durationError) Error() string {
	return fmt.Sprintf("duration %q: want a number and a unit, such as 90m, 24h or 14d", e.text)
}

// nothing reports whether a value is written as nothing (a key with no
// value, null or ~).
func nothing(v ast.Node) bool {
	_, null := v.(*ast.NullNode)
	return v == nil || null
}

// scalarKind reports whether a parameter takes one value (a flag, a number,
// a text or a duration), which a missing value cannot mean; a list written
// as nothing is an empty list (clearNullLists).
func scalarKind(t reflect.Type) bool {
	if t == nil {
		return false
	}
	switch t.Kind() {
	case reflect.Slice, reflect.Array, reflect.Map, reflect.Struct:
		return false
	}
	return true
}

// wholeKind reports whether a parameter takes a whole number.
func wholeKind(t reflect.Type) bool {
	if t == nil {
		return false
	}
	switch t.Kind() {
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64,
		reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64:
		return true
	}
	return false
}

// fraction reports whether a value is written as a number with a fraction
// or an exponent (2.5, 1e3).
func fraction(v ast.Node) bool {
	switch v.(type) {
	case *ast.FloatNode:
		return true
	case *ast.StringNode:
		// 1e3 is text to the parser, which the decoder then reads as 1000.
		t := v.GetToken().Value
		_, ferr := strconv.ParseFloat(t, 64)
		_, ierr := strconv.ParseInt(t, 0, 64)
		return ferr == nil && ierr != nil
	}
	return false
}

// placeParam puts the position of the value a paramError names in front
// of err, when the rules file wrote that value; a value left at its
// default keeps the error as it is.
func placeParam(src []byte, err error) error {
	var pe *paramError
	if !errors.As(err, &pe) || pe.section == "" {
		return err
	}
	f, perr := parser.ParseBytes(bytes.TrimPrefix(src, bom), 0)
	if perr != nil {
		return err
	}

	// The first node on the parameter's path is its key and value, or the
	// list entry the check named (accounts[2]).
	at := ""
	walk(f, func(n ast.Node, path []string) {
		if at != "" || len(path) != 2 || path[0] != pe.section || path[1] != pe.param {
			return
		}
		if mv, ok := n.(*ast.MappingValueNode); ok {
			n = mv.Value
		}
		at = position(n)
	})
	if at == "" {
		return err
	}
	return fmt.Errorf("%s: %w", at, err)
}
