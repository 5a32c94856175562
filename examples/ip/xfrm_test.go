package main

import (
	"errors"
	"fmt"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/nlkit/nlkit/examples/internal/extest"
	"github.com/nlkit/nlkit/internal/kfeature"
	"github.com/nlkit/nlkit/internal/testns"
)

// espStates is the kernel feature the state walk-throughs need.
func espStates() kfeature.Feature {
	return kfeature.Feature{Name: "ESP states", Since: "2.6", Config: []string{"CONFIG_INET_ESP"}}
}

// xfrmShows are the show commands whose text the example must print as ip
// does; ip has no JSON for xfrm. Under emulation (the VM tests of CI),
// where each run of ip is slow, only the three that show every field are
// compared, and ip -s xfrm policy show only for a scenario with policies;
// the host run compares them all.
func xfrmShows(t *testing.T, policies bool) []string {
	if testns.Emulated() {
		t.Log("under emulation only ip -s xfrm state show, ip xfrm state show and (with policies) ip -s xfrm policy show are compared")
		if !policies {
			return []string{"-s xfrm state show", "xfrm state show"}
		}
		return []string{"-s xfrm state show", "xfrm state show", "-s xfrm policy show"}
	}
	return []string{
		"xfrm state show", "-s xfrm state show", "xfrm state list nokeys", "-o xfrm state show",
		"xfrm policy show", "-s xfrm policy show", "-o xfrm policy show",
		"xfrm state count", "-s xfrm state count", "xfrm policy count", "xfrm policy getdefault",
	}
}

// xfrmReplay runs each command through ip in one namespace and through the
// example in another. A command ending in "!" must fail in both, with the
// same message and exit status; one ending in "=" must print the same text
// (the times and policy indexes, which differ between namespaces, aside).
// Then both directions are checked for every show of xfrmShows: ip shows
// what the example made as it shows what ip made, and the example shows
// what ip made, byte for byte, as ip does.
func xfrmReplay(t *testing.T, cmds []string) {
	ipNS, exNS := testns.New(t).Name(), testns.New(t).Name()
	for _, cmd := range cmds {
		args := strings.Fields(cmd)
		fail, same := args[len(args)-1] == "!", args[len(args)-1] == "="
		if fail || same {
			args = args[:len(args)-1]
		}
		start := time.Now()
		ipOut, ipErr, err := runIP(t, ipNS, args, nil)
		if bytes := string(ipErr); err != nil && strings.Contains(bytes, "Requested type not found") {
			kfeature.Missing(t, espStates(), errors.New(bytes))
		}
		exOut, exErr, code := runExample(exNS, args, nil)
		if d := time.Since(start); d > 2*time.Second {
			t.Logf("ip %s took %v in ip and the example", cmd, d.Round(time.Millisecond))
		}
		switch {
		case fail && (err == nil || code == 0):
			t.Fatalf("ip %s: ip: %v, example: exit %d; both should fail", cmd, err, code)
		case fail:
			if ipCode := exitCode(err); ipCode != code || string(ipErr) != string(exErr) {
				t.Errorf("ip %s fails differently:\nip:      exit %d %q\nexample: exit %d %q", cmd, ipCode, ipErr, code, exErr)
			}
		case err != nil:
			t.Fatalf("ip -n %s %s: %v\n%s", ipNS, cmd, err, ipErr)
		case code != 0:
			t.Fatalf("example ip -n %s %s: exit %d\n%s", exNS, cmd, code, exErr)
		case same && xfrmStable(ipOut) != xfrmStable(exOut):
			t.Errorf("ip %s:\nip:\n%s\nexample:\n%s", cmd, ipOut, exOut)
		}
	}
	checkXfrmShows(t, ipNS, exNS, strings.Contains(strings.Join(cmds, "\n"), " policy "))
}

// checkXfrmShows compares the shows in both directions; policies says
// whether there may be policies to show.
func checkXfrmShows(t *testing.T, ipNS, exNS string, policies bool) {
	t.Helper()
	for _, show := range xfrmShows(t, policies) {
		args := strings.Fields(show)
		eventually(t, func() string {
			ipMade := string(extest.Run(t, "ip", append([]string{"-n", ipNS}, args...)...))
			exMade := string(extest.Run(t, "ip", append([]string{"-n", exNS}, args...)...))
			if xfrmStable([]byte(ipMade)) != xfrmStable([]byte(exMade)) {
				return fmt.Sprintf("ip %s: what the example made differs from what ip made:\nip made:\n%s\nexample made:\n%s", show, ipMade, exMade)
			}
			for _, ns := range []string{ipNS, exNS} {
				want, _, err := runIP(t, ns, args, nil)
				if err != nil {
					t.Fatalf("ip -n %s %s: %v", ns, show, err)
				}
				got, stderr, code := runExample(ns, args, nil)
				if code != 0 {
					t.Fatalf("example ip -n %s %s: exit %d\n%s", ns, show, code, stderr)
				}
				if string(want) != string(got) {
					return fmt.Sprintf("ip %s differs:\nip:\n%s\nexample:\n%s", show, want, got)
				}
			}
			return ""
		})
	}
	jsonShows := []string{"-j xfrm state show", "-j -s xfrm policy show", "-j -p xfrm state list nokeys"}
	if testns.Emulated() {
		jsonShows = jsonShows[:1]
	}
	for _, show := range jsonShows {
		for _, ns := range []string{ipNS, exNS} {
			out, stderr, code := runExample(ns, strings.Fields(show), nil)
			if code != 0 {
				t.Fatalf("example ip -n %s %s: exit %d\n%s", ns, show, code, stderr)
			}
			if _, ok := extest.Decode(t, out).([]any); !ok {
				t.Errorf("example ip %s: not a JSON array:\n%s", show, out)
			}
		}
	}
}

// xfrmStable blanks what differs between two namespaces made by the same
// commands: the times and the policy indexes the kernel picks.
func xfrmStable(b []byte) string {
	moving := regexp.MustCompile(`\d{4}-\d\d-\d\d \d\d:\d\d:\d\d|index \d+`)
	return moving.ReplaceAllString(string(b), "X")
}

// TestXfrmPolicy replays a walk-through of ip xfrm policy, which the
// guide only touches.
func TestXfrmPolicy(t *testing.T) {
	xfrmReplay(t, []string{
		"xfrm policy add src 10.0.1.0/24 dst 10.0.2.0/24 dir out tmpl src 10.0.0.1 dst 10.0.0.2 proto esp mode tunnel mark 7 mask 0xff",
		"xfrm policy add src 10.0.2.0/24 dst 10.0.1.0/24 proto tcp dport 80 dir in action block priority 5 flag localok icmp tmpl src 10.0.0.2 dst 10.0.0.1 proto esp reqid 3 mode tunnel level use if_id 9",
		"xfrm policy add src fd00::/64 dst fd01::/64 dir fwd ptype sub tmpl src fd::1 dst fd::2 proto esp spi 0x10 mode tunnel limit time-soft 100 limit byte-hard 1000",
		"xfrm policy add src 10.0.3.0/24 dst 10.0.4.0/24 proto icmp type 8 code 0 dir out priority 10",
		"xfrm policy add src 10.0.5.0/24 dst 10.0.6.0/24 proto gre key 1.2.3.4 dir in",
		"xfrm policy add src 10.0.7.0/24 dst 10.0.8.0/24 dev lo proto udp sport 53 dir fwd tmpl proto comp mode transport tmpl src 10.0.0.1 dst 10.0.0.9 proto esp mode tunnel",
		"xfrm po upd src 10.0.1.0/24 dst 10.0.2.0/24 dir out priority 3 tmpl src 10.0.0.1 dst 10.0.0.2 proto ah mode transport mark 7 mask 0xff",
		"xfrm policy del src 10.0.3.0/24 dst 10.0.4.0/24 proto icmp type 8 code 0 dir out",
		"xfrm policy get src 10.0.5.0/24 dst 10.0.6.0/24 proto gre key 1.2.3.4 dir in =",
		"-s xfrm policy get src 10.0.1.0/24 dst 10.0.2.0/24 dir out mark 7 mask 0xff =",
		"xfrm policy list dir out =",
		"xfrm pol sh src 10.0.0.0/8 =",
		"-s xfrm policy show ptype sub =",
		"xfrm policy setdefault in block fwd accept",
		"xfrm policy set hthresh4 24 16 hthresh6 64 48",
		"-s -s xfrm policy count =",
		"xfrm policy add dir sideways !",
		"xfrm policy add src 10.0.9.0/24 !",
		"xfrm policy add src 10.0.1.0/24 dst 10.0.2.0/24 dir out mark 7 mask 0xff !",
		"xfrm policy get src 10.9.0.0/16 dir in !",
		"xfrm policy frob !",
		"xfrm policy add src 10.0.9.0/24 dir out bogus !",
		"xfrm policy add src 10.0.9.0/24 proto tcp type 3 dir out !",
		"xfrm policy add src 10.0.0.0/8 dst fd::/8 dir in !",
		"xfrm policy add src 10.0.0.0/8 dir in tmpl src fd::1 dst 10.0.0.1 proto esp !",
		"-6 xfrm policy add src 10.0.0.0/8 dir in !",
		"xfrm state allocspi src 10.0.0.1 dst fd::2 proto esp !",
		"xfrm policy deleteall dir in",
		"xfrm policy flush ptype sub",
	})
}

// The keys of the guide's states.
const (
	guideAES    = "0x00112233445566778899aabbccddeeff00112233445566778899aabbccddeeff"
	guideSHA256 = "0xa86503051e42234390fe1d8653e8e628c4ce7746a9f27d910e3d8c65115f5d24"
)

// TestXfrmState replays the guide's ESP states (from its VTI walk-through)
// and more of ip xfrm state add's arguments. It needs ESP: on kernels
// without it, the first add fails with "Requested type not found" and the
// test skips through kfeature.
func TestXfrmState(t *testing.T) {
	xfrmReplay(t, []string{
		"xfrm state add src 10.0.0.1 dst 10.0.0.2 proto esp spi 1 enc aes " + guideAES + " auth sha256 " + guideSHA256 + " mode tunnel",
		"xfrm state add src 10.0.0.2 dst 10.0.0.1 proto esp spi 1 enc aes " + guideAES + " auth sha256 " + guideSHA256 + " mode tunnel",
		"xfrm state add src 10.0.0.1 dst 10.0.0.3 proto esp spi 0x100 reqid 7 mode transport replay-window 32 flag noecn wildrecv " +
			"enc cbc(aes) 0x00112233445566778899aabbccddeeff auth-trunc hmac(sha1) 0x00112233445566778899aabbccddeeff00112233 96 " +
			"sel src 10.1.0.0/16 dst 10.2.0.0/16 proto udp dport 4500 limit time-hard 600 limit packet-soft 1000 mark 5 mask 0xf if_id 3",
		"xfrm state add src fd::1 dst fd::2 proto esp spi 0x200 reqid 8 mode tunnel aead rfc4106(gcm(aes)) 0x00112233445566778899aabbccddeeff00112233 128 " +
			"flag esn replay-window 128 output-mark 0x10 mask 0xff tfcpad 16",
		"xfrm state update src 10.0.0.1 dst 10.0.0.3 proto esp spi 0x100 reqid 7 mode transport " +
			"enc cbc(aes) 0x00112233445566778899aabbccddeeff auth-trunc hmac(sha1) 0x00112233445566778899aabbccddeeff00112233 96 mark 5 mask 0xf",
		"-s xfrm state get src 10.0.0.1 dst 10.0.0.3 proto esp spi 0x100 mark 5 mask 0xf =",
		"xfrm state add src 10.0.0.1 dst 10.0.0.2 proto esp spi 1 enc aes " + guideAES + " mode tunnel !",
	})
}

// TestXfrmStateList lists, gets and deletes states by ID, mode, reqid and
// family, as ip xfrm state list, get, delete and deleteall select them.
// It needs ESP, as TestXfrmState does.
func TestXfrmStateList(t *testing.T) {
	xfrmReplay(t, []string{
		"xfrm state add src 10.0.0.1 dst 10.0.0.2 proto esp spi 1 enc aes " + guideAES + " auth sha256 " + guideSHA256 + " mode tunnel",
		"xfrm state add src 10.0.0.1 dst 10.0.0.4 proto esp spi 0x300 reqid 8 mode tunnel enc aes " + guideAES + " encap espinudp 4500 4500 0.0.0.0 replay-seq 5 replay-oseq 6 seq 9",
		"xfrm state add src fd::1 dst fd::2 proto esp spi 0x200 enc aes " + guideAES,
		"xfrm state get src 10.0.0.1 dst 10.0.0.2 proto esp spi 1 =",
		"xfrm state list proto esp reqid 8 =",
		"xfrm sa lst src 10.0.0.0/24 mode tunnel nokeys =",
		"-6 xfrm state =",
		"xfrm state delete src 10.0.0.1 dst 10.0.0.4 proto esp spi 0x300",
		"xfrm state deleteall src 10.0.0.1",
	})
}

// TestXfrmStateErrors checks that the example refuses what ip refuses, in
// ip's words and with its exit status: arguments ip rejects before it
// sends anything, and states the kernel does not have.
func TestXfrmStateErrors(t *testing.T) {
	const aes = "0x00112233445566778899aabbccddeeff"
	xfrmReplay(t, []string{
		"xfrm state add src 10.0.0.1 dst 10.0.0.5 proto esp spi 2 mode tunnel !",
		"xfrm state add src 10.0.0.1 dst 10.0.0.5 proto ah spi 2 enc aes " + aes + " !",
		"xfrm state add src 10.0.0.1 dst 10.0.0.5 proto esp spi 2 mode ro enc aes " + aes + " !",
		"xfrm state add proto esp spi 2 src 10.0.0.1 dst fd::1 enc aes " + aes + " !",
		"xfrm state add src 10.0.0.1 dst 10.0.0.5 proto route2 spi 2 mode ro coa 10.0.0.9 !",
		"xfrm state add src 10.0.0.1 dst 10.0.0.5 proto esp spi 2 enc aes " + aes + " flag esn !",
		"xfrm state add src 10.0.0.1 dst 10.0.0.5 proto esp spi 2 enc !",
		"xfrm state add src 10.0.0.1 dst 10.0.0.5 proto esp spi 2 enc aes " + aes + " mode !",
		"xfrm state add src 10.0.0.1 dst 10.0.0.5 proto comp spi 0x10000 comp deflate !",
		"xfrm state get src 10.0.0.1 dst 10.0.0.2 proto esp spi 9 !",
		"xfrm state delete src 10.0.0.1 dst 10.0.0.9 proto esp spi 9 !",
		"xfrm state flush proto tcp !",
		"xfrm state frob !",
	})
}

// TestXfrmStateFlush flushes states by protocol and all of them.
func TestXfrmStateFlush(t *testing.T) {
	const aes = "0x00112233445566778899aabbccddeeff"
	xfrmReplay(t, []string{
		"xfrm state add src 10.0.0.1 dst 10.0.0.2 proto esp spi 1 enc aes " + aes,
		"xfrm state add src 10.0.0.1 dst 10.0.0.3 proto esp spi 1 enc aes " + aes,
		"xfrm state flush proto ah",
		"xfrm state count =",
		"xfrm state flush",
	})
}

// TestXfrmAllocSPI has ip and the example each allocate an SPI, and both
// read both states: the SPIs the kernel picks cannot be replayed in two
// namespaces, so the states are compared in one.
func TestXfrmAllocSPI(t *testing.T) {
	ns := testns.New(t).Name()
	cmds := []string{
		"xfrm state allocspi src 10.0.0.1 dst 10.0.0.2 proto esp reqid 4 mode tunnel",
		"xfrm state allocspi src 10.0.0.1 dst 10.0.0.3 proto comp min 0x200 max 0x300 seq 7 mark 1",
	}
	for i, cmd := range cmds {
		args := strings.Fields(cmd)
		var out []byte
		if i%2 == 0 {
			out, _, _ = runIP(t, ns, args, nil)
		} else {
			var stderr []byte
			var code int
			if out, stderr, code = runExample(ns, args, nil); code != 0 {
				t.Fatalf("example ip %s: exit %d\n%s", cmd, code, stderr)
			}
		}
		if !strings.HasPrefix(string(out), "src 10.0.0.1 dst ") {
			t.Errorf("ip %s printed %q, not the new state", cmd, out)
		}
	}
	checkXfrmShows(t, ns, ns, false)
	for _, cmd := range []string{"xfrm state allocspi src 10.0.0.1 dst 10.0.0.2 proto esp spi 1", "xfrm state allocspi src 10.0.0.1 dst 10.0.0.2 proto esp min 5",
		"xfrm state allocspi src 10.0.0.1 dst 10.0.0.2 proto esp min 9 max 5", "xfrm state allocspi mode tunnel"} {
		_, ipErr, err := runIP(t, ns, strings.Fields(cmd), nil)
		_, exErr, code := runExample(ns, strings.Fields(cmd), nil)
		if exitCode(err) != code || string(ipErr) != string(exErr) {
			t.Errorf("ip %s fails differently:\nip:      %v %q\nexample: exit %d %q", cmd, err, ipErr, code, exErr)
		}
	}
}
