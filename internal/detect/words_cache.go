package detect

import (
	"strings"

	"github.com/idtriage/idtriage/internal/entra"
)

// maxFolds bounds the cache of folded names; past it names are folded on
// every use, so a hostile input cannot grow memory through it.
const maxFolds = 4096

// lexicon matches the names rules look for (administrative resources,
// legacy clients and flows) against a sign-in's names. Lists are folded
// once, and the names met in records (a few hundred applications and
// clients in a tenant) are folded once each.
type lexicon struct {
	folds     map[string]string
	resources map[string]string // folded name -> configured name
	clients   map[string]bool
	protocols map[string]string
	agents    [][2]string // lower case, as configured
}

func newLexicon(p Params) *lexicon {
	l := &lexicon{folds: map[string]string{}, resources: map[string]string{},
		clients: map[string]bool{}, protocols: map[string]string{}}
	for _, r := range p.AnonymizerAdmin.Resources {
		l.resources[entra.Fold(r)] = r
	}
	for _, c := range p.LegacyAuth.ClientApps {
		l.clients[entra.Fold(c)] = true
	}
	for _, pr := range p.LegacyAuth.Protocols {
		l.protocols[entra.Fold(pr)] = pr
	}
	for _, ua := range p.LegacyAuth.UserAgents {
		if ua != "" {
			l.agents = append(l.agents, [2]string{strings.ToLower(ua), ua})
		}
	}
	return l
}

// fold returns entra.Fold(s), from the cache when it can.
func (l *lexicon) fold(s string) string {
	if f, ok := l.folds[s]; ok {
		return f
	}
	f := entra.Fold(s)
	if len(l.folds) < maxFolds {
		l.folds[s] = f
	}
	return f
}

// admin returns the administrative resource a sign-in aimed at, by its
// application or resource display name, or "".
func (l *lexicon) admin(s *entra.SignIn) string {
	for _, n := range []string{s.AppDisplayName, s.ResourceDisplayName} {
		if n == "" {
			continue
		}
		if r, ok := l.resources[l.fold(n)]; ok {
			return r
		}
	}
	return ""
}

// legacy names the legacy client or password-only flow a sign-in used, or
// "".
func (l *lexicon) legacy(s *entra.SignIn) string {
	if s.ClientAppUsed != "" && l.clients[l.fold(s.ClientAppUsed)] {
		return s.ClientAppUsed
	}
	if pr, ok := l.protocols[s.AuthProtocol]; ok && s.AuthProtocol != "" {
		return "protocol " + pr
	}
	if len(l.agents) > 0 && s.UserAgent != "" {
		ua := strings.ToLower(s.UserAgent)
		for _, a := range l.agents {
			if strings.Contains(ua, a[0]) {
				return "user agent " + a[1]
			}
		}
	}
	return ""
}
