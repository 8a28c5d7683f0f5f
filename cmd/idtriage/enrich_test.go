package main

import (
	"encoding/json"
	"fmt"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/maxmind/mmdbwriter/mmdbtype"

	"github.com/idtriage/idtriage/internal/ipintel/ipinteltest"
)

// TestMain clears the IP-intelligence environment so that no test of this
// package reads a developer's databases or sends addresses to IPData with
// a real key; the tests that need a variable set it themselves.
func TestMain(m *testing.M) {
	for _, v := range []string{envIPDataKey, envGeoIPDB, envASNDB, envKnownNetworks,
		envIPDataURL, envIPDataCache} {
		os.Unsetenv(v)
	}
	os.Exit(m.Run())
}

// enrichSources are the offline sources of the enrich tests.
func enrichSources(t *testing.T) []string {
	nets := ipinteltest.WriteFile(t, "nets.csv", []byte("cidr,name,trusted\n"+
		"186.2.128.0/26,Home office,true\n10.0.0.0/16,Office LAN,false\n"))
	return []string{"--geoip-db", ipinteltest.CityDB(t), "--asn-db", ipinteltest.ASNDB(t),
		"--known-networks", nets}
}

func TestEnrichTable(t *testing.T) {
	args := append([]string{"enrich"}, enrichSources(t)...)
	code, out, errOut := execute(t, append(args, "186.2.128.14", "103.106.24.57",
		"::ffff:10.0.0.5", "2a02:cf40::1")...)
	if code != 0 {
		t.Fatalf("exit %d: %s", code, errOut)
	}
	for _, want := range []string{
		"Tegucigalpa (approximate), Honduras (city.mmdb)",
		"AS27884 Example Cable Honduras (asn.mmdb)",
		"tenant network Home office, trusted (nets.csv)",
		"AS9009 M247 Europe SRL (asn.mmdb)",
		"likely anonymizer: VPN exit network (built-in list)",
		"10.0.0.5", "reserved: 10.0.0.0/8 private network, RFC 1918 (reserved range); " +
			"tenant network Office LAN (nets.csv)",
		"Give (approximate), Denmark (city.mmdb)",
		"IPData API", "set IPDATA_API_KEY to ask it",
	} {
		if !strings.Contains(out, want) {
			t.Errorf("output lacks %q:\n%s", want, out)
		}
	}
}

func TestEnrichJSON(t *testing.T) {
	args := append([]string{"enrich", "--format", "json"}, enrichSources(t)...)
	code, out, errOut := execute(t, append(args, "103.106.24.57", "103.106.24.57")...)
	if code != 0 {
		t.Fatalf("exit %d: %s", code, errOut)
	}
	var got struct {
		Addresses []map[string]any
		Sources   []struct{ Name, Kind, State string }
	}
	if err := json.Unmarshal([]byte(out), &got); err != nil {
		t.Fatalf("not JSON: %v\n%s", err, out)
	}
	if len(got.Addresses) != 1 {
		t.Fatalf("want one address (duplicates folded), got %d", len(got.Addresses))
	}
	a := got.Addresses[0]
	want := map[string]any{"ip": "103.106.24.57", "country": "BD", "placeSource": "city.mmdb",
		"asn": 9009.0, "networkSource": "asn.mmdb", "isHosting": true, "likelyVpn": true,
		"hostingSource": "built-in list"}
	for k, v := range want {
		if a[k] != v {
			t.Errorf("%s = %v, want %v", k, a[k], v)
		}
	}
	if len(got.Sources) != 5 || got.Sources[3].Kind != "IPData API" ||
		got.Sources[3].State != "off" {
		t.Errorf("sources = %+v", got.Sources)
	}
}

func TestEnrichUsageErrors(t *testing.T) {
	tests := []struct {
		name string
		args []string
		want string
	}{
		{"no address", nil, "enrich needs at least one IP address"},
		{"not an address", []string{"186.2.128.77", "bad", "1.2.3"}, `not an IP address: "bad"`},
		{"bad format", []string{"--format", "md", "1.1.1.1"}, `--format "md"`},
		{"bad timeout", []string{"--ipdata-timeout", "0s", "1.1.1.1"}, "must be positive"},
		{"bad retries", []string{"--ipdata-retries", "-1", "1.1.1.1"}, "zero or more"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			code, _, errOut := execute(t, append([]string{"enrich"}, tt.args...)...)
			if code != exitUsage || !strings.Contains(errOut, tt.want) {
				t.Errorf("exit %d, stderr %q; want %d and %q", code, errOut, exitUsage, tt.want)
			}
		})
	}
}

// liveArgs point enrich or investigate at a fake IPData server with a
// cache of the test's own.
func liveArgs(t *testing.T, srv *ipinteltest.IPData) []string {
	t.Setenv(envIPDataKey, ipinteltest.Key)
	return []string{"--ipdata-url", srv.URL, "--ipdata-timeout", "300ms",
		"--ipdata-retries", "1", "--ipdata-cache", filepath.Join(t.TempDir(), "ipdata.sqlite")}
}

func TestEnrichLive(t *testing.T) {
	srv := ipinteltest.NewIPData(t)
	srv.Handle = func(w http.ResponseWriter, _ *http.Request, ip string, _ int64) {
		fmt.Fprint(w, ipinteltest.Body(ip, "BD", 64500, "hosting", 99))
	}
	args := append([]string{"enrich"}, liveArgs(t, srv)...)
	args = append(args, "103.106.24.57", "192.168.1.10", "fd00::1", "100.64.0.1")

	for run := 1; run <= 2; run++ {
		code, out, errOut := execute(t, args...)
		if code != 0 {
			t.Fatalf("run %d: exit %d: %s", run, code, errOut)
		}
		if !strings.Contains(out, "VPN score 99, proxy score 0, VPN, hosting (IPData API)") {
			t.Errorf("run %d: no IPData answer:\n%s", run, out)
		}
		if strings.Contains(errOut, ipinteltest.Key) || strings.Contains(out, ipinteltest.Key) {
			t.Fatal("the API key was printed")
		}
	}
	// Reserved addresses are never sent, and the second run came from the
	// cache.
	if asked := srv.Asked(); len(asked) != 1 || asked[0] != "103.106.24.57" {
		t.Errorf("asked the API about %v, want only 103.106.24.57, once", asked)
	}

	// --offline keeps everything on the machine even with a key.
	code, _, _ := execute(t, "enrich", "--offline", "--ipdata-url", srv.URL, "8.8.8.8")
	if code != 0 || srv.Requests.Load() != 1 {
		t.Errorf("--offline: exit %d, %d requests", code, srv.Requests.Load())
	}
}

func TestEnrichFailingSourceStillAnswers(t *testing.T) {
	srv := ipinteltest.NewIPData(t)
	t.Setenv(envIPDataKey, "wrong-key")
	args := []string{"enrich", "--ipdata-url", srv.URL, "--ipdata-cache",
		filepath.Join(t.TempDir(), "c.sqlite"), "--geoip-db", ipinteltest.CityDB(t),
		"186.2.128.77", "103.106.24.57"}
	code, out, errOut := execute(t, args...)
	if code != exitError {
		t.Errorf("exit %d, want %d", code, exitError)
	}
	if !strings.Contains(out, "Tegucigalpa (approximate), Honduras (city.mmdb)") ||
		!strings.Contains(out, "HTTP 401: the API key was rejected") {
		t.Errorf("output should hold the database's answer and the API's failure:\n%s", out)
	}
	if !strings.Contains(errOut, "IP-intelligence sources did not work: IPData API") {
		t.Errorf("stderr = %s", errOut)
	}
	if n := srv.Requests.Load(); n != 1 {
		t.Errorf("a rejected key cost %d requests, want 1", n)
	}
}

func TestEnrichEnvironment(t *testing.T) {
	v4 := ipinteltest.WriteFile(t, "v4.mmdb", ipinteltest.MMDB(t, ipinteltest.Spec{
		Type: "city ipv4", IPVersion: 4, Records: map[string]mmdbtype.Map{
			"186.2.128.0/24": ipinteltest.FlatCity("HN", "Tegucigalpa", 14.1, -87.2)}}))
	v6 := ipinteltest.WriteFile(t, "v6.mmdb", ipinteltest.MMDB(t, ipinteltest.Spec{
		Type: "city ipv6", Records: map[string]mmdbtype.Map{
			"2a02:cf40::/32": ipinteltest.FlatCity("DK", "Give", 55.9, 9.3)}}))
	t.Setenv(envGeoIPDB, v4+string(os.PathListSeparator)+v6)

	code, out, errOut := execute(t, "enrich", "186.2.128.77", "2a02:cf40::1")
	if code != 0 || !strings.Contains(out, "Honduras (v4.mmdb)") ||
		!strings.Contains(out, "Denmark (v6.mmdb)") {
		t.Errorf("%s from the environment: exit %d\n%s%s", envGeoIPDB, code, out, errOut)
	}

	// A flag wins over the variable.
	code, out, _ = execute(t, "enrich", "--geoip-db", v6, "186.2.128.77")
	if code != 0 || strings.Contains(out, "v4.mmdb") {
		t.Errorf("--geoip-db should replace %s:\n%s", envGeoIPDB, out)
	}
}

func TestEnrichCleansHostileValues(t *testing.T) {
	db := ipinteltest.WriteFile(t, "evil.mmdb", ipinteltest.MMDB(t, ipinteltest.Spec{
		Type: "GeoLite2-City", Records: map[string]mmdbtype.Map{
			"186.2.128.0/24": ipinteltest.GeoLiteCity("HN",
				"Teguc\x1b[31migalpa\x1b]0;owned\x07\u202e", 14.1, -87.2)}}))
	code, out, _ := execute(t, "enrich", "--geoip-db", db, "186.2.128.77")
	if code != 0 || strings.ContainsAny(out, "\x1b\x07\u202e") ||
		!strings.Contains(out, "Honduras") {
		t.Errorf("exit %d, output not cleaned: %q", code, out)
	}
}

// TestInvestigateWithFailingSources runs the reference case with every
// kind of source, three of them broken: the investigation completes, the
// verdict is unchanged, and the coverage names each broken source.
func TestInvestigateWithFailingSources(t *testing.T) {
	srv := ipinteltest.NewIPData(t)
	srv.Handle = func(w http.ResponseWriter, _ *http.Request, _ string, _ int64) {
		w.WriteHeader(http.StatusInternalServerError)
	}
	good := ipinteltest.MMDB(t, ipinteltest.Spec{Type: "GeoLite2-ASN"})
	truncated := ipinteltest.WriteFile(t, "asn.mmdb", good[:len(good)/2])
	args := append([]string{"investigate", "--format", "json", "--geoip-db",
		ipinteltest.CityDB(t), "--asn-db", truncated, "--known-networks",
		filepath.Join(t.TempDir(), "missing.csv")}, liveArgs(t, srv)...)

	code, out, errOut := execute(t, append(args, example)...)
	if code != 0 {
		t.Fatalf("exit %d: %s", code, errOut)
	}
	var c struct {
		Verdict  struct{ Label, Confidence string }
		Coverage []string
	}
	if err := json.Unmarshal([]byte(out), &c); err != nil {
		t.Fatal(err)
	}
	if c.Verdict.Label != "True Positive - Blocked" || c.Verdict.Confidence != "high" {
		t.Errorf("verdict = %+v", c.Verdict)
	}
	cov := strings.Join(c.Coverage, "\n")
	for _, want := range []string{"ASN database asn.mmdb (open ASN database",
		"known networks missing.csv (read known networks"} {
		if !strings.Contains(cov, want) {
			t.Errorf("coverage lacks %q:\n%s", want, cov)
		}
	}
	// Every address of the example has an IPData file: the API is not asked.
	if n := srv.Requests.Load(); n != 0 {
		t.Errorf("the API was asked %d times about addresses the files answer", n)
	}
}

// exampleWithout copies the reference case without one of its files.
func exampleWithout(t *testing.T, skip string) string {
	t.Helper()
	dir := t.TempDir()
	entries, err := os.ReadDir(example)
	if err != nil {
		t.Fatal(err)
	}
	for _, e := range entries {
		if e.Name() == skip || e.IsDir() {
			continue
		}
		b, err := os.ReadFile(filepath.Join(example, e.Name()))
		if err != nil {
			t.Fatal(err)
		}
		writeFile(t, filepath.Join(dir, e.Name()), string(b))
	}
	return dir
}

// TestInvestigateLiveMatchesFiles serves the example's IPData responses
// from the fake API instead of a file: the verdict is the same, the
// sources say "IPData API", and an API that fails leaves a case that still
// completes and says so.
func TestInvestigateLiveMatchesFiles(t *testing.T) {
	answers := map[string]string{}
	raw, err := os.ReadFile(filepath.Join(example, "ipdata.ndjson"))
	if err != nil {
		t.Fatal(err)
	}
	for _, line := range strings.Split(strings.TrimSpace(string(raw)), "\n") {
		var a struct{ IP string }
		if err := json.Unmarshal([]byte(line), &a); err != nil {
			t.Fatal(err)
		}
		answers[a.IP] = line
	}
	dir := exampleWithout(t, "ipdata.ndjson")

	tests := []struct {
		name       string
		fail       bool
		confidence string
		want       string // in the JSON report
	}{
		{"API answers", false, "high", `"scoreSource": "IPData API"`},
		{"API fails", true, "", `IP intelligence source did not work: IPData API`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			srv := ipinteltest.NewIPData(t)
			srv.Handle = func(w http.ResponseWriter, _ *http.Request, ip string, _ int64) {
				if tt.fail {
					w.WriteHeader(http.StatusBadGateway)
					return
				}
				fmt.Fprint(w, answers[ip])
			}
			args := append([]string{"investigate", "--format", "json"}, liveArgs(t, srv)...)
			code, out, errOut := execute(t, append(args, dir)...)
			if code != 0 {
				t.Fatalf("exit %d: %s", code, errOut)
			}
			var c struct {
				Verdict struct{ Label, Confidence string }
			}
			if err := json.Unmarshal([]byte(out), &c); err != nil {
				t.Fatal(err)
			}
			if c.Verdict.Label != "True Positive - Blocked" ||
				(tt.confidence != "" && c.Verdict.Confidence != tt.confidence) {
				t.Errorf("verdict = %+v", c.Verdict)
			}
			if !strings.Contains(out, tt.want) {
				t.Errorf("report lacks %s", tt.want)
			}
			t.Logf("verdict %+v after %d requests", c.Verdict, srv.Requests.Load())
		})
	}
}
