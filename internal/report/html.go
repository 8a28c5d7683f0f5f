package report

import (
	"bytes"
	"crypto/sha256"
	_ "embed"
	"encoding/base64"
	"fmt"
	"html/template"
	"io"
	"strings"

	"github.com/idtriage/idtriage/internal/geo"
	"github.com/idtriage/idtriage/internal/investigate"
)

//go:embed html/report.html.tmpl
var htmlSource string

//go:embed html/report.css
var htmlCSS string

// htmlPage is the parsed page template. The style sheet is written into
// the template source before parsing, and the Content-Security-Policy
// allows exactly that one style block by its hash: no script, no image,
// font or frame from anywhere, no outside style. The source is ours, so
// this is the one place text reaches the page unescaped.
var htmlPage = template.Must(template.New("report").Funcs(template.FuncMap{
	"stamp":   stamp,
	"kind":    func(k investigate.Kind) string { return kindNames[k] },
	"country": geo.CountryName,
	"title":   titleCase,
	"num":     func(f float64) string { return fmt.Sprintf("%.1f", f) },
}).Parse(strings.NewReplacer(
	"{{/*CSS*/}}", htmlCSS,
	"{{/*CSP*/}}", contentSecurityPolicy(htmlCSS),
).Replace(htmlSource)))

// contentSecurityPolicy forbids every load except the page's own style
// block, identified by its SHA-256.
func contentSecurityPolicy(css string) string {
	sum := sha256.Sum256([]byte(css))
	return "default-src 'none'; style-src 'sha256-" +
		base64.StdEncoding.EncodeToString(sum[:]) + "'; img-src 'none'; script-src 'none'; " +
		"base-uri 'none'; form-action 'none'"
}

// htmlView is what the template reads: the case with every log string
// cleaned of control characters, and the geometry of the two drawings.
type htmlView struct {
	C         *investigate.Case
	Records   string
	Questions []htmlQuestion
	Timeline  timelineView
	Map       mapView
	Events    []htmlEvent
	IPs       []htmlIP
	Cost      costText
	// Anchor maps a record id to the id of its row in the records table.
	Anchor map[string]string
}

type htmlQuestion struct {
	N        int
	Text     string
	Findings []investigate.Finding
}

type htmlEvent struct {
	N      int
	Anchor string
	investigate.Event
}

type htmlIP struct {
	Anchor         string
	Place, Network string
	investigate.IPSummary
}

// HTML writes the case as one self-contained HTML page: inline style and
// SVG, nothing loaded from anywhere. html/template escapes every value for
// its context; control characters and bidirectional overrides are removed
// first, as in the other formats.
func HTML(w io.Writer, c *investigate.Case) error {
	var buf bytes.Buffer
	clean := rewriteStrings(c, Clean)
	// Queries span lines; Clean would fold them onto one.
	for i := range clean.Detections {
		clean.Detections[i].KQL = cleanLines(c.Detections[i].KQL)
	}
	if err := htmlPage.Execute(&buf, newHTMLView(clean)); err != nil {
		return fmt.Errorf("render html: %w", err)
	}
	_, err := w.Write(buf.Bytes())
	return err
}

// cleanLines is Clean for text that keeps its line breaks.
func cleanLines(s string) string {
	lines := strings.Split(strings.ReplaceAll(s, "\r\n", "\n"), "\n")
	for i, l := range lines {
		lines[i] = Clean(l)
	}
	return strings.Join(lines, "\n")
}

func newHTMLView(c *investigate.Case) htmlView {
	v := htmlView{C: c, Records: recordsLine(c.Sources), Cost: newCostText(c),
		Anchor: map[string]string{}}
	for i, e := range c.Timeline {
		a := fmt.Sprintf("rec-%d", i+1)
		if _, dup := v.Anchor[e.ID]; !dup {
			v.Anchor[e.ID] = a
		}
		v.Events = append(v.Events, htmlEvent{N: i + 1, Anchor: a, Event: e})
	}
	ipAnchor := map[string]string{}
	for i, ip := range c.IPs {
		a := fmt.Sprintf("ip-%d", i+1)
		ipAnchor[ip.IP] = a
		v.IPs = append(v.IPs, htmlIP{Anchor: a, Place: placeText(ip), Network: networkText(ip),
			IPSummary: ip})
	}
	for i, q := range questions {
		hq := htmlQuestion{N: i + 1, Text: q}
		for _, f := range c.Findings {
			if f.Question == i+1 {
				hq.Findings = append(hq.Findings, f)
			}
		}
		v.Questions = append(v.Questions, hq)
	}
	v.Timeline = buildTimeline(c, v.Anchor)
	v.Map = buildMap(c, ipAnchor, v.Anchor)
	return v
}
