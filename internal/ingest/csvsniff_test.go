package ingest

import "testing"

func TestLooksLikeCSV(t *testing.T) {
	tests := []struct {
		name string
		in   string
		want bool
	}{
		{"portal header", "Date (UTC),Request ID,User\n2024-05-03,r1,u\n", true},
		{"header only", "Id,UserPrincipalName\n", true},
		{"semicolons", "Id;UserPrincipalName\nx;y\n", true},
		{"markdown heading with comma", "# Case, blocked\n\nSome prose here.\n", false},
		{"prose with a comma", "Hello, world\nthis is text\n", false},
		{"empty column name", "Id,,User\n1,2,3\n", false},
		{"single column", "Id\n1\n", false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := looksLikeCSV([]byte(tt.in)); got != tt.want {
				t.Errorf("looksLikeCSV(%q) = %v, want %v", tt.in, got, tt.want)
			}
		})
	}
}

// A README beside the exports is skipped as not an export, not read as a
// CSV whose header is its title.
func TestReadmeIsSkipped(t *testing.T) {
	set := &Set{}
	Decode("README.md", []byte("# Reference case: takeover attempt, blocked\n\nProse.\n"), set)
	set.Finish()
	if len(set.Files) != 1 || !set.Files[0].Skipped || !set.Files[0].Note ||
		set.Files[0].Reason != "a note beside the logs (.md), not JSON or CSV" {
		t.Errorf("file report = %+v", set.Files)
	}
}
