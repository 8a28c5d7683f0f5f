package main

import (
	"context"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"github.com/idtriage/idtriage/internal/browsertest"
)

// screenshot is where the browser test keeps its picture of the reference
// case, relative to this package; CI keeps it as an artifact (README).
const screenshot = "../../artifacts/sspr-takeover.png"

// TestBrowserHTMLReport opens the reference case's HTML report from disk in
// headless Chromium: it loads with no error and no request beyond the file,
// shows the verdict, and leaves a screenshot for CI to keep.
func TestBrowserHTMLReport(t *testing.T) {
	ctx, seen := browsertest.Start(t, 1280, 2400)

	page := filepath.Join(t.TempDir(), "case.html")
	if code, _, errOut := execute(t, "investigate", "--format", "html", "--out", page,
		example); code != 0 {
		t.Fatalf("exit %d: %s", code, errOut)
	}
	pageURL := (&url.URL{Scheme: "file", Path: page}).String()

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

	for _, e := range seen.Errors() {
		t.Errorf("page logged an error: %s", e)
	}
	requests := seen.Requests()
	for _, r := range requests {
		if r != pageURL {
			t.Errorf("page requested %s; only the file itself may load", r)
		}
	}
	if len(requests) == 0 {
		t.Error("no request seen at all; the network listener did not work")
	}
}
