package detect

// fifo is a queue of values in arrival order, consumed from the front:
// a window's events, the ids a group holds. Dropping moves the values left
// only once the dropped part is as long as the rest, so each value is moved
// at most about once; moving them on every drop cost a window of thousands
// of events a copy per event.
type fifo[T any] struct {
	buf  []T
	head int // buf[:head] is dropped
}

func (q *fifo[T]) push(v T) { q.buf = append(q.buf, v) }

// all returns the values, oldest first. The slice is valid until the next
// push or drop.
func (q *fifo[T]) all() []T { return q.buf[q.head:] }

func (q *fifo[T]) len() int { return len(q.buf) - q.head }

// drop removes the n oldest values. Dropped values are cleared so that
// what they point at can be collected.
func (q *fifo[T]) drop(n int) {
	if n == 0 {
		return // the common case: nothing expired
	}
	clear(q.buf[q.head : q.head+n])
	q.head += n
	if q.head < len(q.buf)-q.head {
		return
	}
	m := copy(q.buf, q.buf[q.head:])
	clear(q.buf[m:])
	q.buf, q.head = q.buf[:m], 0
}
