package ipintel

import (
	"strings"
	"testing"
)

// TestIPDataURLScheme: the API key travels in the query, so plain http is
// refused but for a loopback address (a local mock); https is taken
// anywhere (a tryout's finding: http to any host was accepted).
func TestIPDataURLScheme(t *testing.T) {
	for url, ok := range map[string]bool{
		"https://api.ipdata.co":      true,
		"https://eu-api.ipdata.co":   true,
		"http://127.0.0.1:8080":      true,
		"http://localhost:9000/":     true,
		"http://[::1]:9000":          true,
		"http://api.ipdata.co":       false,
		"http://192.0.2.10:8080":     false,
		"http://localhost.evil.test": false,
		"ftp://api.ipdata.co":        false,
	} {
		err := Config{IPData: IPDataConfig{BaseURL: url}}.Validate()
		if (err == nil) != ok {
			t.Errorf("%s: error %v, want accepted %v", url, err, ok)
		}
		if err != nil && strings.HasPrefix(url, "http://") && !strings.Contains(err.Error(),
			"use https") {
			t.Errorf("%s: error %q does not say to use https", url, err)
		}
	}
}
