package graph

import (
	"fmt"
	"log/slog"
)

// redacted is what a Secret shows wherever it is printed or logged.
const redacted = "[redacted]"

// Secret holds a client secret, a certificate password or an access token.
// It prints, formats, logs and encodes as "[redacted]", so that no code
// path can leak it by accident; only Reveal gives the value, for the one
// place that must send it. The zero value is the empty secret.
type Secret struct{ v string }

// NewSecret wraps s.
func NewSecret(s string) Secret { return Secret{s} }

// Reveal returns the value, for the credential that sends it.
func (s Secret) Reveal() string { return s.v }

// IsZero reports whether the secret is empty.
func (s Secret) IsZero() bool { return s.v == "" }

// String hides the value from fmt's %s and %v.
func (s Secret) String() string { return redacted }

// GoString hides the value from fmt's %#v.
func (s Secret) GoString() string { return redacted }

// Format hides the value from every other fmt verb.
func (s Secret) Format(f fmt.State, _ rune) { fmt.Fprint(f, redacted) }

// LogValue hides the value from log/slog, whatever the handler.
func (s Secret) LogValue() slog.Value { return slog.StringValue(redacted) }

// MarshalText hides the value from encoders, so that a Secret in a struct
// never reaches a file or a report.
func (s Secret) MarshalText() ([]byte, error) { return []byte(redacted), nil }
