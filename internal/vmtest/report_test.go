package vmtest

import (
	"bytes"
	"context"
	"os"
	"strings"
	"testing"
)

func TestFeature(t *testing.T) {
	for _, tc := range []struct {
		reason, name, why string
		ok                bool
	}{
		{"kfeature: vlan links: compiled out (CONFIG_VLAN_8021Q not set)", "vlan links", "compiled out (CONFIG_VLAN_8021Q not set)", true},
		{"kfeature: netkit links: Linux 6.1.0 is older than 6.7.0, which introduced it: add link: operation not supported",
			"netkit links", "Linux 6.1.0 is older than 6.7.0, which introduced it", true},
		{"needs root", "", "", false},
	} {
		name, why, ok := feature(tc.reason)
		if name != tc.name || why != tc.why || ok != tc.ok {
			t.Errorf("feature(%q) = %q, %q, %v", tc.reason, name, why, ok)
		}
	}
}

func TestSkipMessage(t *testing.T) {
	for in, want := range map[string]string{
		"helpers_test.go:51: kfeature: vlan links: compiled out": "kfeature: vlan links: compiled out",
		"no file: here":           "no file: here",
		"a b.go:1: spaced prefix": "a b.go:1: spaced prefix",
	} {
		if got := skipMessage(in); got != want {
			t.Errorf("skipMessage(%q) = %q; want %q", in, got, want)
		}
	}
}

func TestSkipReason(t *testing.T) {
	for _, tc := range []struct {
		said []string
		want string
	}{
		{[]string{"modprobe fou6: not found", "kfeature: ip6gre links: compiled out (CONFIG_IPV6_GRE not set)"}, "kfeature: ip6gre links: compiled out (CONFIG_IPV6_GRE not set)"},
		{[]string{"helper skipped:", "detail"}, "helper skipped: detail"},
		{nil, ""},
	} {
		if got := skipReason(tc.said); got != tc.want {
			t.Errorf("skipReason(%q) = %q; want %q", tc.said, got, tc.want)
		}
	}
}

func TestPrefixWriter(t *testing.T) {
	var b bytes.Buffer
	p := &prefixWriter{w: &b, prefix: "[k] "}
	for _, s := range []string{"ok  \tpkg", "\t1s\n\x16=== NAME  \n\x16--- PASS: T (0.00s)\nrest"} {
		p.Write([]byte(s))
	}
	p.Flush()
	want := "[k] ok  \tpkg\t1s\n[k] --- PASS: T (0.00s)\n[k] rest\n"
	if b.String() != want {
		t.Errorf("wrote %q; want %q", b.String(), want)
	}
}

func TestParseResults(t *testing.T) {
	m := map[string]stepResult{}
	parseResults([]byte("a/b\t0\t1.500\nbroken line\nc\t2\t3.000\n"), m)
	if len(m) != 2 || m["a/b"] != (stepResult{0, 1.5}) || m["c"] != (stepResult{2, 3}) {
		t.Errorf("parseResults = %v", m)
	}
}

func TestMajorMinor(t *testing.T) {
	for in, want := range map[string]string{"6.1.0-57-amd64": "6.1", "6.12.118+deb13-amd64": "6.12", "6.18.44-fc-v1272": "6.18", "7": "7"} {
		if got := majorMinor(in); got != want {
			t.Errorf("majorMinor(%q) = %q; want %q", in, got, want)
		}
	}
}

func TestDefaultModulesHaveNoBlanks(t *testing.T) {
	for _, m := range DefaultModules() {
		if m == "" || strings.ContainsAny(m, " \t\n") {
			t.Errorf("module %q", m)
		}
	}
}

func TestReadLog(t *testing.T) {
	log := "\x16=== RUN   TestA\n    a_test.go:3: kfeature: x links: compiled out (CONFIG_X not set)\n\x16--- SKIP: TestA (0.00s)\n" +
		"\x16=== RUN   TestB\n\x16--- PASS: TestB (0.00s)\n" +
		"\x16=== RUN   TestC\n    c_test.go:1: boom\n\x16--- FAIL: TestC (0.00s)\n\x16FAIL\n"
	path := t.TempDir() + "/p.log"
	if err := os.WriteFile(path, []byte(log), 0o644); err != nil {
		t.Fatal(err)
	}
	o, err := readLog(context.Background(), path, "example.com/p")
	if err != nil {
		t.Fatal(err)
	}
	want := pkgOutcome{skips: []skip{{"TestA", "kfeature: x links: compiled out (CONFIG_X not set)"}}, failed: []string{"TestC"}, passed: 1}
	if len(o.skips) != 1 || o.skips[0] != want.skips[0] || len(o.failed) != 1 || o.failed[0] != "TestC" || o.passed != 1 || o.timeout != "" {
		t.Errorf("readLog = %+v; want %+v", o, want)
	}

	hung := "\x16=== RUN   TestD\npanic: test timed out after 20m0s\n\trunning tests:\n\t\tTestD (20m0s)\n"
	if err := os.WriteFile(path, []byte(hung), 0o644); err != nil {
		t.Fatal(err)
	}
	if o, err = readLog(context.Background(), path, "example.com/p"); err != nil || o.timeout != "panic: test timed out after 20m0s" {
		t.Errorf("readLog of a timed out binary = %+v, %v", o, err)
	}
}
