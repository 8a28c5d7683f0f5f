package detect

// countryTexts holds one string for each code of two upper-case letters,
// "AA" to "ZZ", in order.
var countryTexts = func() (t [26 * 26]string) {
	for i := range t {
		t[i] = string([]byte{byte('A' + i/26), byte('A' + i%26)})
	}
	return t
}()

// countryText returns c, a country code, as the one string every event of
// that country shares when it is two upper-case letters, else c itself.
// An event's code otherwise points into its record's text: comparing it
// with an older event's code (a user's recent places) read that record's
// memory, long out of the cache, where shared strings compare equal by
// their pointers alone.
func countryText(c string) string {
	if len(c) == 2 && 'A' <= c[0] && c[0] <= 'Z' && 'A' <= c[1] && c[1] <= 'Z' {
		return countryTexts[int(c[0]-'A')*26+int(c[1]-'A')]
	}
	return c
}
