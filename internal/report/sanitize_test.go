package report

import (
	"testing"
)

func TestClean(t *testing.T) {
	tests := []struct{ name, in, want string }{
		{"plain", "Azure Portal", "Azure Portal"},
		{"escape sequence", "ok\x1b[31mred\x1b[0m", "ok[31mred[0m"},
		{"c1 csi", "a\u009b2Jb", "a2Jb"},
		{"bidi override", "evil\u202Egpj.exe", "evilgpj.exe"},
		{"newlines", "line1\nline2\r\n", "line1 line2  "},
		{"accents kept", "São Paulo, München", "São Paulo, München"},
		{"isolate", "adm\u2066in\u2069@x", "admin@x"},
		{"zero width", "ad\u200Bmin\uFEFF", "admin"},
		{"line separators", "a\u2028b\u2029c\u0085d", "a b cd"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := Clean(tt.in); got != tt.want {
				t.Errorf("Clean(%q) = %q, want %q", tt.in, got, tt.want)
			}
		})
	}
}

func TestMD(t *testing.T) {
	tests := []struct{ name, in, want string }{
		{"plain", "Tegucigalpa", "Tegucigalpa"},
		{"script", "<script>alert(1)</script>", `\<script\>alert(1)\</script\>`},
		{"image", `"><img src=x onerror=alert(1)>`, `"\>\<img src=x onerror=alert(1)\>`},
		{"link", "[click](http://evil.example)", `\[click\](http://evil.example)`},
		{"table break", "a | b", `a \| b`},
		{"emphasis", "*bold* _it_", `\*bold\* \_it\_`},
		{"entity", "&lt;", `\&lt;`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := MD(tt.in); got != tt.want {
				t.Errorf("MD(%q) = %q, want %q", tt.in, got, tt.want)
			}
		})
	}
}

func TestCode(t *testing.T) {
	if got := Code("a`b"); got != "``a`b``" {
		t.Errorf("Code = %q", got)
	}
	if got := Code("`x"); got != "`` `x ``" {
		t.Errorf("Code = %q", got)
	}
}

func TestStripUnsafe(t *testing.T) {
	in := "{\"a\": \"x\\u001b[2J\u009by\u202Ez\u007f\\n\\\\u001b\"}"
	got := string(stripUnsafe([]byte(in)))
	want := "{\"a\": \"x[2Jyz\\n\\\\u001b\"}"
	if got != want {
		t.Errorf("stripUnsafe(%q) = %q, want %q", in, got, want)
	}
}
