package ingest

import (
	"errors"
	"strconv"
	"strings"
	"time"
)

// Layouts, tried in order. Go's parser accepts a fraction of any length
// after the seconds and one or two digits for hours, days and months, which
// covers "T8:48:50.361Z" and "01/09/2007" without more entries.
var (
	isoZoned = []string{
		time.RFC3339,
		"2006-01-02T15:04:05Z0700",
		"2006-01-02 15:04:05Z07:00",
		"2006-01-02 15:04:05Z0700",
		"2006-01-02 15:04:05 Z07:00",
	}
	isoLocal = []string{
		"2006-01-02T15:04:05",
		"2006-01-02 15:04:05",
		"2006-01-02T15:04",
		"2006-01-02 15:04",
		"2006-01-02",
	}
	// Month-first; the day-first read swaps "1/2" for "2/1".
	slashZoned = []string{
		"1/2/2006 3:04:05 PM -07:00",
		"1/2/2006 3:04:05 PM Z07:00",
		"1/2/2006 15:04:05 -07:00",
		"1/2/2006 15:04:05 Z07:00",
	}
	slashLocal = []string{
		"1/2/2006 3:04:05 PM",
		"1/2/2006 15:04:05",
		"1/2/2006 3:04 PM",
		"1/2/2006 15:04",
		"1/2/2006",
	}
)

var errNoTime = errors.New("not a timestamp")

// parseTime reads one timestamp in any layout met in Entra exports and
// returns it in UTC. approx is set when the zone was assumed to be UTC
// (the text had none and the export did not declare one: utcDeclared) or
// when day and month could be swapped ("1/9/2007", a slash date with a day
// of 12 or less). Local time is never assumed.
func parseTime(s string, utcDeclared bool) (t time.Time, approx bool, err error) {
	return parseTimeIn(s, utcDeclared, false)
}

// parseTimeIn is parseTime for a date whose file shows its slash dates to
// be written day first (dmy, from slashOrders): an ambiguous one is read
// day first and is not approximate for that.
func parseTimeIn(s string, utcDeclared, dmy bool) (t time.Time, approx bool, err error) {
	s = strings.TrimSpace(s)
	if len(s) < 8 {
		return time.Time{}, false, errNoTime
	}
	switch {
	case s[4] == '-':
		t, approx, err = parseISO(s)
	case strings.Contains(s[:min(len(s), 6)], "/"):
		t, approx, err = parseSlash(s, dmy)
	default:
		return time.Time{}, false, errNoTime
	}
	if err != nil {
		return time.Time{}, false, err
	}
	if t.IsZero() || t.Year() < 1900 {
		return time.Time{}, false, errNoTime
	}
	if approx && utcDeclared {
		// The export says the zone; only a day/month swap stays uncertain,
		// and not when the file settled the order.
		approx = ambiguousDay(s) && !dmy
	}
	return t.UTC(), approx, nil
}

func parseISO(s string) (time.Time, bool, error) {
	for _, l := range isoZoned {
		if t, err := time.Parse(l, s); err == nil {
			return t, false, nil
		}
	}
	for _, l := range isoLocal {
		if t, err := time.ParseInLocation(l, s, time.UTC); err == nil {
			return t, true, nil
		}
	}
	return time.Time{}, false, errNoTime
}

// parseSlash reads US-style dates, month first. When that fails (a month
// above 12) it reads day first, as a non-US PowerShell export would have
// written; both readings of such a date are flagged approximate. With dmy
// (the file's other dates settle the order) it reads day first first, and
// an ambiguous date is not approximate for that.
func parseSlash(s string, dmy bool) (time.Time, bool, error) {
	// "9/19/2023, 1:45:17.287 PM": the portal puts a comma after the date.
	s = strings.Replace(s, ", ", " ", 1)
	ambiguous := ambiguousDay(s) && !dmy
	for _, swap := range []bool{dmy, !dmy} {
		for _, l := range slashZoned {
			if t, err := time.Parse(dayFirst(l, swap), s); err == nil {
				return t, ambiguous || swap != dmy, nil
			}
		}
		for _, l := range slashLocal {
			if t, err := time.ParseInLocation(dayFirst(l, swap), s, time.UTC); err == nil {
				return t, true, nil
			}
		}
	}
	return time.Time{}, false, errNoTime
}

func dayFirst(layout string, swap bool) string {
	if !swap {
		return layout
	}
	return "2/1" + layout[3:]
}

// ambiguousDay reports whether a slash date reads differently day first:
// both numbers are 12 or less and they differ.
func ambiguousDay(s string) bool {
	parts := strings.SplitN(s, "/", 3)
	if len(parts) < 3 {
		return false
	}
	m, err1 := strconv.Atoi(parts[0])
	d, err2 := strconv.Atoi(parts[1])
	return err1 == nil && err2 == nil && m <= 12 && d <= 12 && m != d
}

// timeAt reads the timestamp at key. present is false when the key is
// absent or empty; ok is false when it is present but unreadable, which is
// counted.
func (r *rec) timeAt(o *obj, key string) (t time.Time, approx, present, ok bool) {
	if !o.has(key) {
		return time.Time{}, false, false, false
	}
	s := r.str(o, key)
	k := strings.ToLower(key)
	t, approx, err := parseTimeIn(s, r.utc[k], r.f.dayFirst[k])
	if err != nil {
		r.warn(o.child(key), "unreadable time")
		return time.Time{}, false, true, false
	}
	return t, approx, true, true
}

// eventTime returns the record's time from primary (createdDateTime,
// activityDateTime), else TimeGenerated, else the Event Hub "time", which
// lags the event by a minute or two (BR-09). A fallback is approximate.
// ok is false when no field held a readable time.
func (r *rec) eventTime(primary string) (t time.Time, approx, ok bool) {
	if t, approx, _, ok := r.timeAt(r.body, primary); ok {
		return t, approx, true
	}
	for _, k := range []string{"timeGenerated", "time"} {
		for _, o := range r.scopes() {
			if t, _, _, ok := r.timeAt(o, k); ok {
				return t, true, true
			}
		}
	}
	return time.Time{}, false, false
}
