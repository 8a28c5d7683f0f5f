package graph

import (
	"errors"
	"fmt"
	"net/url"
	"time"
)

// ErrBudget is wrapped by errors that end a request because the time
// budget ran out. Pull turns it into a PARTIAL report rather than failing.
var ErrBudget = errors.New("time budget ran out")

// PermissionError is a 403 from Graph: the app registration lacks the
// permission an endpoint needs, or its admin consent, or the tenant lacks
// the licence. Its message is one line naming the permission.
type PermissionError struct {
	// Permission is the application permission the endpoint needs, for
	// example "AuditLog.Read.All".
	Permission string
	// Endpoint is the path asked for, without the query.
	Endpoint string
	// Code and Message are Graph's error code and text.
	Code    string
	Message string
}

// licenceCode is the code Graph gives when the tenant's licence, not the
// app's permissions, is what is missing.
const licenceCode = "Authentication_RequestFromNonPremiumTenantOrB2CTenant"

// Error is one line naming the permission, or the licence.
func (e *PermissionError) Error() string {
	if e.Code == licenceCode {
		return fmt.Sprintf("graph: GET %s needs a Microsoft Entra ID P1 or P2 licence in the "+
			"tenant (403 %s)", e.Endpoint, e.Code)
	}
	return fmt.Sprintf("graph: missing permission %s: GET %s answered 403 %s; grant the "+
		"application permission %s to the app registration and give admin consent",
		e.Permission, e.Endpoint, e.Code, e.Permission)
}

// StatusError is any other answer Graph gave up on: a bad request, a
// missing user, or a transient failure that outlasted the retries. A 400
// names the $filter sent, since that is nearly always the cause.
type StatusError struct {
	// Status is the HTTP status; Endpoint the path asked for; Filter the
	// $filter sent; Code, Message and RequestID what Graph answered.
	Status    int
	Endpoint  string
	Filter    string
	Code      string
	Message   string
	RequestID string
	// Attempts is how many times the request was sent.
	Attempts int
}

// Error is one line with the status, Graph's code and message, and the
// filter sent.
func (e *StatusError) Error() string {
	msg := fmt.Sprintf("graph: GET %s answered %d", e.Endpoint, e.Status)
	if e.Code != "" {
		msg += " " + e.Code
	}
	if e.Message != "" {
		msg += ": " + e.Message
	}
	if e.Filter != "" {
		msg += fmt.Sprintf(" ($filter sent: %s)", e.Filter)
	}
	if e.Attempts > 1 {
		msg += fmt.Sprintf(" after %d attempts", e.Attempts)
	}
	if e.RequestID != "" {
		msg += " (request id " + e.RequestID + ")"
	}
	return msg
}

// RetentionError refuses a window that starts before Graph's retention of
// a source, before any request is sent (Graph answers such filters with a
// bare "Invalid filter clause").
type RetentionError struct {
	// Source is the first source whose retention the window passes;
	// Start the window's start; Earliest the oldest instant Graph keeps.
	Source    Source
	Start     time.Time
	Earliest  time.Time
	Retention time.Duration
}

// Error says how far back the window reaches and how far Graph keeps.
func (e *RetentionError) Error() string {
	return fmt.Sprintf("graph: the window starts %s, but Microsoft Graph keeps %s for %d days "+
		"(nothing before %s); ask for a shorter window", odataTime(e.Start), e.Source.noun(),
		int(e.Retention.Hours()/24), odataTime(e.Earliest))
}

// endpointOf is the path of a request URL, for messages: the host is
// known and the query may be long.
func endpointOf(u string) (endpoint, filter string) {
	p, err := url.Parse(u)
	if err != nil {
		return u, ""
	}
	return p.Path, p.Query().Get("$filter")
}
