package spill

import "container/heap"

// source gives items in order; ok is false after the last.
type source interface {
	next() (it Item, ok bool, err error)
}

// sliceSource gives the items of a sorted slice.
type sliceSource struct{ items []Item }

func fromSlice(items []Item) *sliceSource { return &sliceSource{items} }

func (s *sliceSource) next() (Item, bool, error) {
	if len(s.items) == 0 {
		return Item{}, false, nil
	}
	it := s.items[0]
	s.items[0] = Item{}
	s.items = s.items[1:]
	return it, true, nil
}

// closeAll closes the sources that hold files.
func closeAll(srcs []source) {
	for _, s := range srcs {
		if r, ok := s.(*runReader); ok {
			r.close()
		}
	}
}

// merge hands fn the items of every source, earliest first. Items that
// compare equal come in the order of their sources.
func merge(srcs []source, fn func(Item) error) error {
	m := newMerger(srcs)
	for {
		it, ok, err := m.next()
		if err != nil || !ok {
			return err
		}
		if err := fn(it); err != nil {
			return err
		}
	}
}

// merger is a source that merges sorted sources through a heap of their
// next items.
type merger struct {
	h       headHeap
	started bool
}

func newMerger(srcs []source) *merger {
	m := &merger{}
	for i, s := range srcs {
		m.h = append(m.h, head{src: s, order: i})
	}
	return m
}

func (m *merger) next() (Item, bool, error) {
	if !m.started {
		m.started = true
		live := m.h[:0]
		for _, hd := range m.h {
			it, ok, err := hd.src.next()
			if err != nil {
				return Item{}, false, err
			}
			if ok {
				hd.it = it
				live = append(live, hd)
			}
		}
		m.h = live
		heap.Init(&m.h)
	}
	if len(m.h) == 0 {
		return Item{}, false, nil
	}
	top := &m.h[0]
	out := top.it
	it, ok, err := top.src.next()
	if err != nil {
		return Item{}, false, err
	}
	if ok {
		top.it = it
		heap.Fix(&m.h, 0)
	} else {
		heap.Pop(&m.h)
	}
	return out, true, nil
}

// head is a source and its next item.
type head struct {
	src   source
	it    Item
	order int
}

// headHeap orders heads by their item, then by source.
type headHeap []head

func (h headHeap) Len() int { return len(h) }
func (h headHeap) Less(i, j int) bool {
	if c := compare(h[i].it, h[j].it); c != 0 {
		return c < 0
	}
	return h[i].order < h[j].order
}
func (h headHeap) Swap(i, j int) { h[i], h[j] = h[j], h[i] }
func (h *headHeap) Push(x any)   { *h = append(*h, x.(head)) }
func (h *headHeap) Pop() any {
	old := *h
	x := old[len(old)-1]
	*h = old[:len(old)-1]
	return x
}
