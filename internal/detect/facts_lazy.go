package detect

// factsReader is a rule whose wants reads what an address's facts fill in
// (placeFacts: the country, coordinates, autonomous system, anonymizer
// reading and reserved range). mayWant is asked before the facts are
// placed and must hold wherever wants could hold once they are: the facts
// only fill what the record left empty, so it is wants without its
// conditions on those fields. Every other rule's wants reads none of them,
// and answers the same before and after (TestMayWantCoversWants).
type factsReader interface {
	mayWant(g *group, ev *event) bool
}

func (r *anonAdmin) mayWant(_ *group, ev *event) bool {
	return ev.kind == kindSignIn && ev.admin != "" && !ev.trusted && !ev.provider
}

func (r *riskyCountries) mayWant(_ *group, ev *event) bool {
	return ev.presence() && ev.atRisk && !ev.trusted
}

func (r *secInfo) mayWant(g *group, ev *event) bool {
	if ev.kind == kindSignIn {
		return ev.ip != ""
	}
	return r.wants(g, ev)
}

func (r *impossibleTravel) mayWant(_ *group, ev *event) bool {
	return ev.presence() && !ev.trusted
}

func (r *ssprUnlockFail) mayWant(g *group, ev *event) bool {
	if ev.kind == kindSignIn {
		return ev.presence() && ev.failed()
	}
	return r.wants(g, ev)
}

// probes returns, by scope, what tells of each enabled rule whether it may
// want a sign-in whose facts are not placed: mayWant for a factsReader,
// else wants itself.
func (en *Engine) probes() (p [scopeCount][]func(*group, *event) bool) {
	for s, rs := range en.scopes {
		for _, r := range rs {
			if fr, ok := r.(factsReader); ok {
				p[s] = append(p[s], fr.mayWant)
			} else {
				p[s] = append(p[s], r.wants)
			}
		}
	}
	return p
}

// takeFacts places ev's address facts where they are due, and reports
// whether a rule of g may want ev. An event takes its facts when first
// evaluated; but a sign-in whose facts nothing else reads (no user's
// history, no detection's request: lazyFacts) takes them only when it
// first reaches a group where a rule may want it, and reaches no rule
// before. Every group evaluates a sign-in in the same sweep, between the
// same two records read, so the facts it takes are the ones it would
// have taken first; and most sign-ins of a hunt with few rules take none,
// which cost a look-up of their address each.
func (en *Engine) takeFacts(g *group, ev *event) bool {
	if ev.kind != kindSignIn || !en.lazyFacts {
		if ev.seen == 0 {
			en.placeFacts(ev)
		}
		return true
	}
	if ev.placed {
		return true
	}
	for _, may := range en.mayWant[g.scope] {
		if may(g, ev) {
			en.placeFacts(ev)
			return true
		}
	}
	return false
}
