// Command idtriage investigates Microsoft Entra ID identity alerts from
// exported logs and reaches a verdict, citing the records behind it.
//
// Exit status: 0 when the work was done, 1 on an error, 2 on a usage error
// (a bad flag, or an input where several users are present and nothing says
// which to investigate), 3 when hunt read no sign-in or audit.
package main

import (
	"context"
	"os"
	"os/signal"
	"syscall"
)

// main runs the program under a context that the first interrupt or
// termination signal cancels, so that a command can stop cleanly (hunt
// removes its temporary files); a second signal ends the process at once,
// for a command that does not stop.
func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	go func() {
		<-ctx.Done()
		stop()
	}()
	code := run(ctx, os.Args[1:], os.Stdout, os.Stderr)
	stop()
	os.Exit(code)
}
