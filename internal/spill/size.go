package spill

import (
	"net/netip"
	"reflect"
	"sync"
	"time"
)

// sizeOf estimates the bytes an item holds in memory: the records' structs,
// the bytes of every string and the backing store of every slice and map,
// followed through pointers and interfaces. It walks the values by
// reflection, so a field added to a record is counted without anyone
// remembering to; the sorter calls it once per record.
func sizeOf(it Item) int {
	return int(reflect.TypeFor[Item]().Size()) + deep(reflect.ValueOf(it))
}

// Shared by every record, so never counted: a time's *Location and an
// address's zone handle.
var (
	timeType = reflect.TypeFor[time.Time]()
	addrType = reflect.TypeFor[netip.Addr]()
)

// deep returns the bytes v reaches beyond its own inline size.
func deep(v reflect.Value) int {
	if !hasRefs(v.Type()) {
		return 0
	}
	switch v.Kind() {
	case reflect.String:
		return v.Len()
	case reflect.Pointer:
		if v.IsNil() {
			return 0
		}
		return int(v.Type().Elem().Size()) + deep(v.Elem())
	case reflect.Interface:
		if v.IsNil() {
			return 0
		}
		return int(v.Elem().Type().Size()) + deep(v.Elem())
	case reflect.Slice:
		n := v.Cap() * int(v.Type().Elem().Size())
		for i := range v.Len() {
			n += deep(v.Index(i))
		}
		return n
	case reflect.Map:
		// A map's buckets hold about twice its entries' inline size.
		t := v.Type()
		n := 2 * v.Len() * int(t.Key().Size()+t.Elem().Size())
		for it := v.MapRange(); it.Next(); {
			n += deep(it.Key()) + deep(it.Value())
		}
		return n
	case reflect.Struct:
		n := 0
		for i := range v.NumField() {
			n += deep(v.Field(i))
		}
		return n
	case reflect.Array:
		n := 0
		for i := range v.Len() {
			n += deep(v.Index(i))
		}
		return n
	}
	return 0
}

// refs caches hasRefs by type.
var refs sync.Map // reflect.Type -> bool

// hasRefs reports whether a value of type t can reach memory outside
// itself that deep should count.
func hasRefs(t reflect.Type) bool {
	if r, ok := refs.Load(t); ok {
		return r.(bool)
	}
	r := false
	switch t.Kind() {
	case reflect.String, reflect.Pointer, reflect.Interface, reflect.Slice, reflect.Map:
		r = true
	case reflect.Struct:
		if t == timeType || t == addrType {
			break
		}
		for i := range t.NumField() {
			if hasRefs(t.Field(i).Type) {
				r = true
				break
			}
		}
	case reflect.Array:
		r = hasRefs(t.Elem())
	}
	refs.Store(t, r)
	return r
}
