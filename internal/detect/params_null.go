package detect

import (
	"reflect"
	"strings"

	"github.com/goccy/go-yaml/ast"
	"github.com/goccy/go-yaml/parser"
)

// clearNullLists empties each list parameter src writes as nothing (a key
// with no value, null or ~), which the decoder would leave at its default
// without a word: `levels:` meant "no levels", and the checks then judge
// the empty list (Validate), as they would `levels: []`.
func clearNullLists(src []byte, p *Params) {
	f, err := parser.ParseBytes(src, 0)
	if err != nil {
		return // the decoder has reported it
	}
	walk(f, func(n ast.Node, path []string) {
		mv, ok := n.(*ast.MappingValueNode)
		if !ok || len(path) != 2 || !nothing(mv.Value) {
			return
		}
		t := paramType(path[0], path[1])
		if t == nil || t.Kind() != reflect.Slice {
			return
		}
		if v := paramValue(reflect.ValueOf(p).Elem(), path[0], path[1]); v.IsValid() {
			v.Set(reflect.MakeSlice(t, 0, 0))
		}
	})
}

// paramValue is the settable field of a section's parameter in params (a
// Params), or the zero Value.
func paramValue(params reflect.Value, section, param string) reflect.Value {
	t := params.Type()
	for i := range t.NumField() {
		if name, _, _ := strings.Cut(t.Field(i).Tag.Get("yaml"), ","); name == section {
			return fieldValue(params.Field(i), param)
		}
	}
	return reflect.Value{}
}

// fieldValue is the field of struct v whose YAML key is key, inline
// fields included, or the zero Value.
func fieldValue(v reflect.Value, key string) reflect.Value {
	if v.Kind() != reflect.Struct {
		return reflect.Value{}
	}
	t := v.Type()
	for i := range t.NumField() {
		name, opts, _ := strings.Cut(t.Field(i).Tag.Get("yaml"), ",")
		if strings.Contains(opts, "inline") {
			if fv := fieldValue(v.Field(i), key); fv.IsValid() {
				return fv
			}
		} else if name == key {
			return v.Field(i)
		}
	}
	return reflect.Value{}
}
