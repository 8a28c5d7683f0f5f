package main

import (
	"net"
	"os"
	"strings"
	"testing"
)

// TestServeAddrFirst: a bad --addr is a usage error and a busy one an
// error, both before the service writes an admin token or opens its store
// (a tryout's case: a port of 99999 was refused after the token was
// written).
func TestServeAddrFirst(t *testing.T) {
	busy, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer busy.Close()

	for _, c := range []struct {
		addr string
		code int
	}{
		{"127.0.0.1:99999", exitUsage},
		{"not-an-address", exitUsage},
		{busy.Addr().String(), 1},
	} {
		data := t.TempDir()
		code, _, errOut := execute(t, "serve", "--addr", c.addr, "--data", data)
		if code != c.code || !strings.Contains(errOut, c.addr) {
			t.Errorf("--addr %s: exit %d, stderr %q; want %d naming the address", c.addr,
				code, errOut, c.code)
		}
		if left, _ := os.ReadDir(data); len(left) != 0 {
			t.Errorf("--addr %s: the data folder holds %d entries, want none", c.addr,
				len(left))
		}
	}
}
