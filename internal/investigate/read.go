package investigate

import (
	"errors"
	"fmt"
	"log/slog"
	"os"
	"slices"

	"github.com/idtriage/idtriage/internal/detect"
	"github.com/idtriage/idtriage/internal/entra"
	"github.com/idtriage/idtriage/internal/ingest"
)

// Log keys, the ones package ingest logs files under.
const (
	logKeyPath   = "path"
	logKeyReason = "reason"
)

// ErrNotRereadable is returned by ReadUser when an input cannot be read
// twice (a pipe, a terminal, a device): the caller reads it whole instead.
var ErrNotRereadable = errors.New("input cannot be read twice")

// ReadOptions configures ReadUser. The zero value works.
type ReadOptions struct {
	// Logger receives what ingest.Stream logs of the second pass (a line
	// per file at Debug, skipped files at Warn, the summary at Info); the
	// first and third log nothing, so each file is reported once. Nil
	// discards logging.
	Logger *slog.Logger
	// Redaction keeps what report.Redact learns names from; see
	// Tenant.RedactionSet.
	Redaction bool
}

// ReadUser reads the input for the case of one user in streamed passes, so
// that memory grows with the user's records rather than with the input.
// Run over the Set and Tenant it returns (Config.Tenant) gives the case Run
// gives over ingest.Read's Set.
//
// The first pass decodes lean: the ties between principal names and object
// ids, the people present, per user key the addresses, applications and
// time span of its sign-ins, and which sign-in and audit ids repeat. The
// user is then known (UnknownUserError otherwise). The second pass decodes
// fully and keeps the user's sign-ins and audit events and every risk
// detection, risky user, user profile and IP-intelligence record; it learns
// the Tenant from every sign-in and audit event. Rows whose id repeats are
// held until the end, merged as Set.Finish merges them, and then taken as
// one record. Run reads the input a third time, lean, for the sign-ins
// around the user's that the spray rules read (Tenant.around), rather than
// holding them: they are most of the tenant's over the user's days when the
// user's applications are everyone's.
//
// The Set carries the file reports, problems and warnings of the second
// pass, which decodes every field as ingest.Read does but of other users'
// sign-ins, which it reads lean (so their odd values in fields the report
// never reads raise no warning; see keeper.options), and the duplicates
// and merged rows of the whole input. A file that cannot be opened is
// reported and left out, as ingest.Read does (its report comes first); a
// file that changes between the passes stops the read with an error. It returns
// ErrNotRereadable, having read nothing, when a path is not a regular file
// or a folder.
func ReadUser(paths []string, user string, opts ReadOptions) (*ingest.Set, *Tenant, error) {
	files, bad, err := ingest.Walk(paths)
	if err != nil {
		return nil, nil, err
	}
	for _, f := range files {
		info, err := os.Stat(f)
		if err == nil && !info.Mode().IsRegular() {
			return nil, nil, fmt.Errorf("read %s: %w", f, ErrNotRereadable)
		}
	}
	files = openable(files, bad)
	stamped := stampFiles(files)

	// ingest.Stream leaves out what cannot be read; ingest.Read logs it.
	if opts.Logger != nil {
		for _, f := range bad.Files {
			opts.Logger.Warn("file skipped", logKeyPath, f.Path, logKeyReason, f.Reason)
		}
	}

	c := newCensus()
	lean := ingest.Options{Lean: true, Fields: entra.FieldBase | entra.FieldApp | entra.FieldKind}
	first, err := ingest.Stream(files, lean, func(r ingest.Record) error {
		c.record(r)
		return nil
	})
	if err != nil {
		return nil, nil, fmt.Errorf("read for %s, first pass: %w", user, err)
	}
	c.settle()
	present := c.present()
	key, err := chooseKey(c.dir, present, user)
	if unknown, ok := err.(*UnknownUserError); ok && len(present) == 0 {
		unknown.Files = append(slices.Clone(bad.Files), first.Files...)
	}
	if err != nil {
		return nil, nil, err
	}
	who := c.dir.identity(key)

	k := keeper{c: c, who: who, around: c.around(who), t: newTenant(c.dir, present),
		held: &ingest.Set{}, split: &ingest.Set{}}
	c.spans = nil
	k.t.files, k.t.twice, k.t.seed = files, c.twice, c.seed
	if opts.Redaction {
		k.t.redact = newRedactionRecords()
	}
	k.t.stamps = stamped
	sum, err := ingest.Stream(files, k.options(opts), k.record)
	if err != nil {
		return nil, nil, fmt.Errorf("read for %s, second pass: %w", user, err)
	}
	if err := stamped.check(files); err != nil {
		return nil, nil, err
	}
	set := k.finish()
	set.Files = append(bad.Files, sum.Files...)
	set.Problems = append(bad.Problems, sum.Problems...)
	set.Warnings = sum.Warnings
	return set, k.t, nil
}

// openable returns the files that can be opened, and reports the others
// in bad as ingest.Read reports a file it cannot read.
func openable(files []string, bad *ingest.Set) []string {
	var ok []string
	for _, f := range files {
		h, err := os.Open(f)
		if err != nil {
			bad.Unreadable(f, err.Error())
			continue
		}
		h.Close()
		ok = append(ok, f)
	}
	return ok
}

// tenantFields are the groups of sign-in fields Tenant learns from (the
// address's place, network and trust, the resource reached, whether a
// person or a service signed in); the second pass reads the other sign-ins
// with only these.
const tenantFields = entra.FieldBase | entra.FieldCountry | entra.FieldCoords |
	entra.FieldASN | entra.FieldApp | entra.FieldNetwork | entra.FieldKind

// options are the second pass's: the user's sign-ins, and those whose id
// repeats (merged before anything is learnt from them), are read whole;
// the others lean, with the fields Tenant learns from, which costs about a
// sixth less CPU over a large export. Redaction learns names from every
// field of every record, so it reads all of them whole.
func (k *keeper) options(opts ReadOptions) ingest.Options {
	o := ingest.Options{Logger: opts.Logger}
	if k.t.redact != nil {
		return o
	}
	o.Lean, o.Fields = true, tenantFields
	o.Whole = func(s *entra.SignIn) bool {
		return k.c.repeated(ingest.KindSignIn, s.ID) ||
			k.who.owns(s.UserID, s.UserPrincipalName)
	}
	return o
}

// keeper is the second pass of ReadUser.
type keeper struct {
	c      *census
	who    identity
	around *reach
	t      *Tenant
	// held is what the case keeps; split holds the rows whose id repeats
	// until they are merged.
	held, split *ingest.Set
}

func (k *keeper) record(r ingest.Record) error {
	switch r.Kind {
	case ingest.KindSignIn:
		if k.c.repeated(ingest.KindSignIn, r.SignIn.ID) {
			k.split.SignIns = append(k.split.SignIns, *r.SignIn)
		} else {
			k.signIn(r.SignIn)
		}
	case ingest.KindAudit:
		if k.c.repeated(ingest.KindAudit, r.Audit.ID) {
			k.split.Audits = append(k.split.Audits, *r.Audit)
		} else {
			k.audit(r.Audit)
		}
	case ingest.KindRisk:
		k.held.Risks = append(k.held.Risks, *r.Risk)
	case ingest.KindRiskyUser:
		k.held.RiskyUsers = append(k.held.RiskyUsers, *r.RiskyUser)
	case ingest.KindUser:
		k.held.Users = append(k.held.Users, *r.User)
	case ingest.KindIPInfo:
		k.held.IPs = append(k.held.IPs, *r.IP)
	}
	return nil
}

// signIn learns from one merged sign-in and keeps it when it is the
// user's.
func (k *keeper) signIn(s *entra.SignIn) {
	k.t.signIn(s)
	if !s.IsServicePrincipal() && k.who.owns(s.UserID, s.UserPrincipalName) {
		k.held.SignIns = append(k.held.SignIns, *s)
	}
}

// aroundFields are the groups of sign-in fields the streamed read decodes
// of the sign-ins around the user's (Tenant.around): what the spray rules
// read (see runRules), what tells a person from a service (FieldKind) and
// what aroundUser picks by (FieldApp).
var aroundFields = detect.FieldsFor(detect.DefaultParams(),
	detect.Options{Scopes: []string{"address", "application"}}) |
	entra.FieldBase | entra.FieldKind | entra.FieldApp

// lean returns a copy of s with only the fields of FieldBase and of the
// groups f names (see entra.Fields), and its position, which orders it in
// a Set.
func lean(s *entra.SignIn, f entra.Fields) entra.SignIn {
	c := entra.SignIn{ID: s.ID, OriginalRequestID: s.OriginalRequestID, Time: s.Time,
		TimeApprox: s.TimeApprox, UserID: s.UserID, UserPrincipalName: s.UserPrincipalName,
		IP: s.IP, IPRaw: s.IPRaw, ErrorCode: s.ErrorCode, HasCode: s.HasCode, Rows: s.Rows,
		Pos: s.Pos}
	if f.Has(entra.FieldCountry) {
		c.Location.Country = s.Location.Country
	}
	if f.Has(entra.FieldCoords) {
		c.Location.City, c.Location.Lat, c.Location.Lon = s.Location.City, s.Location.Lat,
			s.Location.Lon
		c.Location.HasCoords = s.Location.HasCoords
	}
	if f.Has(entra.FieldASN) {
		c.ASN = s.ASN
	}
	if f.Has(entra.FieldApp) {
		c.AppID, c.AppDisplayName = s.AppID, s.AppDisplayName
		c.ResourceDisplayName, c.ClientAppUsed = s.ResourceDisplayName, s.ClientAppUsed
	}
	if f.Has(entra.FieldAgent) {
		c.UserAgent = s.UserAgent
	}
	if f.Has(entra.FieldDevice) {
		c.Device.ID, c.Device.IsCompliant, c.Device.IsManaged = s.Device.ID,
			s.Device.IsCompliant, s.Device.IsManaged
	}
	if f.Has(entra.FieldNetwork) {
		c.NetworkNames, c.TrustedNetwork = s.NetworkNames, s.TrustedNetwork
	}
	if f.Has(entra.FieldAuth) {
		c.AuthSteps, c.AdditionalDetails = s.AuthSteps, s.AdditionalDetails
		c.AuthProtocol, c.AuthProtocolRaw = s.AuthProtocol, s.AuthProtocolRaw
	}
	if f.Has(entra.FieldKind) {
		c.IsInteractive, c.EventTypes, c.Source = s.IsInteractive, s.EventTypes, s.Source
		c.ServicePrincipalID = s.ServicePrincipalID
	}
	if f.Has(entra.FieldRisk) {
		c.RiskLevelDuringSignIn, c.RiskLevelAggregated = s.RiskLevelDuringSignIn,
			s.RiskLevelAggregated
		c.RiskState = s.RiskState
	}
	if f.Has(entra.FieldRiskTypes) {
		c.RiskEventTypes = s.RiskEventTypes
	}
	return c
}

// audit learns from one audit event and keeps it when it concerns the user.
func (k *keeper) audit(a *entra.Audit) {
	k.t.audits++
	if k.t.redact != nil {
		k.t.redact.audit(a)
	}
	if k.who.concerns(a) {
		k.held.Audits = append(k.held.Audits, *a)
	}
}

// finish merges the rows whose id repeats, takes what they give, and
// finishes the held Set with the whole input's duplicate and merge counts.
func (k *keeper) finish() *ingest.Set {
	k.split.Finish()
	for i := range k.split.SignIns {
		s := &k.split.SignIns[i]
		k.signIn(s)
		if k.around.holds(s) {
			k.t.split = append(k.t.split, lean(s, aroundFields))
		}
	}
	for i := range k.split.Audits {
		k.audit(&k.split.Audits[i])
	}
	k.held.Finish()
	// Every sign-in and audit event held has an id no other row has, or
	// is merged already, so the held Set's own counts are those of the
	// risk, user and IP records, which it holds whole.
	k.held.Duplicates += k.split.Duplicates
	k.held.Merged += k.split.Merged
	if k.t.redact != nil {
		k.t.redactSet = k.t.redact.set(k.held)
		k.t.redact = nil
	}
	return k.held
}
