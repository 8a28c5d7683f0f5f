package spill

import "container/heap"

// source gives entries in order; ok is false after the last.
type source interface {
	next() (e entry, ok bool, err error)
}

// sliceSource gives the entries of a sorted slice.
type sliceSource struct{ entries []entry }

func fromSlice(entries []entry) *sliceSource { return &sliceSource{entries} }

func (s *sliceSource) next() (entry, bool, error) {
	if len(s.entries) == 0 {
		return entry{}, false, nil
	}
	e := s.entries[0]
	s.entries[0] = entry{}
	s.entries = s.entries[1:]
	return e, true, nil
}

// closeAll closes the sources that hold files.
func closeAll(srcs []source) {
	for _, s := range srcs {
		if r, ok := s.(*runReader); ok {
			r.close()
		}
	}
}

// merge hands fn the items of every source, earliest first.
func merge(srcs []source, fn func(Item) error) error {
	m := newMerger(srcs)
	for {
		e, ok, err := m.next()
		if err != nil || !ok {
			return err
		}
		if err := fn(e.Item); err != nil {
			return err
		}
	}
}

// merger is a source that merges sorted sources through a heap of their
// next entries. No two entries compare equal (each has its own Seq).
type merger struct {
	h       headHeap
	started bool
}

func newMerger(srcs []source) *merger {
	m := &merger{}
	for _, s := range srcs {
		m.h = append(m.h, head{src: s})
	}
	return m
}

func (m *merger) next() (entry, bool, error) {
	if !m.started {
		m.started = true
		live := m.h[:0]
		for _, hd := range m.h {
			e, ok, err := hd.src.next()
			if err != nil {
				return entry{}, false, err
			}
			if ok {
				hd.e = e
				live = append(live, hd)
			}
		}
		m.h = live
		heap.Init(&m.h)
	}
	if len(m.h) == 0 {
		return entry{}, false, nil
	}
	top := &m.h[0]
	out := top.e
	e, ok, err := top.src.next()
	if err != nil {
		return entry{}, false, err
	}
	if ok {
		top.e = e
		heap.Fix(&m.h, 0)
	} else {
		heap.Pop(&m.h)
	}
	return out, true, nil
}

// head is a source and its next entry.
type head struct {
	src source
	e   entry
}

// headHeap orders heads by their entry.
type headHeap []head

func (h headHeap) Len() int           { return len(h) }
func (h headHeap) Less(i, j int) bool { return compare(h[i].e, h[j].e) < 0 }
func (h headHeap) Swap(i, j int)      { h[i], h[j] = h[j], h[i] }
func (h *headHeap) Push(x any)        { *h = append(*h, x.(head)) }
func (h *headHeap) Pop() any {
	old := *h
	x := old[len(old)-1]
	*h = old[:len(old)-1]
	return x
}
