package server_test

import (
	"context"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"github.com/idtriage/idtriage/internal/browsertest"
	"github.com/idtriage/idtriage/internal/store"
)

// artifacts is where the browser test leaves its screenshots, relative to
// this package; CI keeps the folder.
const artifacts = "../../artifacts"

// TestPageInBrowser drives the page as an analyst would: sign in with a
// token, read the case queue and its badges, open the reference case,
// overturn the verdict with a hostile note, and see the decision beside
// the machine's verdict, shown as text.
func TestPageInBrowser(t *testing.T) {
	ctx, seen := browsertest.Start(t, 1280, 1600)
	n := embeddedNode(t, options{})
	tok := addTokens(t, n.store)
	ctype, body := exampleUpload(t)
	status, b := call(t, "POST", n.http.URL+"/api/v1/alerts", tok.analyst, ctype, body)
	if status != http.StatusAccepted {
		t.Fatalf("post = %d %s", status, b)
	}
	id := decode[postResult](t, b).Alerts[0].ID
	waitAlert(t, n.store, id)

	step, cancel := context.WithTimeout(ctx, 90*time.Second)
	defer cancel()

	signIn(t, step, n.http.URL+"/", tok.analyst)
	row := `#cases tbody tr[data-id="` + id + `"]`
	must(t, chromedp.Do(step, chromedp.WaitVisible(chromedp.CSS(row))))
	wantText(t, step, row+" .badge.verdict", "True Positive - Blocked")
	wantText(t, step, row+" .badge.confidence", "high")
	wantText(t, step, row+" .decision", "not reviewed")
	shoot(t, step, "serve-queue.png")

	must(t, chromedp.Do(step, chromedp.Click(chromedp.CSS(row+" a")),
		chromedp.WaitVisible(chromedp.CSS("#machine-verdict .badge.verdict"))))
	wantText(t, step, "#machine-verdict .badge.verdict", "True Positive - Blocked")
	report, err := chromedp.Run(step, chromedp.Poll[string](`(() => {
		const d = document.querySelector('#report').contentDocument;
		const b = d && d.querySelector('#verdict .badge');
		return b ? b.textContent.trim() : '';
	})()`, chromedp.WithPollingTimeout(30*time.Second)))
	if err != nil || report != "True Positive - Blocked" {
		t.Errorf("report frame verdict = %q, %v; want the HTML report", report, err)
	}

	hostile := `<img src=x onerror="document.title='pwned'"> my own VPN`
	must(t, chromedp.Do(step,
		chromedp.Click(chromedp.CSS(`#decide input[value=overturn]`)),
		chromedp.Func(func(ctx context.Context, tg *chromedp.Target) error {
			_, err := chromedp.Evaluate[string](
				`document.querySelector('#label').value = 'False Positive'`)(ctx, tg)
			return err
		}),
		chromedp.SendKeys(chromedp.CSS("#note"), hostile),
		chromedp.Click(chromedp.CSS("#submit")),
		chromedp.WaitVisible(chromedp.CSS("#decide-msg"))))
	wantText(t, step, "#decide-msg", "Decision recorded.")
	wantText(t, step, "#decisions li", "overturned to False Positive by analyst-1")
	wantText(t, step, "#decisions li", hostile)
	wantText(t, step, "#machine-verdict .badge.verdict", "True Positive - Blocked")
	imgs, _ := chromedp.Run(step, chromedp.Evaluate[int](
		`document.querySelectorAll('#decisions img').length`))
	title, _ := chromedp.Run(step, chromedp.Evaluate[string](`document.title`))
	if imgs != 0 || title == "pwned" {
		t.Errorf("the note was rendered as markup (%d img, title %q)", imgs, title)
	}
	shoot(t, step, "serve-case.png")

	c, err := n.store.Case(context.Background(), id)
	if err != nil || len(c.Decisions) != 1 || c.Decisions[0].Action != store.ActionOverturn ||
		c.Decisions[0].Note != hostile || c.Label != "True Positive - Blocked" {
		t.Errorf("stored case = %s %+v, %v; want the overturn beside the verdict", c.Label,
			c.Decisions, err)
	}

	// A reader sees the same case but not a usable form.
	must(t, chromedp.Do(step, chromedp.Click(chromedp.CSS("#logout"))))
	signIn(t, step, n.http.URL+"/#/cases/"+id, tok.reader)
	must(t, chromedp.Do(step, chromedp.WaitVisible(chromedp.CSS("#machine-verdict"))))
	wantText(t, step, "#decide-msg", "needs an analyst token")
	disabled, _ := chromedp.Run(step, chromedp.Evaluate[bool](
		`document.querySelector('#decide fieldset').disabled`))
	if !disabled {
		t.Error("a reader's form is usable")
	}

	for _, e := range seen.Errors() {
		t.Errorf("page logged an error: %s", e)
	}
	for _, r := range seen.Requests() {
		// data: URLs are the page's own inline images (and Chromium's date
		// picker icon); they leave nothing.
		if !strings.HasPrefix(r, n.http.URL+"/") && !strings.HasPrefix(r, "data:") {
			t.Errorf("page requested %s; only its own server may be asked", r)
		}
	}
}

// signIn opens url and enters the token in the sign-in form.
func signIn(t *testing.T, ctx context.Context, url, token string) {
	t.Helper()
	must(t, chromedp.Do(ctx, chromedp.Navigate(url),
		chromedp.WaitVisible(chromedp.CSS("#token")),
		chromedp.SendKeys(chromedp.CSS("#token"), token),
		chromedp.Click(chromedp.CSS("#login-form button"))))
}

// wantText waits until an element matching sel contains want.
func wantText(t *testing.T, ctx context.Context, sel, want string) {
	t.Helper()
	js := `Array.from(document.querySelectorAll(` + quote(sel) + `)).some(e => ` +
		`e.textContent.includes(` + quote(want) + `))`
	wait, cancel := context.WithTimeout(ctx, 15*time.Second)
	defer cancel()
	if _, err := chromedp.Run(wait, chromedp.Poll[bool](js)); err != nil {
		got, _ := chromedp.Run(ctx, chromedp.Evaluate[string](
			`Array.from(document.querySelectorAll(`+quote(sel)+`)).map(e => e.textContent)`+
				`.join(' | ')`))
		t.Errorf("%s: want text %q, have %q", sel, want, got)
	}
}

func shoot(t *testing.T, ctx context.Context, name string) {
	t.Helper()
	png, err := chromedp.Run(ctx, chromedp.CaptureScreenshot())
	if err != nil {
		t.Errorf("screenshot: %v", err)
		return
	}
	if err := os.MkdirAll(artifacts, 0o755); err == nil {
		os.WriteFile(filepath.Join(artifacts, name), png, 0o644)
	}
}

func must(t *testing.T, err error) {
	t.Helper()
	if err != nil {
		t.Fatal(err)
	}
}

// quote makes a JavaScript string literal of s.
func quote(s string) string {
	r := strings.NewReplacer(`\`, `\\`, `'`, `\'`, "\n", `\n`)
	return "'" + r.Replace(s) + "'"
}
