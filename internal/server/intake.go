package server

import (
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"mime"
	"mime/multipart"
	"net/http"
	"path"
	"strings"
	"time"

	"github.com/idtriage/idtriage/internal/entra"
	"github.com/idtriage/idtriage/internal/ingest"
)

// defaultTenant names the tenant of alerts posted without one.
const defaultTenant = "default"

// posted is one request to POST /api/v1/alerts, read and checked.
type posted struct {
	tenant string
	files  []file // the alert body first
	alerts []incoming
}

// incoming is one alert found in a post.
type incoming struct {
	Kind    string // riskyUser or riskDetection
	User    string // case-folded principal name
	AlertID string
}

// readPost reads the alert and its files from a JSON or multipart body.
func readPost(w http.ResponseWriter, r *http.Request, limit int64) (posted, error) {
	p := posted{tenant: r.URL.Query().Get("tenant")}
	mediaType, params, _ := mime.ParseMediaType(r.Header.Get("Content-Type"))
	var err error
	switch mediaType {
	case "application/json", "":
		var body []byte
		if body, err = readBody(w, r, limit); err == nil {
			p.files = []file{{Name: "alert.json", Data: body}}
		}
	case "multipart/form-data":
		r.Body = http.MaxBytesReader(w, r.Body, limit)
		err = readParts(multipart.NewReader(r.Body, params["boundary"]), &p, limit)
	default:
		return p, &bodyError{status: http.StatusUnsupportedMediaType,
			msg: fmt.Sprintf("Content-Type %q: send application/json or multipart/form-data",
				mediaType)}
	}
	if err != nil {
		return p, err
	}
	if p.tenant == "" {
		p.tenant = defaultTenant
	}
	if len(p.tenant) > 128 || strings.ContainsAny(p.tenant, "\x00\n\r") {
		return p, badRequest("tenant: at most 128 characters on one line")
	}
	if len(p.files) == 0 || p.files[0].Name != "alert.json" {
		return p, badRequest("the form has no \"alert\" part holding the alert JSON")
	}
	p.alerts, err = findAlerts(p.files[0].Data)
	return p, err
}

// readParts reads a multipart form: "tenant", "alert" and any "file".
func readParts(mr *multipart.Reader, p *posted, limit int64) error {
	var alert []byte
	var files []file
	for {
		part, err := mr.NextPart()
		if errors.Is(err, io.EOF) {
			break
		}
		var mb *http.MaxBytesError
		if errors.As(err, &mb) {
			return tooLarge(err, limit)
		}
		if err != nil {
			return badRequest("malformed multipart body: %v", err)
		}
		data, err := io.ReadAll(part)
		if err != nil {
			return tooLarge(err, limit)
		}
		switch part.FormName() {
		case "tenant":
			p.tenant = strings.TrimSpace(string(data))
		case "alert":
			alert = data
		case "file":
			name := path.Base(strings.ReplaceAll(part.FileName(), `\`, "/"))
			if name == "" || name == "." || name == "/" {
				name = fmt.Sprintf("file-%d", len(files)+1)
			}
			files = append(files, file{Name: fmt.Sprintf("%d-%s", len(files)+1, name),
				Data: data})
		default:
			return badRequest("unknown form field %q: send tenant, alert and file",
				part.FormName())
		}
	}
	if alert != nil {
		p.files = append([]file{{Name: "alert.json", Data: alert}}, files...)
	}
	return nil
}

// findAlerts checks that the alert body is one JSON value and returns every
// riskyUser and riskDetection in it.
func findAlerts(body []byte) ([]incoming, error) {
	var v any
	if err := json.Unmarshal(body, &v); err != nil {
		return nil, jsonError(err)
	}
	set := &ingest.Set{}
	ingest.Decode("alert.json", body, set)
	set.Finish()

	var out []incoming
	var problems []string
	for _, r := range set.RiskyUsers {
		id := r.ID
		if !r.LastUpdated.IsZero() {
			id += "@" + r.LastUpdated.UTC().Format(time.RFC3339Nano)
		}
		out, problems = addAlert(out, problems, "riskyUser", r.UserPrincipalName, r.ID, id)
	}
	for _, r := range set.Risks {
		out, problems = addAlert(out, problems, "riskDetection", r.UserPrincipalName, r.ID,
			r.ID)
	}
	for _, p := range set.Problems {
		problems = append(problems, p.Error())
	}
	if len(problems) > 0 {
		return nil, &bodyError{status: http.StatusUnprocessableEntity,
			msg: "the alert cannot be read: " + strings.Join(problems, "; ")}
	}
	if len(out) == 0 {
		return nil, &bodyError{status: http.StatusUnprocessableEntity,
			msg: "the body holds no riskyUser or riskDetection (a Graph object, " +
				"array or page of them)"}
	}
	return out, nil
}

func addAlert(out []incoming, problems []string, kind, upn, rawID, alertID string) (
	[]incoming, []string) {
	user := entra.NormalizeUPN(upn)
	switch {
	case user == "" || !strings.Contains(user, "@"):
		return out, append(problems, fmt.Sprintf("%s %s names no userPrincipalName", kind,
			rawID))
	case rawID == "":
		return out, append(problems, fmt.Sprintf("%s of %s has no id", kind, user))
	}
	return append(out, incoming{Kind: kind, User: user, AlertID: alertID}), problems
}
