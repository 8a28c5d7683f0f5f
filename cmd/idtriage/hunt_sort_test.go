package main

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"math/rand/v2"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/idtriage/idtriage/internal/entra"
)

// TestHuntSortsUnorderedInput hunts a generated tenant written newest
// first, as a Graph pull pages it, and shuffled over several files: each is
// sorted on disk in runs of at most 1 MiB, gives the alerts of the daily
// files, and leaves nothing in the temporary folder.
func TestHuntSortsUnorderedInput(t *testing.T) {
	out, logs, days, risk := simulatedTenant(t, "5")
	lines := slices.Concat(append(days, risk)...)
	newest := filepath.Join(out, "newest-first")
	writeLines(t, filepath.Join(newest, "pull.ndjson"), reversedLines(lines))
	shuffled := filepath.Join(out, "shuffled")
	mixed := slices.Clone(lines)
	rand.New(rand.NewPCG(5, 5)).Shuffle(len(mixed), func(i, j int) {
		mixed[i], mixed[j] = mixed[j], mixed[i]
	})
	for i := range 3 {
		part := mixed[i*len(mixed)/3 : (i+1)*len(mixed)/3]
		writeLines(t, filepath.Join(shuffled, fmt.Sprintf("part-%d.ndjson", i)), part)
	}

	code, want, errOut := execute(t, "hunt", "--format", "ndjson", logs,
		filepath.Join(out, "risk"))
	if code != 0 || !strings.Contains(want, "ENTRA-RISK-DETECTION-SUCCESS") {
		t.Fatalf("hunt daily files: exit %d, no risk detection tied: %s\n%s", code, errOut,
			want)
	}
	for _, input := range []string{newest, shuffled} {
		t.Run(filepath.Base(input), func(t *testing.T) {
			tmp := t.TempDir()
			code, got, errOut := execute(t, "hunt", "--format", "ndjson", "--sort-memory", "1",
				"--temp-dir", tmp, input)
			if code != 0 {
				t.Fatalf("exit %d: %s", code, errOut)
			}
			if got != want {
				t.Errorf("alerts differ from the daily files':\ndaily:\n%s\n%s:\n%s",
					want, input, got)
			}
			m := regexp.MustCompile(`input sorted.*runs=(\d+)`).FindStringSubmatch(errOut)
			if m == nil {
				t.Fatalf("no sorted read logged:\n%s", errOut)
			}
			if runs, _ := strconv.Atoi(m[1]); runs < 2 {
				t.Errorf("sorted in %d runs; 1 MiB should take at least 2:\n%s", runs, errOut)
			}
			if left, _ := os.ReadDir(tmp); len(left) != 0 {
				t.Errorf("the temporary folder still holds %d entries", len(left))
			}
		})
	}
}

func reversedLines(lines []string) []string {
	r := slices.Clone(lines)
	slices.Reverse(r)
	return r
}

func writeLines(t *testing.T, path string, lines []string) {
	t.Helper()
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(path, []byte(strings.Join(lines, "\n")+"\n"), 0o644); err != nil {
		t.Fatal(err)
	}
}

// TestHuntInterrupted stops hunts with Ctrl-C's context: before the first
// record, and in the middle of handing sorted records over with runs on
// disk. Each returns an interrupted error and leaves the temporary folder
// empty.
func TestHuntInterrupted(t *testing.T) {
	out, _, days := simulatedDays(t, "6")
	input := filepath.Join(out, "newest-first")
	writeLines(t, filepath.Join(input, "pull.ndjson"), reversedLines(slices.Concat(days...)))
	log := slog.New(slog.DiscardHandler)

	for _, tc := range []struct {
		name   string
		after  int // sign-ins the sorted read hands over before Ctrl-C; -1: before any
		opened int // sinks opened
		handed int // sign-ins handed to the sorted read's sink
	}{
		{"before the first record", -1, 1, 0},
		{"while merging runs", 100, 2, 101},
	} {
		t.Run(tc.name, func(t *testing.T) {
			ctx, cancel := context.WithCancel(context.Background())
			defer cancel()
			if tc.after < 0 {
				cancel()
			}
			opened, handed := 0, 0
			open := func(lookups) recordSink {
				opened++
				return recordSink{audit: func(*entra.Audit) {}, signIn: func(*entra.SignIn) {
					if opened < 2 {
						return
					}
					if handed++; handed > tc.after {
						cancel()
					}
				}}
			}
			tmp := t.TempDir()
			rc := readConfig{tempDir: tmp, sortMem: 1 << 20}
			err := readRecords(ctx, []string{input}, rc, log, open)
			if !errors.Is(err, context.Canceled) || !strings.Contains(err.Error(), "interrupted") {
				t.Fatalf("readRecords = %v, want an interrupted error", err)
			}
			if opened != tc.opened || handed != tc.handed {
				t.Errorf("opened %d sinks and sorted %d sign-ins; want %d and %d",
					opened, handed, tc.opened, tc.handed)
			}
			if left, _ := os.ReadDir(tmp); len(left) != 0 {
				t.Errorf("the temporary folder still holds %d entries", len(left))
			}
		})
	}
}

// signInLine is a Graph sign-in with the fields the rules read.
func signInLine(id, at, upn, ip, country, client string, code int) string {
	return fmt.Sprintf(`{"id":%q,"createdDateTime":%q,"userPrincipalName":%q,`+
		`"userId":"id-%s","appId":"4765445b-32c6-49b0-83e6-1d93765276ca",`+
		`"appDisplayName":"OfficeHome","ipAddress":%q,"clientAppUsed":%q,`+
		`"isInteractive":true,"signInEventTypes":["interactiveUser"],`+
		`"status":{"errorCode":%d},"conditionalAccessStatus":"notApplied",`+
		`"location":{"city":"-","countryOrRegion":%q}}`,
		id, at, upn, upn, ip, client, code, country)
}

// TestHuntSortedMatchesStreamed hunts small inputs, once streamed in time
// order and once sorted on disk, where what the sorted read used to see
// differed: an address placed by a sign-in after the audit that uses it
// (the sort placed every address before the first record), and one
// sign-in read from two files (the sort put them in the order of their
// paths, not the order read). Each must give the streamed alerts.
func TestHuntSortedMatchesStreamed(t *testing.T) {
	dir := t.TempDir()
	const victim, other = "victim@contoso.example", "other@contoso.example"
	var facts []string
	for i := range 6 {
		at := fmt.Sprintf("2026-03-0%dT0%d:00:00Z", 2+i/2, 8+i%2)
		facts = append(facts, signInLine(fmt.Sprint("v", i), at, victim, "1.1.1.1", "US",
			"Browser", 0))
	}
	facts = append(facts, `{"id":"aud-1","category":"UserManagement","result":"success",`+
		`"activityDisplayName":"User registered security info",`+
		`"activityDateTime":"2026-03-06T10:00:00Z","loggedByService":"Authentication Methods",`+
		`"initiatedBy":{"user":{"id":"id-`+victim+`","userPrincipalName":"`+victim+`",`+
		`"ipAddress":"9.9.9.9"}},"targetResources":[{"id":"id-`+victim+`","type":"User",`+
		`"userPrincipalName":"`+victim+`"}]}`,
		signInLine("o1", "2026-03-06T11:00:00Z", other, "9.9.9.9", "RU", "Browser", 0),
		signInLine("o2", "2026-03-06T12:00:00Z", other, "9.9.9.9", "DE", "Browser", 0))
	writeLines(t, filepath.Join(dir, "facts", "in-order.ndjson"), facts)
	newest := reversedLines(facts)
	writeLines(t, filepath.Join(dir, "facts", "newest-first.ndjson"), newest)
	ruFirst := append([]string{newest[1]}, slices.Delete(slices.Clone(newest), 1, 2)...)
	writeLines(t, filepath.Join(dir, "facts", "ru-first.ndjson"), ruFirst)

	const at = "2026-03-06T05:03:52Z"
	writeLines(t, filepath.Join(dir, "tie", "b.ndjson"),
		[]string{signInLine("same", at, "eve@contoso.example", "5.5.5.5", "NL",
			"Authenticated SMTP", 50126)})
	writeLines(t, filepath.Join(dir, "tie", "a.ndjson"),
		[]string{signInLine("same", at, "eve@contoso.example", "5.5.5.5", "NL",
			"Authenticated SMTP", 0)})
	writeLines(t, filepath.Join(dir, "z.ndjson"), []string{
		signInLine("z2", "2026-03-07T10:00:00Z", "zed@contoso.example", "7.7.7.7", "FR",
			"Browser", 0),
		signInLine("z1", "2026-03-07T09:00:00Z", "zed@contoso.example", "7.7.7.7", "FR",
			"Browser", 0)})

	p := func(parts ...string) string { return filepath.Join(append([]string{dir}, parts...)...) }
	for _, tc := range []struct {
		name             string
		streamed, sorted []string
	}{
		{"address placed later, newest first", []string{p("facts", "in-order.ndjson")},
			[]string{p("facts", "newest-first.ndjson")}},
		{"address placed later, shuffled", []string{p("facts", "in-order.ndjson")},
			[]string{p("facts", "ru-first.ndjson")}},
		{"one sign-in in two files", []string{p("tie", "b.ndjson"), p("tie", "a.ndjson")},
			[]string{p("tie", "b.ndjson"), p("tie", "a.ndjson"), p("z.ndjson")}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			code, want, errOut := execute(t, append([]string{"hunt", "--format", "ndjson"},
				tc.streamed...)...)
			if code != 0 || strings.Contains(errOut, "sorting it on disk") {
				t.Fatalf("streamed: exit %d, or sorted:\n%s", code, errOut)
			}
			code, got, errOut := execute(t, append([]string{"hunt", "--format", "ndjson",
				"--sort-memory", "1", "--temp-dir", t.TempDir()}, tc.sorted...)...)
			if code != 0 || !strings.Contains(errOut, "sorting it on disk") {
				t.Fatalf("sorted: exit %d, or not sorted:\n%s", code, errOut)
			}
			got = regexp.MustCompile(`(?m)^.*"user":"zed@.*\n`).ReplaceAllString(got, "")
			if got != want {
				t.Errorf("streamed:\n%s\nsorted:\n%s", want, got)
			}
		})
	}
}

// riskLine is a Graph riskDetection tied to sign-in request.
func riskLine(id, at, upn, ip, request, typ string) string {
	return fmt.Sprintf(`{"id":%q,"requestId":%q,"riskEventType":%q,"riskState":"atRisk",`+
		`"riskLevel":"high","detectionTimingType":"offline","activity":"signin",`+
		`"ipAddress":%q,"activityDateTime":%q,"detectedDateTime":"2026-03-09T00:00:00Z",`+
		`"lastUpdatedDateTime":"2026-03-09T00:00:00Z","userId":"id-%s",`+
		`"userPrincipalName":%q}`, id, request, typ, ip, at, upn, upn)
}

// TestHuntRiskDetectionOrder hunts sign-ins in time order beside risk
// detections written newest first, as a pull of the detections gives
// them: the detections make hunt sort the input, and the alerts are those
// of the detections in time order. With the rule that reads them
// disabled, they are passed over and the input is streamed.
func TestHuntRiskDetectionOrder(t *testing.T) {
	dir := t.TempDir()
	var signIns, risks []string
	for i := range 4 {
		at := fmt.Sprintf("2026-03-0%dT10:00:00Z", 2+i)
		upn := fmt.Sprintf("u%d@contoso.example", i)
		signIns = append(signIns, signInLine(fmt.Sprint("s", i), at, upn, "45.9.9."+fmt.Sprint(i),
			"NL", "Browser", 0))
		risks = append(risks, riskLine(fmt.Sprint("r", i), at, upn, "45.9.9."+fmt.Sprint(i),
			fmt.Sprint("s", i), "anomalousToken"))
	}
	writeLines(t, filepath.Join(dir, "signins.ndjson"), signIns)
	writeLines(t, filepath.Join(dir, "ordered", "risk.ndjson"), risks)
	writeLines(t, filepath.Join(dir, "pulled", "risk.ndjson"), reversedLines(risks))
	off := filepath.Join(dir, "off.yaml")
	if err := os.WriteFile(off, []byte("ENTRA-RISK-DETECTION-SUCCESS:\n  enabled: false\n"),
		0o644); err != nil {
		t.Fatal(err)
	}

	for _, tc := range []struct {
		name   string
		args   []string
		sorted bool
		alerts int
	}{
		{"in time order", []string{filepath.Join(dir, "ordered")}, false, 4},
		{"newest first", []string{filepath.Join(dir, "pulled")}, true, 4},
		{"rule disabled", []string{"--rules", off, filepath.Join(dir, "pulled")}, false, 0},
	} {
		t.Run(tc.name, func(t *testing.T) {
			args := append([]string{"hunt", "--format", "ndjson", "--temp-dir", t.TempDir(),
				filepath.Join(dir, "signins.ndjson")}, tc.args...)
			code, out, errOut := execute(t, args...)
			if code != 0 {
				t.Fatalf("exit %d: %s", code, errOut)
			}
			if got := strings.Contains(errOut, "sorting it on disk"); got != tc.sorted {
				t.Errorf("sorted %v, want %v:\n%s", got, tc.sorted, errOut)
			}
			n := strings.Count(out, `"rule":"ENTRA-RISK-DETECTION-SUCCESS"`)
			if n != tc.alerts || n > 0 && !strings.Contains(out, `"severity":"critical"`) {
				t.Errorf("%d critical risk-detection alerts, want %d:\n%s", n, tc.alerts, out)
			}
		})
	}
}
