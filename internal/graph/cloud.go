package graph

import (
	"fmt"
	"net/url"
	"slices"
	"strings"
)

// Cloud is one Microsoft cloud: where Microsoft Graph answers and where
// Microsoft Entra ID issues its tokens. National clouds have their own
// hosts for both.
type Cloud struct {
	// GraphHost is the Graph endpoint, scheme and host only, for example
	// "https://graph.microsoft.com".
	GraphHost string
	// LoginHost is the Entra ID authority host, for example
	// "https://login.microsoftonline.com".
	LoginHost string
}

// Clouds are the Microsoft clouds by the name the --cloud flag takes.
var Clouds = map[string]Cloud{
	"global":    {"https://graph.microsoft.com", "https://login.microsoftonline.com"},
	"usgov":     {"https://graph.microsoft.us", "https://login.microsoftonline.us"},
	"usgov-dod": {"https://dod-graph.microsoft.us", "https://login.microsoftonline.us"},
	"china":     {"https://microsoftgraph.chinacloudapi.cn", "https://login.chinacloudapi.cn"},
}

// CloudNames lists the keys of Clouds in a stable order, for help texts.
func CloudNames() []string {
	names := make([]string, 0, len(Clouds))
	for n := range Clouds {
		names = append(names, n)
	}
	slices.Sort(names)
	return names
}

// microsoftLoginHosts are the authority hosts Microsoft runs. Entra ID's
// instance discovery works only against them; for any other host (a test
// server, Azure Stack) it must be turned off, or MSAL would ask
// login.microsoftonline.com about a host it does not know.
var microsoftLoginHosts = []string{
	"login.microsoftonline.com", "login.microsoft.com", "login.windows.net",
	"login.microsoftonline.us", "login.chinacloudapi.cn", "login.partner.microsoftonline.cn",
}

func isMicrosoftLoginHost(host string) bool {
	u, err := url.Parse(host)
	return err == nil && slices.Contains(microsoftLoginHosts, strings.ToLower(u.Hostname()))
}

// normaliseHost checks that h is an https URL with a host and nothing
// after it, and returns it without a trailing slash.
func normaliseHost(name, h string) (string, error) {
	u, err := url.Parse(strings.TrimRight(h, "/"))
	if err != nil || u.Scheme != "https" || u.Host == "" || (u.Path != "" && u.Path != "/") ||
		u.RawQuery != "" || u.User != nil {
		return "", fmt.Errorf("%s %q: want https://host with nothing after the host", name, h)
	}
	return u.Scheme + "://" + u.Host, nil
}
