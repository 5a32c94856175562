package main

import (
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/nlkit/nlkit/internal/testns"
)

// TestBatch runs the same batch through ip and the example in twin
// namespaces, from a file and from the standard input, with and without
// -force: the output, the errors, the exit status and the addresses made
// must be ip's.
func TestBatch(t *testing.T) {
	file := filepath.Join(t.TempDir(), "batch")
	script := strings.Join([]string{
		"# a comment line",
		"link add t0 type veth peer name t1 # and a comment after a command",
		"",
		"addr add 10.7.0.1/24 \\",
		"   dev t0",
		"addr add 10.7.0.1/24 dev t0",
		`addr add 10.7.0.2/24 dev "t0"`,
		"link set t0 mtu 1400", // not up: the carrier would settle after the show, in a VM
		"-j addr show dev t0",
		"addr show dev t0",
	}, "\n") + "\n"
	if err := os.WriteFile(file, []byte(script), 0o600); err != nil {
		t.Fatal(err)
	}
	for _, opts := range []string{"-batch " + file, "-force -b " + file, "-force -batch -", "-b /nonexistent/batch", "-4 -force -batch -"} {
		ipNS, exNS := testns.New(t), testns.New(t)
		args := strings.Fields(opts)
		ipOut, ipErr, err := runIP(t, ipNS.Name(), args, []byte(script))
		ipCode := exitCode(err)
		exOut, exErr, exCode := runExample(exNS.Name(), args, []byte(script))
		if string(exErr) != string(ipErr) || exCode != ipCode {
			t.Errorf("ip %s:\nip:      exit %d, %q\nexample: exit %d, %q", opts, ipCode, ipErr, exCode, exErr)
		}
		if withoutLinkAddrs(exOut) != withoutLinkAddrs(ipOut) {
			t.Errorf("ip %s printed:\n%s\nthe example:\n%s", opts, ipOut, exOut)
		}
		want, _, _ := runIP(t, ipNS.Name(), []string{"-j", "-4", "addr", "show"}, nil)
		got, _, _ := runIP(t, exNS.Name(), []string{"-j", "-4", "addr", "show"}, nil)
		if string(got) != string(want) {
			t.Errorf("after ip %s, ip made:\n%s\nthe example:\n%s", opts, want, got)
		}
	}
}

// linkAddrs matches what differs between twin namespaces' veths: their
// random MAC addresses and the IPv6 link-local addresses made from them.
var linkAddrs = regexp.MustCompile(`([0-9a-f]{2}:){5}[0-9a-f]{2}|fe80::[0-9a-f:]+`)

// withoutLinkAddrs masks the link addresses of out.
func withoutLinkAddrs(out []byte) string {
	return linkAddrs.ReplaceAllString(string(out), "ADDR")
}
