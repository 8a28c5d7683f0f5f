package report

import "reflect"

// rewriteStrings returns a deep copy of v in which every string, however
// deeply nested (struct fields, slices, maps, pointers, interfaces), has
// been passed through f. Map keys that are strings are rewritten too.
//
// It walks the value by reflection rather than field by field so that a
// field added to the case later cannot slip past redaction unseen.
// Unexported fields are copied as they are; the case has none that hold
// log text.
func rewriteStrings[T any](v T, f func(string) string) T {
	src := reflect.ValueOf(&v).Elem()
	dst := reflect.New(src.Type()).Elem()
	rewriteValue(dst, src, f)
	return dst.Interface().(T)
}

func rewriteValue(dst, src reflect.Value, f func(string) string) {
	switch src.Kind() {
	case reflect.String:
		dst.SetString(f(src.String()))
	case reflect.Struct:
		dst.Set(src) // keeps unexported fields and those of other kinds
		for i := range src.NumField() {
			if dst.Field(i).CanSet() {
				rewriteValue(dst.Field(i), src.Field(i), f)
			}
		}
	case reflect.Slice:
		if src.IsNil() {
			return
		}
		dst.Set(reflect.MakeSlice(src.Type(), src.Len(), src.Len()))
		for i := range src.Len() {
			rewriteValue(dst.Index(i), src.Index(i), f)
		}
	case reflect.Array:
		for i := range src.Len() {
			rewriteValue(dst.Index(i), src.Index(i), f)
		}
	case reflect.Map:
		if src.IsNil() {
			return
		}
		dst.Set(reflect.MakeMapWithSize(src.Type(), src.Len()))
		iter := src.MapRange()
		for iter.Next() {
			k := reflect.New(src.Type().Key()).Elem()
			rewriteValue(k, iter.Key(), f)
			val := reflect.New(src.Type().Elem()).Elem()
			rewriteValue(val, iter.Value(), f)
			dst.SetMapIndex(k, val)
		}
	case reflect.Pointer:
		if src.IsNil() {
			return
		}
		p := reflect.New(src.Type().Elem())
		rewriteValue(p.Elem(), src.Elem(), f)
		dst.Set(p)
	case reflect.Interface:
		if src.IsNil() {
			return
		}
		inner := reflect.New(src.Elem().Type()).Elem()
		rewriteValue(inner, src.Elem(), f)
		dst.Set(inner)
	default:
		dst.Set(src)
	}
}
