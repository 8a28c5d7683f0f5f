// Package browsertest starts Debian's headless Chromium for the tests that
// look at a page as a person would (the HTML report, the service's page),
// and records what the page requested and which errors it logged. Only
// tests import it, so chromedp never reaches the binary.
package browsertest

import (
	"context"
	"os"
	"os/exec"
	"sync"
	"testing"

	"github.com/chromedp/cdproto/log"
	"github.com/chromedp/cdproto/network"
	"github.com/chromedp/cdproto/runtime"
	"github.com/chromedp/chromedp"
)

// Chromium returns the path of Debian's Chromium. Its absence fails the
// test under CI (CI=true), whose .ci/run installs it, and skips it elsewhere.
func Chromium(t testing.TB) string {
	t.Helper()
	for _, name := range []string{"chromium", "chromium-browser"} {
		if p, err := exec.LookPath(name); err == nil {
			return p
		}
	}
	if os.Getenv("CI") == "true" {
		t.Fatal("chromium is not installed; .ci/run installs Debian's chromium package")
	}
	t.Skip("chromium is not installed: apt-get install -y chromium to run the browser test")
	return ""
}

// Start launches headless Chromium with a fresh profile and a window of the
// given size, and returns a tab and the watch that records its traffic. The
// machine has no outside network; the flags also keep Chromium from trying
// (updates, sync, safe-browsing lists, first-run pages). Cleanup closes it.
func Start(t testing.TB, width, height int) (context.Context, *Watch) {
	t.Helper()
	alloc, cancelAlloc := chromedp.NewExecAllocator(context.Background(),
		chromedp.ExecPath(Chromium(t)), chromedp.Headless, chromedp.NoSandbox,
		chromedp.DisableGPU, chromedp.NoFirstRun,
		chromedp.Flag("disable-background-networking", true),
		chromedp.Flag("disable-component-update", true),
		chromedp.Flag("disable-sync", true),
		chromedp.UserDataDir(t.TempDir()), chromedp.WindowSize(width, height))
	ctx, cancel := chromedp.NewContext(alloc)
	t.Cleanup(func() { cancel(); cancelAlloc() })

	w := &Watch{}
	if err := chromedp.Listen(ctx, w.listen); err != nil {
		t.Fatalf("start chromium: %v", err)
	}
	return ctx, w
}

// Watch collects, from the browser's own event stream, every request the
// page made and every console error, exception or error log entry.
type Watch struct {
	mu       sync.Mutex
	requests []string
	errors   []string
}

func (w *Watch) listen(ev any) {
	w.mu.Lock()
	defer w.mu.Unlock()
	switch e := ev.(type) {
	case *network.EventRequestWillBeSent:
		w.requests = append(w.requests, e.Request.URL)
	case *runtime.EventConsoleAPICalled:
		if e.Type == runtime.ConsoleAPICalledTypeError {
			w.errors = append(w.errors, "console.error")
		}
	case *runtime.EventExceptionThrown:
		w.errors = append(w.errors, "exception: "+e.ExceptionDetails.Text)
	case *log.EventEntryAdded:
		if e.Entry.Level == log.EntryLevelError {
			w.errors = append(w.errors, string(e.Entry.Source)+": "+e.Entry.Text)
		}
	}
}

// Requests returns the URLs the page asked for so far.
func (w *Watch) Requests() []string {
	w.mu.Lock()
	defer w.mu.Unlock()
	return append([]string(nil), w.requests...)
}

// Errors returns the errors the page logged so far.
func (w *Watch) Errors() []string {
	w.mu.Lock()
	defer w.mu.Unlock()
	return append([]string(nil), w.errors...)
}
