package detect

// historyReader marks the rules that read their user's history
// (group.hist): the places, networks and autonomous systems of earlier
// successes, the recent countries of addresses, the account's creation.
// The engine keeps the histories only when an enabled rule is one: with
// none, learning from every sign-in of every user was work no alert could
// show. TestRuleAloneAsAmongAll fails for a rule that reads the history
// without the mark, as it then sees none when it runs alone.
type historyReader interface{ readsHistory() }

func (r *bruteForce) readsHistory()       {}
func (r *mfaFatigue) readsHistory()       {}
func (r *secInfo) readsHistory()          {}
func (r *impossibleTravel) readsHistory() {}
func (r *ssprUnlockFail) readsHistory()   {}

// readsHistory reports whether an enabled rule of any scope reads its
// user's history.
func (en *Engine) readsHistory() bool {
	for _, rs := range en.scopes {
		for _, r := range rs {
			if _, ok := r.(historyReader); ok {
				return true
			}
		}
	}
	return false
}
