package ipintel

import (
	"context"
	"fmt"
	"net/http"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/idtriage/idtriage/internal/entra"
)

// caseAddrs are addresses of a small case: a baseline address a sign-in
// placed, an audit-only address, an attacker address, a private address
// and an IPv6 one.
var caseAddrs = []string{"186.2.128.14", "186.2.128.77", "103.106.24.57", "10.0.0.5",
	"2a02:cf40::1", "not-an-ip"}

func caseTable() *Table {
	t := New()
	t.AddSignIn(&entra.SignIn{IPRaw: "186.2.128.14", ASN: 27884,
		Location: entra.Location{Country: "hn", City: "Tegucigalpa"}})
	return t
}

func knownNetsFile(t testing.TB) string {
	return writeFile(t, "nets.csv", []byte("cidr,name,trusted\n"+
		"186.2.128.0/26,Home office,true\n10.0.0.0/16,Office LAN,true\n"))
}

func TestResolveOfflineSources(t *testing.T) {
	r := Open(context.Background(), Config{KnownNetworks: knownNetsFile(t),
		CityDBs: []string{testCityDB(t)}, ASNDBs: []string{testASNDB(t)}})
	defer r.Close()
	tab := caseTable()
	rep := r.Resolve(context.Background(), tab, caseAddrs)

	tests := []struct {
		ip                                  string
		country, placeSrc                   string
		asn                                 int
		asName, netSrc                      string
		tenant                              string
		hosting, likelyVPN, reserved, trust bool
	}{
		{"186.2.128.14", "HN", SourceSignIn, 27884, "Example Cable Honduras", "asn.mmdb",
			"Home office", false, false, false, true},
		{"186.2.128.77", "HN", "city.mmdb", 27884, "Example Cable Honduras", "asn.mmdb",
			"", false, false, false, false},
		{"103.106.24.57", "BD", "city.mmdb", 9009, "M247 Europe SRL", "asn.mmdb",
			"", true, true, false, false},
		{"10.0.0.5", "", "", 0, "", "", "Office LAN", false, false, true, true},
		{"2a02:cf40::1", "DK", "city.mmdb", 0, "", "", "", false, false, false, false},
	}
	for _, tt := range tests {
		t.Run(tt.ip, func(t *testing.T) {
			f := tab.Lookup(tt.ip)
			got := fmt.Sprint(f.Country, f.PlaceSource, f.ASN, f.ASName, f.NetworkSource,
				f.Tenant, f.IsHosting, f.LikelyVPN, f.Reserved, f.TenantTrusted)
			want := fmt.Sprint(tt.country, tt.placeSrc, tt.asn, tt.asName, tt.netSrc,
				tt.tenant, tt.hosting, tt.likelyVPN, tt.reserved, tt.trust)
			if got != want {
				t.Errorf("facts\n got %s\nwant %s\n(%+v)", got, want, f)
			}
			if tt.likelyVPN && (f.HostingSource != SourceBuiltin || f.Anonymizer()) {
				t.Errorf("built-in list: %+v", f)
			}
		})
	}

	if rep.Addresses != 5 || rep.Reserved != 1 || len(rep.Failed()) != 0 {
		t.Errorf("report: %+v", rep)
	}
	states := map[string]string{}
	for _, s := range rep.Sources {
		states[s.Kind] = s.State
	}
	want := map[string]string{KindKnownNetworks: StateOK, KindCityDB: StateOK,
		KindASNDB: StateOK, KindIPDataAPI: StateOff, KindBuiltinList: StateOK}
	if fmt.Sprint(states) != fmt.Sprint(want) {
		t.Errorf("states = %v, want %v", states, want)
	}
}

func TestResolveLiveAndCache(t *testing.T) {
	srv := newFakeIPData(t)
	srv.Handle = func(w http.ResponseWriter, r *http.Request, ip string, n int64) {
		if ip == "103.106.24.57" {
			fmt.Fprint(w, ipdataBody(ip, "BD", 64500, "hosting", 99))
			return
		}
		fmt.Fprint(w, ipdataBody(ip, "HN", 27884, "isp", 0))
	}
	live := srv.liveConfig()
	live.CachePath = filepath.Join(t.TempDir(), "cache.sqlite")
	cfg := Config{CityDBs: []string{testCityDB(t)}, ASNDBs: []string{testASNDB(t)},
		IPData: live}

	// An IPData file already answers for 186.2.128.77: it is not asked.
	withFile := func() *Table {
		tab := caseTable()
		tab.AddIPInfo(&entra.IPInfo{IP: "186.2.128.77", CountryCode: "HN", ASN: 27884,
			ASType: "isp", Provider: SourceIPData})
		return tab
	}
	tab := withFile()
	r := Open(context.Background(), cfg)
	rep := r.Resolve(context.Background(), tab, caseAddrs)
	r.Close()

	asked := srv.Asked()
	slices.Sort(asked)
	if want := []string{"103.106.24.57", "186.2.128.14", "2a02:cf40::1"}; !slices.Equal(asked,
		want) {
		t.Errorf("asked the API about %v, want %v (never the reserved or the known)", asked,
			want)
	}
	vpn := tab.Lookup("103.106.24.57")
	if !vpn.Anonymizer() || vpn.ScoreSource != SourceIPDataAPI || vpn.LikelyVPN ||
		vpn.PlaceSource != "city.mmdb" || vpn.NetworkSource != SourceIPDataAPI {
		t.Errorf("the API's answer should own scores and network, the database the place: %+v",
			vpn)
	}
	if f := tab.Lookup("186.2.128.14"); f.PlaceSource != SourceSignIn || !f.Residential() {
		t.Errorf("sign-in place must survive the API: %+v", f)
	}
	api := sourceOf(rep, KindIPDataAPI)
	if api.State != StateOK || api.Asked != 3 || api.Answered != 3 || api.Cached != 0 {
		t.Errorf("API status: %+v", api)
	}

	// A second run, another process, same cache: nothing is asked again.
	r = Open(context.Background(), cfg)
	defer r.Close()
	before := srv.Requests.Load()
	tab2 := withFile()
	rep = r.Resolve(context.Background(), tab2, caseAddrs)
	if n := srv.Requests.Load() - before; n != 0 {
		t.Errorf("warm cache: %d requests, want 0", n)
	}
	if api := sourceOf(rep, KindIPDataAPI); api.Cached != 3 || api.Answered != 3 {
		t.Errorf("warm cache status: %+v", api)
	}
	if !tab2.Lookup("103.106.24.57").Anonymizer() {
		t.Error("cached answer lost the VPN score")
	}
}

func sourceOf(rep Report, kind string) SourceStatus {
	for _, s := range rep.Sources {
		if s.Kind == kind {
			return s
		}
	}
	return SourceStatus{}
}

// TestResolveFailingSources checks that each failure leaves the other
// sources answering and says, in the report, which source failed.
func TestResolveFailingSources(t *testing.T) {
	type setup struct {
		cfg Config
		srv fakeIPData
	}
	tests := []struct {
		name        string
		prepare     func(t *testing.T, s *setup)
		kind, state string
		gap         string // part of the coverage sentence
		maxRequests int64
	}{
		{"API rejects the key", func(t *testing.T, s *setup) {
			s.cfg.IPData.Key = "wrong"
		}, KindIPDataAPI, StateFailed, "IPData API (HTTP 401: the API key was rejected", 1},
		{"API quota used up", func(t *testing.T, s *setup) {
			s.srv.Handle = func(w http.ResponseWriter, _ *http.Request, _ string, _ int64) {
				w.WriteHeader(http.StatusForbidden)
			}
		}, KindIPDataAPI, StateFailed, "HTTP 403", 1},
		{"API rate limit outlasts the retries", func(t *testing.T, s *setup) {
			s.srv.Handle = func(w http.ResponseWriter, _ *http.Request, _ string, _ int64) {
				w.Header().Set("Retry-After", "0")
				w.WriteHeader(http.StatusTooManyRequests)
			}
		}, KindIPDataAPI, StateFailed, "HTTP 429: rate limited", 3 * 4},
		{"API server errors", func(t *testing.T, s *setup) {
			s.srv.Handle = func(w http.ResponseWriter, _ *http.Request, _ string, _ int64) {
				w.WriteHeader(http.StatusInternalServerError)
			}
		}, KindIPDataAPI, StateFailed, "3 addresses in a row failed", 3 * 4},
		{"API malformed JSON for one address", func(t *testing.T, s *setup) {
			s.srv.Handle = func(w http.ResponseWriter, _ *http.Request, ip string, _ int64) {
				if ip == "2a02:cf40::1" {
					fmt.Fprint(w, "{")
					return
				}
				fmt.Fprint(w, ipdataBody(ip, "HN", 27884, "isp", 0))
			}
		}, KindIPDataAPI, StatePartial, "1 of 4 addresses got no answer", 4},
		{"API hangs", func(t *testing.T, s *setup) {
			s.srv.Handle = func(w http.ResponseWriter, r *http.Request, _ string, _ int64) {
				<-r.Context().Done()
			}
			s.cfg.IPData.Timeout = 50 * time.Millisecond
		}, KindIPDataAPI, StateFailed, "no answer within 50ms", 3 * 4},
		{"API hangs past the budget", func(t *testing.T, s *setup) {
			s.srv.Handle = func(w http.ResponseWriter, r *http.Request, _ string, _ int64) {
				<-r.Context().Done()
			}
			s.cfg.IPData.Timeout, s.cfg.IPData.Budget = time.Second, 150*time.Millisecond
		}, KindIPDataAPI, StateFailed, "the time budget of 150ms for live lookups ran out",
			3 * 4},
		{"truncated city database", func(t *testing.T, s *setup) {
			good := buildMMDB(t, mmdbSpec{Type: "GeoLite2-City"})
			s.cfg.CityDBs = []string{writeFile(t, "city.mmdb", good[:len(good)-20])}
		}, KindCityDB, StateFailed, "city database city.mmdb (open city database", 4},
		{"missing ASN database", func(t *testing.T, s *setup) {
			s.cfg.ASNDBs = []string{filepath.Join(t.TempDir(), "GeoLite2-ASN.mmdb")}
		}, KindASNDB, StateFailed, "no address was looked up in it", 4},
		{"broken known-networks file", func(t *testing.T, s *setup) {
			s.cfg.KnownNetworks = writeFile(t, "nets.csv", []byte("10.0.0.0/8,x\n"))
		}, KindKnownNetworks, StateFailed, "nets.csv:1: 2 fields, want 3", 4},
		{"broken cache", func(t *testing.T, s *setup) {
			s.cfg.IPData.CachePath = writeFile(t, "cache.sqlite", []byte("garbage garbage"))
		}, KindIPDataCache, StateFailed, "", 4},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s := &setup{srv: newFakeIPData(t)}
			s.cfg = Config{CityDBs: []string{testCityDB(t)}, ASNDBs: []string{testASNDB(t)},
				IPData: s.srv.liveConfig()}
			tt.prepare(t, s)

			r := Open(context.Background(), s.cfg)
			defer r.Close()
			tab := caseTable()
			start := time.Now()
			rep := r.Resolve(context.Background(), tab, caseAddrs)
			if d := time.Since(start); d > 5*time.Second {
				t.Errorf("Resolve took %s", d)
			}

			if st := sourceOf(rep, tt.kind); st.State != tt.state || st.Error == "" {
				t.Errorf("%s status = %+v, want state %s with an error", tt.kind, st, tt.state)
			}
			gaps := strings.Join(rep.Gaps(), "\n")
			t.Logf("gaps: %s", gaps)
			if tt.gap == "" && gaps != "" {
				t.Errorf("gaps = %q, want none", gaps)
			}
			if !strings.Contains(gaps, tt.gap) || strings.Contains(gaps, testKey) {
				t.Errorf("gaps = %q, want them to contain %q", gaps, tt.gap)
			}
			if n := s.srv.Requests.Load(); n > tt.maxRequests {
				t.Errorf("server saw %d requests, want at most %d", n, tt.maxRequests)
			}
			// The sources that work still answered.
			if f := tab.Lookup("186.2.128.14"); f.PlaceSource != SourceSignIn {
				t.Errorf("sign-in place lost: %+v", f)
			}
			if tt.kind != KindCityDB && tab.Lookup("186.2.128.77").Country != "HN" {
				t.Error("the city database did not answer")
			}
		})
	}
}
