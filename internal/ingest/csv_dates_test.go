package ingest

import (
	"strings"
	"testing"
	"time"
)

// TestCSVSlashDateOrder: a column's dates that read only one way settle
// the order of its ambiguous ones, so one file is read in one order (a
// tryout's case: a day-first portal export read 02/11 as February and
// 17/11 as November). A column that shows both orders is read cell by
// cell, month first where ambiguous, and warned about.
func TestCSVSlashDateOrder(t *testing.T) {
	header := "Date (UTC),Request ID,Username,IP address,Status\n"
	row := func(date, id string) string {
		return date + "," + id + ",u@example.com,192.0.2.1,Success\n"
	}
	day := func(s string) time.Time {
		t, err := time.Parse("2006-01-02 15:04", s)
		if err != nil {
			panic(err)
		}
		return t
	}

	cases := []struct {
		name   string
		rows   []string
		want   []time.Time
		approx []bool
		warned bool
	}{
		{name: "day first", rows: []string{"17/11/2026 22:55", "02/11/2026 10:00",
			"12/11/2026 08:00"},
			want:   []time.Time{day("2026-11-17 22:55"), day("2026-11-02 10:00"), day("2026-11-12 08:00")},
			approx: []bool{false, false, false}},
		{name: "month first", rows: []string{"11/17/2026 22:55", "02/11/2026 10:00"},
			want:   []time.Time{day("2026-11-17 22:55"), day("2026-02-11 10:00")},
			approx: []bool{false, true}},
		{name: "nothing settles it", rows: []string{"02/11/2026 10:00", "03/03/2026 10:00"},
			want:   []time.Time{day("2026-02-11 10:00"), day("2026-03-03 10:00")},
			approx: []bool{true, false}},
		{name: "both orders", rows: []string{"17/11/2026 22:55", "11/18/2026 09:00",
			"02/11/2026 10:00"},
			want: []time.Time{day("2026-11-17 22:55"), day("2026-11-18 09:00"),
				day("2026-02-11 10:00")},
			approx: []bool{false, false, true}, warned: true},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			text := header
			for i, r := range c.rows {
				text += row(r, "r"+string(rune('a'+i)))
			}
			set := decodeString("portal.csv", text)
			noProblems(t, set)
			if len(set.SignIns) != len(c.want) {
				t.Fatalf("%d sign-ins, want %d", len(set.SignIns), len(c.want))
			}
			for _, s := range set.SignIns {
				i := int(s.ID[1] - 'a')
				if !s.Time.Equal(c.want[i]) || s.TimeApprox != c.approx[i] {
					t.Errorf("%q read as %v (approximate %v), want %v (%v)", c.rows[i],
						s.Time, s.TimeApprox, c.want[i], c.approx[i])
				}
			}
			warned := false
			for w := range set.Warnings {
				if strings.Contains(w, "day first and month first") {
					warned = true
				}
			}
			if warned != c.warned {
				t.Errorf("warned of mixed orders: %v, want %v (%v)", warned, c.warned,
					set.Warnings)
			}
		})
	}
}

// TestCSVSlashDateOrderPooled: two columns whose names differ only in case
// fill one field, so what either shows settles both (a reviewer's case: a
// month-first date of one was read day first by the other's evidence).
func TestCSVSlashDateOrderPooled(t *testing.T) {
	text := "Id,CreatedDateTime,createdDateTime,UserPrincipalName,IPAddress\n" +
		"a1,,11/17/2026 10:00,x@example.com,198.51.100.1\n" +
		"a2,17/11/2026 10:00,,x@example.com,198.51.100.2\n" +
		"a4,,02/11/2026 11:00,x@example.com,198.51.100.4\n"
	set := decodeString("both.csv", text)
	mixed := false
	for w := range set.Warnings {
		mixed = mixed || strings.Contains(w, "day first and month first")
	}
	for _, s := range set.SignIns {
		if s.ID == "a4" && (!s.TimeApprox || s.Time.Month() != time.February) {
			t.Errorf("a4 read as %v (approximate %v), want 11 February, approximate",
				s.Time, s.TimeApprox)
		}
	}
	if !mixed || len(set.SignIns) != 3 {
		t.Errorf("%d sign-ins, warned of mixed orders %v; want 3 and a warning",
			len(set.SignIns), mixed)
	}
}
