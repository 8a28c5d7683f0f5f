package main

import (
	"context"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/chromedp/cdproto/log"
	"github.com/chromedp/cdproto/network"
	"github.com/chromedp/cdproto/runtime"
	"github.com/chromedp/chromedp"
)

// screenshot is where the browser test keeps its picture of the reference
// case, relative to this package; CI keeps it as an artifact (README).
const screenshot = "../../artifacts/sspr-takeover.png"

// findChromium returns Debian's Chromium. Outside CI a machine without it
// skips the browser test; in CI (CI=true) its absence is a failure, since
// .ci/run installs it.
func findChromium(t *testing.T) string {
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

// pageLog collects, from the browser's own event stream, every request the
// page made and every console error, exception or error log entry.
type pageLog struct {
	mu       sync.Mutex
	requests []string
	errors   []string
}

func (p *pageLog) listen(ev any) {
	p.mu.Lock()
	defer p.mu.Unlock()
	switch e := ev.(type) {
	case *network.EventRequestWillBeSent:
		p.requests = append(p.requests, e.Request.URL)
	case *runtime.EventConsoleAPICalled:
		if e.Type == runtime.ConsoleAPICalledTypeError {
			p.errors = append(p.errors, "console.error")
		}
	case *runtime.EventExceptionThrown:
		p.errors = append(p.errors, "exception: "+e.ExceptionDetails.Text)
	case *log.EventEntryAdded:
		if e.Entry.Level == log.EntryLevelError {
			p.errors = append(p.errors, string(e.Entry.Source)+": "+e.Entry.Text)
		}
	}
}

func TestBrowserHTMLReport(t *testing.T) {
	chromium := findChromium(t)

	page := filepath.Join(t.TempDir(), "case.html")
	if code, _, errOut := execute(t, "investigate", "--format", "html", "--out", page,
		example); code != 0 {
		t.Fatalf("exit %d: %s", code, errOut)
	}
	pageURL := (&url.URL{Scheme: "file", Path: page}).String()

	// The machine has no outside network; these flags also keep Chromium
	// from trying (updates, sync, safe-browsing lists, first-run pages).
	alloc, cancelAlloc := chromedp.NewExecAllocator(context.Background(),
		chromedp.ExecPath(chromium), chromedp.Headless, chromedp.NoSandbox,
		chromedp.DisableGPU, chromedp.NoFirstRun,
		chromedp.Flag("disable-background-networking", true),
		chromedp.Flag("disable-component-update", true),
		chromedp.Flag("disable-sync", true),
		chromedp.UserDataDir(t.TempDir()), chromedp.WindowSize(1280, 2400))
	defer cancelAlloc()
	ctx, cancel := chromedp.NewContext(alloc)
	defer cancel()

	var seen pageLog
	if err := chromedp.Listen(ctx, seen.listen); err != nil {
		t.Fatalf("start chromium: %v", err)
	}
	step, cancelStep := context.WithTimeout(ctx, 60*time.Second)
	defer cancelStep()
	if err := chromedp.Do(step, chromedp.Navigate(pageURL),
		chromedp.WaitVisible(chromedp.CSS("#verdict .badge"))); err != nil {
		t.Fatalf("load %s: %v", pageURL, err)
	}
	verdict, err := chromedp.Run(step, chromedp.Text(chromedp.CSS("#verdict .badge")))
	if err != nil {
		t.Fatal(err)
	}
	if strings.TrimSpace(verdict) != "True Positive - Blocked" {
		t.Errorf("visible verdict = %q, want True Positive - Blocked", verdict)
	}
	png, err := chromedp.Run(step, chromedp.CaptureScreenshot())
	if err != nil {
		t.Fatal(err)
	}
	if err := os.MkdirAll(filepath.Dir(screenshot), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(screenshot, png, 0o644); err != nil {
		t.Fatal(err)
	}

	seen.mu.Lock()
	defer seen.mu.Unlock()
	for _, e := range seen.errors {
		t.Errorf("page logged an error: %s", e)
	}
	for _, r := range seen.requests {
		if r != pageURL {
			t.Errorf("page requested %s; only the file itself may load", r)
		}
	}
	if len(seen.requests) == 0 {
		t.Error("no request seen at all; the network listener did not work")
	}
}
