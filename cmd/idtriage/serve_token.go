package main

import (
	"context"
	"errors"
	"fmt"
	"io"

	"github.com/spf13/cobra"

	"github.com/idtriage/idtriage/internal/server"
	"github.com/idtriage/idtriage/internal/store"
)

// newServeToken manages API tokens directly in the store, for the first
// analysts and for a lost admin token.
func newServeToken(fl *serveFlags, stdout, stderr io.Writer) *cobra.Command {
	cmd := &cobra.Command{
		Use:   "token",
		Short: "Add, list or delete API tokens in the case store",
	}
	var role string
	add := &cobra.Command{
		Use:   "add NAME",
		Short: "Add a token and print its secret once",
		Args:  cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			if !store.Role(role).Valid() {
				return &usageError{fmt.Errorf("--role %q is not reader, analyst or admin",
					role)}
			}
			return withServeStore(cmd, fl, stderr, func(ctx context.Context,
				st store.Store) error {
				sec, err := server.AddToken(ctx, st, args[0], store.Role(role))
				if errors.Is(err, store.ErrExists) {
					return fmt.Errorf("token %s exists; delete it first", args[0])
				}
				if err != nil {
					return err
				}
				_, err = fmt.Fprintln(stdout, sec.Reveal())
				return err
			})
		},
	}
	add.Flags().StringVar(&role, "role", "reader", "reader, analyst or admin")

	list := &cobra.Command{
		Use:   "list",
		Short: "List token names and roles (never the secrets)",
		Args:  cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			return withServeStore(cmd, fl, stderr, func(ctx context.Context,
				st store.Store) error {
				toks, err := st.Tokens(ctx)
				for _, t := range toks {
					fmt.Fprintf(stdout, "%s\t%s\t%s\n", t.Name, t.Role,
						t.Created.Format("2006-01-02"))
				}
				return err
			})
		},
	}
	del := &cobra.Command{
		Use:   "delete NAME",
		Short: "Delete a token; requests with it are refused at once",
		Args:  cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			return withServeStore(cmd, fl, stderr, func(ctx context.Context,
				st store.Store) error {
				return st.DeleteToken(ctx, args[0])
			})
		},
	}
	cmd.AddCommand(add, list, del)
	return cmd
}

// withServeStore opens the store the serve flags name, runs fn, closes it.
func withServeStore(cmd *cobra.Command, fl *serveFlags, stderr io.Writer,
	fn func(context.Context, store.Store) error) error {
	if err := fl.resolve(cmd); err != nil {
		return err
	}
	log, err := newLogger(stderr, fl.logFormat, fl.verbose)
	if err != nil {
		return err
	}
	st, err := openServeStore(cmd.Context(), *fl, log)
	if err != nil {
		return err
	}
	defer st.Close()
	return fn(cmd.Context(), st)
}
