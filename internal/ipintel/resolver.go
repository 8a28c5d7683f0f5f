package ipintel

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net/netip"
	"os"
	"path/filepath"
	"slices"
)

// Resolver asks the configured sources about addresses and writes what
// they say into a Table. A source that cannot be opened is reported by
// every Resolve, never returned as an error, so that an investigation
// always completes with the sources that work. Resolve may be called from
// one goroutine at a time; Close releases the files.
type Resolver struct {
	log *slog.Logger

	known     *knownNets // nil when no known-networks file is configured
	knownOpen error      // why the known-networks file could not be read
	knownBad  error      // the rows of the file left out, when others were read
	city      []*geoDB
	asn       []*geoDB
	broken    []SourceStatus // databases that could not be opened
	api       *liveLookups   // nil when no key is configured
}

// Open opens every configured source. It does not fail: what cannot be
// opened is logged and reported by Resolve.
func Open(ctx context.Context, cfg Config) *Resolver {
	log := cfg.Logger
	if log == nil {
		log = slog.New(slog.DiscardHandler)
	}
	r := &Resolver{log: log}

	if p := cfg.KnownNetworks; p != "" {
		nets, err := readKnownNetworks(p)
		r.known = newKnownNets(filepath.Base(p), nets)
		var rows *BadRowsError
		switch {
		case errors.As(err, &rows) && len(nets) > 0:
			for _, row := range rows.Rows {
				log.Warn("known-networks row skipped", keySource, filepath.Base(p),
					keyError, row.Error())
			}
			r.knownBad = err
		case err != nil:
			log.Warn("ip intelligence source unusable", keySource, filepath.Base(p),
				keyError, err.Error())
			r.knownOpen = err
		}
	}
	r.city = r.openDBs(cfg.CityDBs, dbCity, KindCityDB)
	r.asn = r.openDBs(cfg.ASNDBs, dbASN, KindASNDB)
	if cfg.IPData.Key != "" {
		r.api = openLive(ctx, cfg.IPData.withDefaults(), log)
	}
	return r
}

func readKnownNetworks(path string) ([]KnownNetwork, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, fmt.Errorf("read known networks: %w", err)
	}
	defer f.Close()
	return ParseKnownNetworks(f, path)
}

func (r *Resolver) openDBs(paths []string, kind, label string) []*geoDB {
	var out []*geoDB
	for _, p := range paths {
		db, err := openGeoDB(p, kind)
		if err != nil {
			r.log.Warn("ip intelligence source unusable", keySource, filepath.Base(p),
				keyError, err.Error())
			r.broken = append(r.broken, SourceStatus{Name: filepath.Base(p), Kind: label,
				openErr: err})
			continue
		}
		out = append(out, db)
	}
	return out
}

// Close releases the databases and the cache.
func (r *Resolver) Close() error {
	var errs []error
	for _, db := range slices.Concat(r.city, r.asn) {
		errs = append(errs, db.close())
	}
	if r.api != nil {
		errs = append(errs, r.api.close())
	}
	return errors.Join(errs...)
}

// Resolve asks the sources about every address in addrs (text that is not
// an address is skipped) and adds their answers to t, keeping what t
// already holds where it ranks higher (see the package documentation). It
// returns what each source did.
func (r *Resolver) Resolve(ctx context.Context, t *Table, addrs []string) Report {
	keys := canonical(addrs)
	b := r.newBook()
	rep := Report{Addresses: len(keys)}

	var public []netip.Addr
	for _, a := range keys {
		f := t.entry(a.String())
		// The tenant may name its private ranges too: the file never
		// leaves the machine.
		r.fillKnown(a, f, b)
		if f.Reserved {
			rep.Reserved++
			continue
		}
		public = append(public, a)
		r.fillDBs(a, f, b)
	}
	if r.api != nil {
		r.api.resolve(ctx, t, public, b.api, b.cache)
	}
	for _, a := range public {
		b.builtin.Asked++
		if t.entry(a.String()).applyBuiltin() {
			b.builtin.Answered++
		}
	}

	rep.Sources = b.list()
	for _, s := range rep.Failed() {
		if s.openErr == nil { // Open already said why the others failed
			r.log.Warn("ip intelligence source failed", keySource, s.Name, keyFailed,
				s.Failed, keyError, s.Error)
		}
	}
	r.log.Debug("ip intelligence resolved", keyCount, rep.Addresses, keyReserved,
		rep.Reserved)
	return rep
}

// fillKnown asks the known-networks file.
func (r *Resolver) fillKnown(a netip.Addr, f *Facts, b *book) {
	if r.known == nil || r.knownOpen != nil {
		return
	}
	b.known.Asked++
	if r.known.fill(a, f) {
		b.known.Answered++
	}
}

// fillDBs asks the city and ASN databases for what no earlier source
// knows.
func (r *Resolver) fillDBs(a netip.Addr, f *Facts, b *book) {
	if f.PlaceSource == "" {
		r.fillPlace(a, f, b)
	}
	if f.ASN == 0 || (f.ASName == "" && f.NetworkSource == SourceSignIn) {
		r.fillNetwork(a, f, b)
	}
}

func (r *Resolver) fillPlace(a netip.Addr, f *Facts, b *book) {
	for _, db := range r.city {
		if !db.covers(a) {
			continue
		}
		st := b.db[db]
		st.Asked++
		p, ok, err := db.lookupCity(a)
		if err != nil {
			st.fail(err)
			continue
		}
		if ok {
			st.Answered++
			f.Country, f.City, f.Lat, f.Lon = p.country, p.city, p.lat, p.lon
			f.HasCoords = p.lat != 0 || p.lon != 0
			f.PlaceSource = db.source
			return
		}
	}
}

// fillNetwork takes the database's network when no source gave one, or
// its name when a sign-in gave the same number without a name.
func (r *Resolver) fillNetwork(a netip.Addr, f *Facts, b *book) {
	for _, db := range r.asn {
		if !db.covers(a) {
			continue
		}
		st := b.db[db]
		st.Asked++
		asn, org, ok, err := db.lookupASN(a)
		if err != nil {
			st.fail(err)
			continue
		}
		if !ok || (f.ASN != 0 && f.ASN != asn) {
			continue
		}
		st.Answered++
		f.ASN, f.ASName, f.NetworkSource = asn, org, db.source
		return
	}
}

// canonical returns the distinct addresses of addrs in order, skipping
// text that is not an address.
func canonical(addrs []string) []netip.Addr {
	seen := make(map[netip.Addr]bool, len(addrs))
	var out []netip.Addr
	for _, raw := range addrs {
		a, err := netip.ParseAddr(Key(raw))
		if err != nil || seen[a] {
			continue
		}
		seen[a] = true
		out = append(out, a)
	}
	slices.SortFunc(out, netip.Addr.Compare)
	return out
}

// book keeps the status of every source during one Resolve.
type book struct {
	r       *Resolver
	known   *SourceStatus
	db      map[*geoDB]*SourceStatus
	api     *SourceStatus
	cache   *SourceStatus
	builtin *SourceStatus
}

func (r *Resolver) newBook() *book {
	b := &book{r: r, db: map[*geoDB]*SourceStatus{},
		builtin: &SourceStatus{Name: SourceBuiltin, Kind: KindBuiltinList}}
	if r.known != nil {
		b.known = &SourceStatus{Name: r.known.source, Kind: KindKnownNetworks,
			openErr: r.knownOpen, skipped: r.knownBad}
	}
	for _, db := range slices.Concat(r.city, r.asn) {
		kind := KindCityDB
		if db.kind == dbASN {
			kind = KindASNDB
		}
		b.db[db] = &SourceStatus{Name: db.source, Kind: kind}
	}
	if r.api != nil {
		b.api = &SourceStatus{Name: SourceIPDataAPI, Kind: KindIPDataAPI}
		if r.api.cachePath != "" {
			b.cache = &SourceStatus{Name: filepath.Base(r.api.cachePath), Kind: KindIPDataCache,
				openErr: r.api.cacheErr}
		}
	}
	return b
}

// list returns the statuses in the order the sources are asked, with the
// sources that are not configured marked off.
func (b *book) list() []SourceStatus {
	var out []SourceStatus
	add := func(s SourceStatus) {
		s.settle()
		out = append(out, s)
	}
	off := func(kind string) { add(SourceStatus{Name: kind, Kind: kind, State: StateOff}) }

	if b.known != nil {
		add(*b.known)
	} else {
		off(KindKnownNetworks)
	}
	for _, group := range []struct {
		kind string
		dbs  []*geoDB
	}{{KindCityDB, b.r.city}, {KindASNDB, b.r.asn}} {
		n := 0
		for _, db := range group.dbs {
			add(*b.db[db])
			n++
		}
		for _, s := range b.r.broken {
			if s.Kind == group.kind {
				add(s)
				n++
			}
		}
		if n == 0 {
			off(group.kind)
		}
	}
	if b.api != nil {
		add(*b.api)
		if b.cache != nil {
			add(*b.cache)
		}
	} else {
		off(KindIPDataAPI)
	}
	add(*b.builtin)
	return out
}
