package main

import (
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"slices"
	"text/tabwriter"

	"github.com/spf13/cobra"

	"github.com/idtriage/idtriage/internal/detect"
)

// newRules is `idtriage rules`: list, export and print the defaults of the
// detection rules hunt and investigate run.
func newRules(stdout io.Writer) *cobra.Command {
	var rulesFile string
	cmd := &cobra.Command{
		Use:   "rules",
		Short: "List, export or print the parameters of the detection rules",
		Long: `Rules shows the detection rules that hunt runs over a tenant and that
investigate reports as detection opportunities.

  idtriage rules list                     every rule, its ATT&CK mapping and severity
  idtriage rules export --format sigma    Sigma rules and correlation rules
  idtriage rules export --format kql      Microsoft Sentinel queries
  idtriage rules defaults                 the parameter file, to copy and edit`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error { return cmd.Help() },
	}
	cmd.PersistentFlags().StringVar(&rulesFile, "rules", "", "FILE of rule parameters "+
		"over the defaults")
	cmd.AddCommand(newRulesList(stdout, &rulesFile), newRulesExport(stdout, &rulesFile),
		newRulesDefaults(stdout))
	return cmd
}

func newRulesList(stdout io.Writer, rulesFile *string) *cobra.Command {
	var format string
	cmd := &cobra.Command{
		Use:   "list",
		Short: "List every rule with its ATT&CK technique, tactic and severity",
		Args:  cobra.NoArgs,
		RunE: func(*cobra.Command, []string) error {
			if !slices.Contains([]string{"table", "json"}, format) {
				return &usageError{fmt.Errorf("--format %q is not one of table, json",
					format)}
			}
			p, err := loadParams(*rulesFile)
			if err != nil {
				return err
			}
			return listRules(stdout, detect.Rules(p), format)
		},
	}
	cmd.Flags().StringVarP(&format, "format", "f", "table", "output format: table or json")
	return cmd
}

func listRules(w io.Writer, rules []detect.Meta, format string) error {
	if format == "json" {
		enc := json.NewEncoder(w)
		enc.SetIndent("", "  ")
		return enc.Encode(rules)
	}
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
	fmt.Fprintln(tw, "RULE\tSEVERITY\tTECHNIQUE\tTACTIC\tSCOPE\tENABLED\tTITLE")
	for _, m := range rules {
		on := "yes"
		if !m.Enabled {
			on = "no"
		}
		fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%s\t%s\t%s\n", m.ID, m.Severity, m.Technique,
			m.Tactic, m.Scope, on, m.Title)
	}
	return tw.Flush()
}

func newRulesExport(stdout io.Writer, rulesFile *string) *cobra.Command {
	var format string
	cmd := &cobra.Command{
		Use:   "export --format sigma|kql",
		Short: "Write the enabled rules as Sigma (YAML) or Microsoft Sentinel KQL",
		Args:  cobra.NoArgs,
		RunE: func(*cobra.Command, []string) error {
			switch format {
			case "sigma", "kql":
			case "":
				return &usageError{errors.New("--format is required: sigma or kql")}
			default:
				return &usageError{fmt.Errorf("--format %q is not one of sigma, kql", format)}
			}
			p, err := loadParams(*rulesFile)
			if err != nil {
				return err
			}
			if format == "sigma" {
				return detect.ExportSigma(stdout, p)
			}
			return detect.ExportKQL(stdout, p)
		},
	}
	cmd.Flags().StringVarP(&format, "format", "f", "", "sigma or kql (required)")
	return cmd
}

func newRulesDefaults(stdout io.Writer) *cobra.Command {
	return &cobra.Command{
		Use:   "defaults",
		Short: "Print the default rule parameters, documented, as a --rules file",
		Args:  cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			if cmd.Flags().Changed("rules") {
				return &usageError{errors.New("rules defaults prints the built-in " +
					"parameters and takes no --rules file; use rules list --rules FILE to " +
					"see a file's effect")}
			}
			_, err := stdout.Write(detect.DefaultsYAML())
			return err
		},
	}
}
