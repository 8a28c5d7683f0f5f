package detect

import (
	"slices"
	"strings"

	"github.com/idtriage/idtriage/internal/entra"
)

// maxFolds bounds each cache of names, and maxMemoKey the length of a
// name it keeps; past them names are worked out on every use, so a hostile
// input (thousands of distinct megabyte-long user agents) cannot grow
// memory through them. Real agents are a few hundred bytes.
const (
	maxFolds   = 4096
	maxMemoKey = 2048
)

// memo remembers a function's answers for up to maxFolds distinct names.
type memo[V any] struct {
	known map[string]V
	of    func(string) V
}

func newMemo[V any](of func(string) V) memo[V] {
	return memo[V]{known: map[string]V{}, of: of}
}

// get returns m.of(s), from the cache when it can. What it keeps is a
// copy of s: s may share memory with the rest of its record, which the
// cache would otherwise keep alive.
func (m memo[V]) get(s string) V {
	if v, ok := m.known[s]; ok {
		return v
	}
	if len(m.known) >= maxFolds || len(s) > maxMemoKey {
		return m.of(s)
	}
	s = strings.Clone(s)
	v := m.of(s)
	m.known[s] = v
	return v
}

// lexicon matches the names rules look for (administrative resources,
// legacy clients and flows) against a sign-in's names, and case-folds the
// names and ids met in records. Lists are folded once, and the names met
// in records (a few hundred applications and clients in a tenant) are
// folded once each, and each user agent is lower-cased and searched once:
// a long agent on every sign-in cost about a sixth of the engine's
// instructions, and lower-casing ids and principal names a tenth.
type lexicon struct {
	folds     memo[string]
	lower     memo[string]      // application and device ids, lower case
	upns      memo[string]      // principal names, as entra.NormalizeUPN
	byAgent   memo[string]      // user agent -> "user agent " and the configured agent, or ""
	byName    memo[resource]    // application or resource name -> what it folds to in resources
	isClient  memo[bool]        // client app -> whether it folds to one of clients
	resources map[string]string // folded name -> configured name
	clients   map[string]bool
	// protocols are the configured flows, folded and as configured; a
	// later one of the same fold replaces an earlier. A sign-in names a
	// flow more often than not, and a list of one or two is read faster
	// than a map is probed.
	protocols [][2]string
	agents    [][2]string // lower case, as configured
}

func newLexicon(p Params) *lexicon {
	l := &lexicon{folds: newMemo(entra.Fold), lower: newMemo(strings.ToLower),
		upns: newMemo(entra.NormalizeUPN), resources: map[string]string{},
		clients: map[string]bool{}}
	l.byAgent = newMemo(l.agent)
	l.byName = newMemo(func(n string) resource {
		r, ok := l.resources[entra.Fold(n)]
		return resource{r, ok}
	})
	l.isClient = newMemo(func(c string) bool { return l.clients[entra.Fold(c)] })
	for _, r := range p.AnonymizerAdmin.Resources {
		l.resources[entra.Fold(r)] = r
	}
	for _, c := range p.LegacyAuth.ClientApps {
		l.clients[entra.Fold(c)] = true
	}
	for _, pr := range p.LegacyAuth.Protocols {
		l.protocols = slices.DeleteFunc(l.protocols, func(p [2]string) bool {
			return p[0] == entra.Fold(pr)
		})
		l.protocols = append(l.protocols, [2]string{entra.Fold(pr), pr})
	}
	for _, ua := range p.LegacyAuth.UserAgents {
		if ua != "" {
			l.agents = append(l.agents, [2]string{strings.ToLower(ua), ua})
		}
	}
	return l
}

// resource is the configured administrative resource a name folds to, if
// ok.
type resource struct {
	name string
	ok   bool
}

// fold returns entra.Fold(s), from the cache when it can.
func (l *lexicon) fold(s string) string { return l.folds.get(s) }

// lowerID returns strings.ToLower(s): s itself when it holds only ASCII
// and no upper-case letter, as the ids Entra writes do, else the cache's
// answer. Looking every application and device id up cost a map probe per
// sign-in, and a tenant with more devices than the cache holds lower-cased
// them again each time.
func (l *lexicon) lowerID(s string) string {
	if hasUpperOrWide(s) {
		return l.lower.get(s)
	}
	return s
}

// admin returns the administrative resource a sign-in aimed at, by its
// application or resource display name, or "".
func (l *lexicon) admin(s *entra.SignIn) string {
	for _, n := range []string{s.AppDisplayName, s.ResourceDisplayName} {
		if n == "" {
			continue
		}
		if r := l.byName.get(n); r.ok {
			return r.name
		}
	}
	return ""
}

// legacy names the legacy client or password-only flow a sign-in used, or
// "".
func (l *lexicon) legacy(s *entra.SignIn) string {
	if s.ClientAppUsed != "" && l.isClient.get(s.ClientAppUsed) {
		return s.ClientAppUsed
	}
	for _, pr := range l.protocols {
		if s.AuthProtocol == pr[0] && s.AuthProtocol != "" {
			return "protocol " + pr[1]
		}
	}
	if len(l.agents) > 0 && s.UserAgent != "" {
		return l.byAgent.get(s.UserAgent)
	}
	return ""
}

// agent names the configured legacy agent a user agent contains, or "".
func (l *lexicon) agent(ua string) string {
	ua = strings.ToLower(ua)
	for _, a := range l.agents {
		if strings.Contains(ua, a[0]) {
			return "user agent " + a[1]
		}
	}
	return ""
}
