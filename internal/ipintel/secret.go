package ipintel

import "log/slog"

// Secret is an API key. It prints and logs as "[redacted]" so that no
// format verb or log line can leak it; use string(s) where the key itself
// is needed.
type Secret string

// String returns "[redacted]", or "" for an empty key.
func (s Secret) String() string {
	if s == "" {
		return ""
	}
	return "[redacted]"
}

// GoString keeps %#v from printing the key.
func (s Secret) GoString() string { return s.String() }

// LogValue keeps slog from printing the key.
func (s Secret) LogValue() slog.Value { return slog.StringValue(s.String()) }
