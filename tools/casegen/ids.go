package main

import (
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"math/rand/v2"
	"strings"
	"time"
)

// Kinds of identifier. Each case and kind has its own counter, so adding a
// record of one kind does not renumber the others.
const (
	kindEntity uint32 = iota // users, tenants, devices, apps, policies, groups
	kindSignIn               // sign-in ids
	kindCorr                 // correlation ids
	kindAudit                // audit correlation ids
)

// guid returns a GUID that reads as version 4, built from a namespace (the
// case number in the high half, the kind in the low half) and a counter. The
// shape makes it obvious in any report that the record is synthetic.
func guid(ns uint32, n uint64) string {
	return fmt.Sprintf("%08x-0000-4000-8000-%012x", ns, n)
}

// seq hands out the GUIDs of one namespace in order.
type seq struct {
	ns uint32
	n  uint64
}

func newSeq(caseNo int, kind uint32) *seq {
	return &seq{ns: uint32(caseNo)<<16 | kind}
}

func (s *seq) next() string {
	s.n++
	return guid(s.ns, s.n)
}

// ids groups the counters of one case.
type ids struct {
	entity, signIn, corr, audit *seq
}

func newIDs(caseNo int) ids {
	return ids{
		entity: newSeq(caseNo, kindEntity),
		signIn: newSeq(caseNo, kindSignIn),
		corr:   newSeq(caseNo, kindCorr),
		audit:  newSeq(caseNo, kindAudit),
	}
}

// jitter draws small deterministic variations (sub-second parts of times,
// processing times). It reads the PCG's raw output and reduces it itself, so
// the values depend only on the PCG algorithm, not on how math/rand turns
// numbers into ranges.
type jitter struct{ src *rand.PCG }

func newJitter(seed uint64) *jitter {
	return &jitter{src: rand.NewPCG(seed, 0x1d7a1a9e)}
}

// intn returns a value in [0, n).
func (j *jitter) intn(n int) int {
	return int(j.src.Uint64() % uint64(n))
}

// between returns a value in [lo, hi].
func (j *jitter) between(lo, hi int) int {
	return lo + j.intn(hi-lo+1)
}

// subsecond returns t plus a random fraction of a second, in whole
// 100-nanosecond ticks as Entra writes them.
func (j *jitter) subsecond(t time.Time) time.Time {
	return t.Add(time.Duration(j.intn(10_000_000)) * 100)
}

// hexID returns a 64-hex-digit identifier derived from key, the shape of
// Identity Protection detection ids.
func hexID(key string) string {
	sum := sha256.Sum256([]byte(key))
	return hex.EncodeToString(sum[:])
}

// token returns an n-character upper-case code derived from key, for the
// middle part of directory audit ids ("SSPR_<corr>_<token>_<number>").
func token(key string, n int) string {
	const alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789"
	sum := sha256.Sum256([]byte(key))
	var b strings.Builder
	for i := 0; i < n; i++ {
		b.WriteByte(alphabet[int(sum[i])%len(alphabet)])
	}
	return b.String()
}

// number returns a decimal number of up to eight digits derived from key.
func number(key string) uint32 {
	sum := sha256.Sum256([]byte("n:" + key))
	return (uint32(sum[0])<<24 | uint32(sum[1])<<16 | uint32(sum[2])<<8 | uint32(sum[3])) % 100_000_000
}

// Time layouts met in exports (research/data-notes.md, section 2.3).
const (
	// Graph createdDateTime and activityDateTime: seven fraction digits, Z.
	layoutGraph = "2006-01-02T15:04:05.0000000Z"
	// Whole seconds, Z: Graph authentication steps and PowerShell exports.
	layoutSeconds = "2006-01-02T15:04:05Z"
	// Log Analytics CSV cells: seven fraction digits and no zone (the
	// column header says [UTC]).
	layoutLACSV = "2006-01-02T15:04:05.0000000"
)

// stamp formats t in UTC with layout.
func stamp(t time.Time, layout string) string {
	return t.UTC().Format(layout)
}

// stampOffset formats t as the Event Hub properties do: seven fraction
// digits and an explicit +00:00 offset.
func stampOffset(t time.Time) string {
	return strings.TrimSuffix(stamp(t, layoutGraph), "Z") + "+00:00"
}

// at parses "2006-01-02 15:04:05" as UTC; it panics on a typo, which the
// test run catches at once.
func at(s string) time.Time {
	t, err := time.Parse("2006-01-02 15:04:05", s)
	if err != nil {
		panic(err)
	}
	return t
}

// ptr returns a pointer to v, for the nullable fields of the schemas.
func ptr[T any](v T) *T { return &v }
