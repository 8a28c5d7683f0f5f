package ingest

import "testing"

func TestCSVColumn(t *testing.T) {
	cases := []struct {
		in     string
		portal bool
		want   column
	}{
		{"CreatedDateTime [UTC]", false, column{"CreatedDateTime", true}},
		{"Date (UTC)", true, column{"createdDateTime", true}},
		{"Request ID", true, column{"id", false}},
		{"RequestId", false, column{"RequestId", false}},
		{"Sign-in error code", true, column{"resultType", false}},
		{"Failure reason", true, column{"resultDescription", false}},
		{"IP address", true, column{"ipAddress", false}},
		{"Username", true, column{"userPrincipalName", false}},
		{"User", true, column{"userDisplayName", false}},
		{"User", false, column{"User", false}},
		{"Status_dynamic", false, column{"Status", false}},
		{"LocationDetails_string", false, column{"LocationDetails", false}},
		{"RiskEventTypes_V2", false, column{"RiskEventTypes_V2", false}},
		{"TimeGenerated [Local Time]", false, column{"TimeGenerated", false}},
	}
	for _, c := range cases {
		if got := csvColumn(c.in, c.portal); got != c.want {
			t.Errorf("csvColumn(%q, %v) = %+v, want %+v", c.in, c.portal, got, c.want)
		}
	}
}

func TestCSVShapes(t *testing.T) {
	cases := []struct {
		name, text string
		codes      []int
	}{
		{"semicolon", "Id;CreatedDateTime;ResultType\nx1;2024-01-01T00:00:00Z;50126\n", []int{50126}},
		{"powershell type line", "#TYPE System.Management.Automation.PSCustomObject\r\n" +
			"\"Id\",\"CreatedDateTime\",\"ResultType\"\r\n\"x1\",\"2024-01-01T00:00:00Z\",\"0\"\r\n", []int{0}},
		{"portal location text", "Date (UTC),Request ID,Username,IP address,Location,Status\n" +
			"2024-01-01T00:00:00Z,x1,u@example.com,192.0.2.1,\"Redmond, Washington, US\",Success\n", []int{0}},
		{"empty rows skipped", "Id,CreatedDateTime,ResultType\n,,\nx1,2024-01-01T00:00:00Z,0\n", []int{0}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			set := decodeString("x.csv", c.text)
			noProblems(t, set)
			var got []int
			for _, s := range set.SignIns {
				got = append(got, s.ErrorCode)
			}
			if len(got) != len(c.codes) || got[0] != c.codes[0] {
				t.Errorf("codes %v, want %v", got, c.codes)
			}
		})
	}
	set := decodeString("loc.csv", cases[2].text)
	if loc := set.SignIns[0].Location; loc.City != "Redmond" || loc.State != "Washington" || loc.Country != "US" {
		t.Errorf("portal location %+v", loc)
	}
}
