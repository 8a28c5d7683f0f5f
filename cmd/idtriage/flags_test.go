package main

import (
	"encoding/json"
	"path/filepath"
	"strings"
	"testing"
)

func TestRedactFlag(t *testing.T) {
	tests := []struct {
		name   string
		args   []string
		absent []string
		has    []string
	}{
		{"placeholders", []string{"--redact"},
			[]string{"ana.reyes", "example.com", "186.2.128.77", "Ana Reyes", "CX-LAPTOP-117"},
			[]string{"user_1", "[EXTERNAL_IP_1]", "Bangladesh", "53003"}},
		{"keep prefix", []string{"--redact", "--keep-prefix"},
			[]string{"ana.reyes", "186.2.128.77", "103.106.24.57"},
			[]string{"186.2.128.x", "103.106.24.x"}},
	}
	for _, tt := range tests {
		for _, format := range []string{"md", "json", "html"} {
			t.Run(tt.name+"/"+format, func(t *testing.T) {
				args := append([]string{"investigate", "--format", format}, tt.args...)
				code, out, errOut := execute(t, append(args, example)...)
				if code != 0 {
					t.Fatalf("exit %d: %s", code, errOut)
				}
				for _, s := range tt.absent {
					if strings.Contains(out, s) {
						t.Errorf("redacted %s report contains %q", format, s)
					}
				}
				for _, s := range tt.has {
					if !strings.Contains(out, s) {
						t.Errorf("redacted %s report lacks %q", format, s)
					}
				}
			})
		}
	}
}

func TestCostModelFlag(t *testing.T) {
	dir := t.TempDir()
	cheap := filepath.Join(dir, "cheap.json")
	writeFile(t, cheap, `{"name": "cheap", "why": "test", "minutesPerQuery": 1,
		"minutesPerPivot": 0, "minutesPerEnrichment": 0, "minutesPerFinding": 0,
		"minutesFixed": 0, "hourlyCostUsd": 60}`)
	typo := filepath.Join(dir, "typo.json")
	writeFile(t, typo, `{"name": "typo", "minutesPerQeury": 1}`)
	negative := filepath.Join(dir, "negative.json")
	writeFile(t, negative, `{"name": "neg", "minutesPerQuery": -1}`)
	syntax := filepath.Join(dir, "syntax.json")
	writeFile(t, syntax, "{\n  \"name\": \"s\",\n  \"minutesPerQuery\": 4,,\n}")
	typed := filepath.Join(dir, "typed.json")
	writeFile(t, typed, "{\"name\": \"t\",\n\"hourlyCostUsd\": \"55\"}")
	trailing := filepath.Join(dir, "trailing.json")
	writeFile(t, trailing, "{\"name\": \"t\"}\n{\"name\": \"u\"}")

	tests := []struct {
		name      string
		file      string
		code      int
		model     string
		minutes   float64
		stderrHas string
	}{
		{"built-in model as a file", "../../internal/investigate/costmodel.json", 0,
			"tier2-manual-v1", 167, ""},
		{"own model", cheap, 0, "cheap", 0, ""},
		{"unknown field", typo, 1, "", 0, "typo.json: line 1, column 18: json: unknown field " +
			"\"minutesPerQeury\""},
		{"negative number", negative, 1, "", 0, "negative.json: line 1, column 17: " +
			"minutesPerQuery is -1"},
		{"bad syntax", syntax, 1, "", 0, "syntax.json: line 3, column 24: invalid character ','"},
		{"text for a number", typed, 1, "", 0, "typed.json: line 2, column 1: json: cannot " +
			"unmarshal string"},
		{"a second object", trailing, 1, "", 0, "trailing.json: line 2, column 1: more after"},
		{"missing file", filepath.Join(dir, "absent.json"), 1, "", 0, "absent.json"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			code, out, errOut := execute(t, "investigate", "--format", "json",
				"--cost-model", tt.file, example)
			if code != tt.code {
				t.Fatalf("exit %d, want %d: %s", code, tt.code, errOut)
			}
			if !strings.Contains(errOut, tt.stderrHas) {
				t.Errorf("stderr %q lacks %q", errOut, tt.stderrHas)
			}
			if code != 0 {
				return
			}
			var c struct {
				Cost struct {
					Model         string
					ManualMinutes float64
					Sources       int
				}
			}
			if err := json.Unmarshal([]byte(out), &c); err != nil {
				t.Fatal(err)
			}
			if c.Cost.Model != tt.model {
				t.Errorf("model = %q, want %q", c.Cost.Model, tt.model)
			}
			if tt.minutes > 0 && c.Cost.ManualMinutes != tt.minutes {
				t.Errorf("manual minutes = %v, want %v", c.Cost.ManualMinutes, tt.minutes)
			}
			if tt.model == "cheap" && c.Cost.ManualMinutes == 0 {
				t.Error("a model with one minute per query priced the case at zero")
			}
		})
	}
}

func TestKeepPrefixNeedsRedact(t *testing.T) {
	code, _, errOut := execute(t, "investigate", "--keep-prefix", example)
	if code != 2 || !strings.Contains(errOut, "--redact") {
		t.Errorf("exit %d (%s), want 2 and a word on --redact", code, errOut)
	}
}

// TestFlagSuggestion: a misspelt long flag is a usage error that names the
// flag meant, when one is near enough; a far one names none.
func TestFlagSuggestion(t *testing.T) {
	tests := []struct {
		args []string
		want string
	}{
		{[]string{"hunt", "--sinec", "2026-03-01", "x"}, "did you mean --since?"},
		{[]string{"hunt", "--breakglass", "a@b.org", "x"}, "did you mean --break-glass?"},
		{[]string{"hunt", "--temp", "d", "x"}, "did you mean --temp-dir?"},
		{[]string{"investigate", "--usr", "bob", "x"}, "did you mean --user?"},
		{[]string{"simulate", "--user=3"}, "did you mean --users?"},
		{[]string{"hunt", "--zzz", "x"}, "unknown flag: --zzz (see idtriage hunt --help)"},
	}
	for _, tt := range tests {
		t.Run(strings.Join(tt.args, " "), func(t *testing.T) {
			code, _, errOut := execute(t, tt.args...)
			if code != exitUsage {
				t.Errorf("exit status %d, want %d", code, exitUsage)
			}
			if !strings.Contains(errOut, tt.want) {
				t.Errorf("stderr %q lacks %q", errOut, tt.want)
			}
			if strings.Contains(tt.want, "zzz") && strings.Contains(errOut, "did you mean") {
				t.Errorf("stderr %q suggests a flag for a far name", errOut)
			}
		})
	}
}
