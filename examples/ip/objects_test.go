package main

import (
	"encoding/json"
	"fmt"
	"regexp"
	"sort"
	"strings"
	"testing"
)

// replayObject replays the scenario's commands through ip in one set of
// namespaces and through the example in another, as replay does, and then
// compares, for each role and each of shows, three outputs: ip's of the
// state ip made with ip's of the state the example made (as sameContent
// does), and the latter, byte for byte, with the example's of the state
// it made. So the example both writes what ip writes and prints what ip
// prints, for objects the state comparisons of replay do not cover.
func replayObject(t *testing.T, sc scenario, shows ...string) {
	t.Helper()
	replayObjectMasked(t, sc, nil, shows...)
}

// replayObjectMasked is replayObject for objects with values that differ
// between two namespaces built alike (a randomized time): what volatile
// matches is blanked in the outputs before they are compared.
func replayObjectMasked(t *testing.T, sc scenario, volatile *regexp.Regexp, shows ...string) {
	t.Helper()
	ipNS, exNS := runSteps(t, sc)
	for _, role := range sc.roles {
		for _, show := range shows {
			args := strings.Fields(show)
			eventually(t, func() string {
				want, _, err := runIP(t, ipNS[role], args, nil)
				if err != nil {
					t.Fatalf("ip -n %s %s: %v", ipNS[role], show, err)
				}
				made, _, err := runIP(t, exNS[role], args, nil)
				if err != nil {
					t.Fatalf("ip -n %s %s: %v", exNS[role], show, err)
				}
				got, stderr, code := runExample(exNS[role], args, nil)
				if code != 0 {
					t.Fatalf("example ip -n %s %s: exit %d\n%s", exNS[role], show, code, stderr)
				}
				if volatile != nil {
					want = volatile.ReplaceAll(want, []byte("${1}X"))
					made = volatile.ReplaceAll(made, []byte("${1}X"))
					got = volatile.ReplaceAll(got, []byte("${1}X"))
				}
				if !sameContent(made, want) {
					return fmt.Sprintf("%s: ip %s: the example's state differs from ip's:\nip:      %s\nexample: %s", role, show, want, made)
				}
				if string(got) != string(made) {
					return fmt.Sprintf("%s: ip %s differs:\nip:      %s\nexample: %s", role, show, made, got)
				}
				return ""
			})
		}
	}
}

// sameErrors runs each of cmds, which fail, through ip and the example in
// twin namespaces that setup prepared alike: the message and the exit
// status must be ip's.
func sameErrors(t *testing.T, setup []string, cmds ...string) {
	t.Helper()
	ipNS, exNS := names(t, []string{"ns"}), names(t, []string{"ns"})
	for _, ns := range []string{ipNS["ns"], exNS["ns"]} {
		for _, cmd := range setup {
			if _, stderr, err := runIP(t, ns, strings.Fields(cmd), nil); err != nil {
				t.Fatalf("ip -n %s %s: %v\n%s", ns, cmd, err, stderr)
			}
		}
	}
	for _, cmd := range cmds {
		args := strings.Fields(cmd)
		ipStdout, ipErr, err := runIP(t, ipNS["ns"], args, nil)
		ipCode := exitCode(err)
		exStdout, exErr, exCode := runExample(exNS["ns"], args, nil)
		if string(exErr) != string(ipErr) || string(exStdout) != string(ipStdout) || exCode != ipCode {
			t.Errorf("ip %s:\nip:      exit %d, %q %q\nexample: exit %d, %q %q", cmd, ipCode, ipStdout, ipErr, exCode, exStdout, exErr)
		}
	}
}

// sameShows runs each of shows through ip and the example in the
// namespace ns and compares the outputs byte for byte, after blanking
// what volatile (which may be nil) matches.
func sameShows(t *testing.T, ns string, volatile *regexp.Regexp, shows ...string) {
	t.Helper()
	for _, show := range shows {
		args := strings.Fields(show)
		eventually(t, func() string {
			want, _, err := runIP(t, ns, args, nil)
			if err != nil {
				t.Fatalf("ip -n %s %s: %v", ns, show, err)
			}
			got, stderr, code := runExample(ns, args, nil)
			if code != 0 {
				t.Fatalf("example ip -n %s %s: exit %d\n%s", ns, show, code, stderr)
			}
			if volatile != nil {
				want = volatile.ReplaceAll(want, []byte("${1}X"))
				got = volatile.ReplaceAll(got, []byte("${1}X"))
			}
			if string(got) != string(want) {
				return fmt.Sprintf("ip %s differs:\nip:      %s\nexample: %s", show, want, got)
			}
			return ""
		})
	}
}

// sameContent reports whether two outputs of a show in two namespaces say
// the same: byte for byte, or but for the order of their lines (or -o
// records) or of the
// elements of their JSON array, for the tables the kernel keeps in a hash
// seeded per namespace.
func sameContent(a, b []byte) bool {
	if string(a) == string(b) {
		return true
	}
	var ja, jb []json.RawMessage
	if json.Unmarshal(a, &ja) == nil && json.Unmarshal(b, &jb) == nil {
		return sortedJoin(ja) == sortedJoin(jb)
	}
	// Lines end in a newline, or with -o in a backslash.
	lines := func(b []byte) []string {
		return strings.FieldsFunc(string(b), func(r rune) bool { return r == '\n' || r == '\\' })
	}
	la, lb := lines(a), lines(b)
	sort.Strings(la)
	sort.Strings(lb)
	return strings.Join(la, "\n") == strings.Join(lb, "\n")
}

// sortedJoin joins the sorted texts of JSON values.
func sortedJoin(vs []json.RawMessage) string {
	s := make([]string, len(vs))
	for i, v := range vs {
		s[i] = string(v)
	}
	sort.Strings(s)
	return strings.Join(s, ",")
}
