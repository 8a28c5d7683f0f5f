package ipintel

import (
	"context"
	"fmt"
	"net/http"
	"net/netip"
	"strings"
	"testing"
	"time"
)

func TestIPDataClient(t *testing.T) {
	hn := ipdataBody("186.2.128.77", "HN", 27884, "isp", 0)
	tests := []struct {
		name     string
		key      string
		handle   handler
		requests int64           // requests the server should see
		waits    []time.Duration // waits the client should ask for; nil: any backoff
		wantErr  string          // "" for success
	}{
		{name: "answer", handle: body(hn), requests: 1, waits: []time.Duration{}},
		{name: "401 rejected key", key: "wrong", requests: 1, waits: []time.Duration{},
			wantErr: `HTTP 401: the API key was rejected ` +
				`("You have not provided a valid API Key.")`},
		{name: "403 quota", handle: status(http.StatusForbidden, `{"message":`+
			`"You have either exceeded your quota or that API key does not exist."}`),
			requests: 1, waits: []time.Duration{},
			wantErr: "HTTP 403: the quota is used up or the key does not exist"},
		{name: "429 with Retry-After, then an answer",
			handle: func(w http.ResponseWriter, r *http.Request, n int64) {
				if n == 1 {
					w.Header().Set("Retry-After", "7")
					w.WriteHeader(http.StatusTooManyRequests)
					return
				}
				fmt.Fprint(w, hn)
			}, requests: 2, waits: []time.Duration{7 * time.Second}},
		{name: "429 asking for too long a wait",
			handle: func(w http.ResponseWriter, r *http.Request, n int64) {
				w.Header().Set("Retry-After", "3600")
				w.WriteHeader(http.StatusTooManyRequests)
			}, requests: 1, waits: []time.Duration{},
			wantErr: "HTTP 429: rate limited (retry after 1h0m0s); not retried: the wait is " +
				"longer than 10s"},
		{name: "500 then an answer", handle: func(w http.ResponseWriter, r *http.Request, n int64) {
			if n < 3 {
				w.WriteHeader(http.StatusInternalServerError)
				return
			}
			fmt.Fprint(w, hn)
		}, requests: 3},
		{name: "500 every time", handle: status(http.StatusInternalServerError, "oops"),
			requests: 3, wantErr: "HTTP 500: server error"},
		{name: "502 with a message", handle: status(http.StatusBadGateway,
			`{"message":"upstream\nfailed"}`), requests: 3,
			wantErr: `HTTP 502: server error ("upstream failed")`},
		{name: "malformed JSON", handle: body(`{"ip":"186.2.128.77","asn":{`),
			requests: 1, waits: []time.Duration{}, wantErr: "HTTP 200 but malformed JSON"},
		{name: "HTML instead of JSON", handle: body(`<html>maintenance</html>`),
			requests: 1, waits: []time.Duration{}, wantErr: "HTTP 200 but malformed JSON"},
		{name: "answer for another address",
			handle:   body(ipdataBody("8.8.8.8", "US", 15169, "hosting", 0)),
			requests: 1, waits: []time.Duration{},
			wantErr: "answer is for 8.8.8.8, not 186.2.128.77"},
		{name: "hanging server", handle: func(_ http.ResponseWriter, r *http.Request, _ int64) {
			<-r.Context().Done() // hangs until the client gives up
		}, requests: 3, wantErr: "no answer within 200ms"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			srv := newFakeIPData(t)
			if tt.handle != nil {
				srv.Handle = func(w http.ResponseWriter, r *http.Request, ip string, n int64) {
					tt.handle(w, r, n)
				}
			}
			var waits []time.Duration
			c := srv.testClient(&waits)
			if tt.key != "" {
				c.key = Secret(tt.key)
			}

			info, err := c.lookup(context.Background(), netip.MustParseAddr("186.2.128.77"))
			switch {
			case tt.wantErr == "" && err != nil:
				t.Fatalf("lookup: %v", err)
			case tt.wantErr != "" && (err == nil || !strings.Contains(err.Error(), tt.wantErr)):
				t.Fatalf("lookup error = %v, want it to contain %q", err, tt.wantErr)
			case err != nil && strings.Contains(err.Error(), testKey):
				t.Fatalf("the error shows the API key: %v", err)
			case err == nil && (info.CountryCode != "HN" || info.ASN != 27884 ||
				info.Provider != SourceIPDataAPI):
				t.Errorf("info = %+v", info)
			}
			if got := srv.Requests.Load(); got != tt.requests {
				t.Errorf("server saw %d requests, want %d", got, tt.requests)
			}
			if tt.waits != nil && fmt.Sprint(waits) != fmt.Sprint(tt.waits) {
				t.Errorf("waits = %v, want %v", waits, tt.waits)
			}
		})
	}
}

// handler answers the n-th request of a test.
type handler = func(w http.ResponseWriter, r *http.Request, n int64)

func status(code int, text string) handler {
	return func(w http.ResponseWriter, _ *http.Request, _ int64) {
		w.WriteHeader(code)
		fmt.Fprint(w, text)
	}
}

func body(text string) handler { return status(http.StatusOK, text) }

func TestIPDataBackoffGrows(t *testing.T) {
	srv := newFakeIPData(t)
	srv.Handle = func(w http.ResponseWriter, r *http.Request, ip string, n int64) {
		w.WriteHeader(http.StatusServiceUnavailable)
	}
	var waits []time.Duration
	c := srv.testClient(&waits)
	c.backoff, c.retries = 100*time.Millisecond, 3
	if _, err := c.lookup(context.Background(), netip.MustParseAddr("186.2.128.77")); err == nil {
		t.Fatal("no error from a failing server")
	}
	if len(waits) != 3 {
		t.Fatalf("waits = %v, want 3", waits)
	}
	for i, w := range waits {
		lo := 100 * time.Millisecond << i
		if w < lo || w > lo+lo/4 {
			t.Errorf("wait %d = %s, want between %s and %s", i, w, lo, lo+lo/4)
		}
	}
}

func TestRetryAfter(t *testing.T) {
	now := time.Date(2026, 11, 18, 9, 0, 0, 0, time.UTC)
	tests := []struct {
		header string
		want   time.Duration
	}{
		{"", 0},
		{"12", 12 * time.Second},
		{"-5", 0},
		{"Wed, 18 Nov 2026 09:00:30 GMT", 30 * time.Second},
		{"Wed, 18 Nov 2026 08:59:00 GMT", 0},
		{"soon", 0},
	}
	for _, tt := range tests {
		h := http.Header{}
		if tt.header != "" {
			h.Set("Retry-After", tt.header)
		}
		if got := retryAfter(h, now); got != tt.want {
			t.Errorf("retryAfter(%q) = %s, want %s", tt.header, got, tt.want)
		}
	}
}

func TestDecodeIPDataLenient(t *testing.T) {
	body := `{"ip":"2A02:CF40::1","country_code":"DK","latitude":"55.8","longitude":null,` +
		`"asn":{"asn":"AS9009","name":"M247","type":"hosting"},` +
		`"threat":{"is_vpn":"true","is_datacenter":true,"scores":{"vpn_score":"99"}}}`
	info, err := decodeIPData([]byte(body), netip.MustParseAddr("2a02:cf40::1"))
	if err != nil {
		t.Fatal(err)
	}
	if info.IP != "2a02:cf40::1" || info.Lat != 55.8 || info.ASN != 9009 || !info.IsVPN ||
		info.VPNScore != 99 || !info.IsDatacenter {
		t.Errorf("info = %+v", info)
	}
	for _, bad := range []string{`{"ip":"x"}`, `{"ip":"1.2.3.4","latitude":"north"}`, `[]`} {
		if _, err := decodeIPData([]byte(bad), netip.MustParseAddr("1.2.3.4")); err == nil {
			t.Errorf("decoded %s", bad)
		}
	}
}

func TestSecretNeverPrints(t *testing.T) {
	s := Secret(testKey)
	for _, out := range []string{fmt.Sprint(s), fmt.Sprintf("%v %s %#v", s, s, s),
		fmt.Sprintf("%+v", IPDataConfig{Key: s}), s.LogValue().String()} {
		if strings.Contains(out, testKey) {
			t.Errorf("the key printed: %s", out)
		}
	}
}
