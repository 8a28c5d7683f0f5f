package main

import (
	"fmt"
	"io"
	"strings"
	"text/tabwriter"

	"github.com/idtriage/idtriage/internal/ipintel"
	"github.com/idtriage/idtriage/internal/jsonx"
	"github.com/idtriage/idtriage/internal/report"
)

// enrichResult is the JSON output of enrich. Field names are stable.
type enrichResult struct {
	Addresses []ipintel.Facts        `json:"addresses"`
	Sources   []ipintel.SourceStatus `json:"sources"`
}

func writeEnrichJSON(w io.Writer, facts []ipintel.Facts, rep ipintel.Report) error {
	b, err := jsonx.MarshalIndent(enrichResult{Addresses: facts, Sources: rep.Sources})
	if err != nil {
		return fmt.Errorf("encode enrich output: %w", err)
	}
	_, err = w.Write(b)
	return err
}

// writeEnrichTable prints one row per address, then how each source
// fared. Every value that came from a database or the API is cleaned of
// terminal control codes.
func writeEnrichTable(w io.Writer, facts []ipintel.Facts, rep ipintel.Report) error {
	tw := tabwriter.NewWriter(w, 0, 4, 2, ' ', 0)
	fmt.Fprintln(tw, "ADDRESS\tPLACE\tNETWORK\tASSESSMENT")
	for _, f := range facts {
		fmt.Fprintf(tw, "%s\t%s\t%s\t%s\n", f.IP, report.Clean(placeText(f)),
			report.Clean(networkText(f)), report.Clean(assessment(f)))
	}
	fmt.Fprintln(tw)
	fmt.Fprintln(tw, "SOURCE\tSTATE\tANSWERED\tNOTE")
	for _, s := range rep.Sources {
		name := s.Kind
		if s.Name != s.Kind {
			name += " " + s.Name
		}
		counts := "-"
		if s.State != ipintel.StateOff {
			counts = fmt.Sprintf("%d of %d", s.Answered, s.Asked)
			if s.Cached > 0 {
				counts += fmt.Sprintf(" (%d cached)", s.Cached)
			}
		}
		fmt.Fprintf(tw, "%s\t%s\t%s\t%s\n", name, s.State, counts,
			report.Clean(sourceNote(s)))
	}
	return tw.Flush()
}

func placeText(f ipintel.Facts) string { return orDash(f.Place()) }

func networkText(f ipintel.Facts) string { return orDash(f.Network()) }

func orDash(s string) string {
	if s == "" {
		return "-"
	}
	return s
}

// assessment lists what marks the address, each with its source.
func assessment(f ipintel.Facts) string {
	var parts []string
	if f.Reserved {
		parts = append(parts, "reserved: "+f.ReservedRange+" ("+ipintel.SourceReserved+")")
	}
	if f.Tenant != "" {
		t := "tenant network " + f.Tenant
		if f.TenantTrusted {
			t += ", trusted"
		}
		parts = append(parts, t+" ("+f.TenantSource+")")
	}
	if f.ScoreSource != "" {
		s := fmt.Sprintf("VPN score %d, proxy score %d", f.VPNScore, f.ProxyScore)
		for _, m := range []struct {
			on   bool
			name string
		}{{f.IsTor, "Tor"}, {f.IsVPN, "VPN"}, {f.IsProxy, "proxy"}, {f.IsHosting, "hosting"}} {
			if m.on {
				s += ", " + m.name
			}
		}
		parts = append(parts, s+" ("+f.ScoreSource+")")
	}
	switch {
	case f.LikelyVPN:
		parts = append(parts, "likely anonymizer: VPN exit network ("+f.HostingSource+")")
	case f.HostingSource != "":
		parts = append(parts, "hosting network ("+f.HostingSource+")")
	}
	if len(parts) == 0 {
		return "no VPN, proxy or hosting data"
	}
	return strings.Join(parts, "; ")
}

func sourceNote(s ipintel.SourceStatus) string {
	switch {
	case s.Error != "":
		return s.Error
	case s.State != ipintel.StateOff:
		return ""
	case s.Kind == ipintel.KindIPDataAPI:
		return "set " + envIPDataKey + " to ask it"
	case s.Kind == ipintel.KindCityDB:
		return "--geoip-db or " + envGeoIPDB
	case s.Kind == ipintel.KindASNDB:
		return "--asn-db or " + envASNDB
	case s.Kind == ipintel.KindKnownNetworks:
		return "--known-networks or " + envKnownNetworks
	}
	return ""
}
