package main

import (
	"errors"
	"strings"
	"testing"

	"github.com/nlkit/nlkit/internal/kfeature"
)

// TestSrTunsrc sets the SRv6 tunnel source with ip and with the example
// and compares it and the outputs.
func TestSrTunsrc(t *testing.T) {
	replayObject(t, scenario{
		roles: []string{"host"},
		cmds:  []string{"host sr tunsrc set 2001:db8::1", "host sr tunsrc set 2001:db8::2", "host -j sr tunsrc show ="},
	}, "sr tunsrc show", "-j sr tunsrc show", "-j -p sr tunsrc show")
}

// TestSrHMAC sets and deletes SRv6 HMAC keys with ip and with the
// example, each reading the secret from its standard input, and compares
// the keys and the outputs. Only a kernel with SRv6 HMAC keeps keys.
func TestSrHMAC(t *testing.T) {
	ns := names(t, []string{"ip", "example"})
	for _, step := range []struct{ cmd, secret string }{
		{"sr hmac set 5 sha1", "s3cret\n"},
		{"sr hmac set 7 sha256", "another secret\n"},
		{"sr hmac set 9 sha1", "gone\n"},
		{"sr hmac set 9 sha1", "\n"},
	} {
		args := strings.Fields(step.cmd)
		_, ipErr, err := runIP(t, ns["ip"], args, []byte(step.secret))
		if err != nil && strings.Contains(string(ipErr), "Unknown error 524") {
			kfeature.Missing(t, kfeature.Feature{Name: "SRv6 HMAC", Since: "4.10", Config: []string{"CONFIG_IPV6_SEG6_HMAC"}}, errors.New(string(ipErr)))
		}
		if err != nil {
			t.Fatalf("ip %s: %v\n%s", step.cmd, err, ipErr)
		}
		_, exErr, code := runExample(ns["example"], args, []byte(step.secret))
		if code != 0 || string(exErr) != string(ipErr) {
			t.Fatalf("example ip %s: exit %d, %q; ip wrote %q", step.cmd, code, exErr, ipErr)
		}
	}
	for _, show := range []string{"sr hmac show", "-j sr hmac show", "-j -p sr hmac show"} {
		want, _, err := runIP(t, ns["ip"], strings.Fields(show), nil)
		if err != nil {
			t.Fatalf("ip %s: %v", show, err)
		}
		made, _, _ := runIP(t, ns["example"], strings.Fields(show), nil)
		got, stderr, code := runExample(ns["example"], strings.Fields(show), nil)
		if code != 0 || string(got) != string(made) || !sameContent(made, want) {
			t.Errorf("ip %s:\nip:             %s\nip of example's: %s\nexample:        %s%s", show, want, made, got, stderr)
		}
	}
}

// TestSrErrors checks the example's errors for sr against ip's, HMAC's
// on a kernel without it included.
func TestSrErrors(t *testing.T) {
	sameErrors(t, nil, "sr hmac set 5 sha1", "sr hmac", "sr frob", "sr", "sr help", "sr hmac set 0 sha1",
		"sr hmac set 5 md5", "sr hmac set 5", "sr tunsrc set 10.0.0.1", "sr tunsrc frob", "sr tunsrc set", "sr hmac show")
}
