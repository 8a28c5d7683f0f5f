package main

import "testing"

// TestOneLine: an error of several lines (the Azure SDK lists each
// credential it tried on a line of its own) keeps its lines apart on one
// line, without the rules of dashes between them.
func TestOneLine(t *testing.T) {
	in := "no token: DefaultAzureCredential: failed to acquire a token.\n" +
		"Attempted credentials:\n\tEnvironmentCredential: missing AZURE_TENANT_ID\n" +
		"\tWorkloadIdentityCredential: no client ID\n" +
		"--------------------------------\nRESPONSE 403\n"
	want := "no token: DefaultAzureCredential: failed to acquire a token. Attempted " +
		"credentials: EnvironmentCredential: missing AZURE_TENANT_ID; " +
		"WorkloadIdentityCredential: no client ID; RESPONSE 403"
	if got := oneLine(in); got != want {
		t.Errorf("oneLine:\n got %q\nwant %q", got, want)
	}
	if got := oneLine("a  b\tc"); got != "a b c" {
		t.Errorf("oneLine(one line) = %q", got)
	}
}
