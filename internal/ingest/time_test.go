package ingest

import (
	"testing"
)

func TestParseTime(t *testing.T) {
	cases := []struct {
		in     string
		utcDec bool
		want   string
		approx bool
	}{
		{"2021-06-30T16:34:32Z", false, "2021-06-30T16:34:32Z", false},
		{"2019-10-18T09:45:48.0729893Z", false, "2019-10-18T09:45:48.0729893Z", false},
		{"2007-01-09T09:41:00.535404056Z", false, "2007-01-09T09:41:00.535404056Z", false},
		{"2019-10-18T04:45:48.0729893-05:00", false, "2019-10-18T09:45:48.0729893Z", false},
		{"2024-05-02T08:14:58.7654321+00:00", false, "2024-05-02T08:14:58.7654321Z", false},
		{"2022-09-09T8:48:50.361Z", false, "2022-09-09T08:48:50.361Z", false},
		{"2007-01-09T09:41:00", false, "2007-01-09T09:41:00Z", true},
		{"2007-01-09T09:41:00", true, "2007-01-09T09:41:00Z", false},
		{"2023-07-26 23:00:20.889", false, "2023-07-26T23:00:20.889Z", true},
		{"2023-07-26 22:58:30.983201900", false, "2023-07-26T22:58:30.9832019Z", true},
		{"11/14/2025 1:48:53 AM", false, "2025-11-14T01:48:53Z", true},
		{"11/14/2025 1:48:53 AM", true, "2025-11-14T01:48:53Z", false},
		{"8/22/2022 6:07:16 PM", false, "2022-08-22T18:07:16Z", true},
		{"1/9/2007 10:41:00 AM +01:00", false, "2007-01-09T09:41:00Z", true}, // day 9 could be a month
		{"1/19/2007 10:41:00 AM +01:00", false, "2007-01-19T09:41:00Z", false},
		{"01/09/2007 09:41:00", false, "2007-01-09T09:41:00Z", true},
		{"9/19/2023, 1:45:17.287 PM", true, "2023-09-19T13:45:17.287Z", false},
		{"4/28/2021, 2:08:45.221 PM", true, "2021-04-28T14:08:45.221Z", false},
		{"1/9/2007 9:41:00 AM", true, "2007-01-09T09:41:00Z", true},    // UTC declared, day ambiguous
		{"15/11/2025 3:55:59 AM", false, "2025-11-15T03:55:59Z", true}, // day first: only reading
		{"3/3/2025 3:03:03 PM", false, "2025-03-03T15:03:03Z", true},
		{"3/3/2025 3:03:03 PM +00:00", false, "2025-03-03T15:03:03Z", false},
	}
	for _, c := range cases {
		got, approx, err := parseTime(c.in, c.utcDec)
		if err != nil {
			t.Errorf("parseTime(%q): %v", c.in, err)
			continue
		}
		if !got.Equal(utc(c.want)) || approx != c.approx || got.Location().String() != "UTC" {
			t.Errorf("parseTime(%q, %v) = %v approx %v; want %s approx %v",
				c.in, c.utcDec, got, approx, c.want, c.approx)
		}
	}
	for _, bad := range []string{"", "String (timestamp)", "yesterday", "0001-01-01T00:00:00Z",
		"2024-13-01T00:00:00Z", "13/13/2024 1:00:00 PM", "2024-01-01T25:00:00Z", "1/2/3"} {
		if got, _, err := parseTime(bad, false); err == nil {
			t.Errorf("parseTime(%q) = %v, want an error", bad, got)
		}
	}
}
