package main

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/nlkit/nlkit/examples/internal/extest"
	"github.com/nlkit/nlkit/internal/kfeature"
	"github.com/nlkit/nlkit/internal/testns"
)

// A scenario is a walk-through of the guide: commands, each run in the
// namespace of a role ("host", "net0", …). "{net0}" in a command stands
// for the name of that role's namespace. "> NAME" after a command keeps
// its output, "< NAME" feeds a kept output to it; a final "=" has the
// outputs of ip and of the example compared.
type scenario struct {
	kind  string // a link kind the host kernel may lack, or ""
	roles []string
	cmds  []string
	// shows are more show commands to compare byte for byte, also under
	// emulation.
	shows []string
}

// TestGuideAddress replays the guide's address walk-through.
func TestGuideAddress(t *testing.T) {
	replay(t, scenario{
		roles: []string{"host"},
		cmds: []string{
			"host link add eth0 type veth peer eth0p",
			"host link set eth0 up",
			"host addr add 10.0.0.1/24 dev eth0",
			"host addr add 10.0.2.1/24 brd + dev eth0",
			"host addr save dev eth0 > saved",
			"host addr showdump < saved =",
			"host addr delete 10.0.0.1/24 dev eth0",
			"host addr flush dev eth0",
			"host addr restore < saved",
		},
	})
}

// TestGuideLink replays the guide's link walk-through.
func TestGuideLink(t *testing.T) {
	replay(t, scenario{
		roles: []string{"host"},
		cmds: []string{
			"host link add eth0 type veth peer name eth0p",
			"host link set eth0 up",
			"host link set eth0 down",
			"host link set dev eth0p mtu 1400 txqueuelen 500",
			"host link set eth0p name eth1",
			"host link set dev eth1 address 02:00:00:00:00:11",
			"host link add br0 type bridge",
			"host link set eth1 master br0",
			"host link set eth1 type bridge_slave cost 5 learning off hairpin on",
			"host link set eth1 nomaster",
			"host link set eth1 master br0",
			"host link set dev br0 type bridge stp_state 1 forward_delay 400",
			"host link add br1 type bridge",
			"host link delete br1",
		},
	})
}

// TestGuideRoute replays the guide's route walk-through.
func TestGuideRoute(t *testing.T) {
	replay(t, scenario{
		roles: []string{"host"},
		cmds: []string{
			"host link add eth0 type veth peer eth0p",
			"host link set eth0 up",
			"host addr add 172.24.96.11/20 dev eth0",
			"host route add default via 172.24.96.1",
			"host route add 10.0.0.0/24 via 172.24.96.2",
			"host route delete 10.0.0.0/24",
			"host route add 10.0.0.0/24 dev eth0",
			"host route add blackhole 10.9.0.0/16",
			"host route add 10.7.0.0/16 nexthop via 172.24.96.2 weight 1 nexthop via 172.24.96.3 dev eth0 weight 2",
			"host route add unreachable 10.8.0.0/16 table 100",
		},
	})
}

// TestGuideRouteSave replays the guide's route save walk-through.
func TestGuideRouteSave(t *testing.T) {
	replay(t, scenario{
		roles: []string{"host"},
		cmds: []string{
			"host link set lo up",
			"host route add 172.17.0.0/16 dev lo metric 10",
			"host route add 172.17.1.0/24 dev lo",
			"host route save > saved",
			"host route showdump < saved =",
			"host route flush dev lo",
			"host route restore < saved",
		},
	})
}

// TestGuideRule replays a walk-through of ip rule, which the guide lists
// without one.
func TestGuideRule(t *testing.T) {
	replay(t, scenario{
		roles: []string{"host"},
		cmds: []string{
			"host rule add from 10.0.0.0/8 table 100 pref 100",
			"host rule add fwmark 0x1/0xff lookup 200",
			"host rule add not to 192.168.0.0/16 prohibit pref 300",
			"host -6 rule add from 2001:db8::/32 table 300",
			"host rule del pref 100",
			"host rule add from 10.1.0.0/16 iif lo lookup 101 pref 150",
		},
	})
}

// TestGuideNexthop replays a walk-through of ip nexthop, which the guide
// lists without one.
func TestGuideNexthop(t *testing.T) {
	replay(t, scenario{
		roles: []string{"host"},
		cmds: []string{
			"host link add eth0 type veth peer eth0p",
			"host link set eth0 up",
			"host link set eth0p up",
			"host link set lo up",
			"host addr add 10.0.0.1/24 dev eth0",
			"host nexthop add id 1 via 10.0.0.2 dev eth0",
			"host nexthop add id 2 blackhole",
			"host nexthop add id 3 via 10.0.0.3 dev eth0",
			"host nexthop add id 10 group 1/3,2",
			"host route add 10.5.0.0/16 nhid 10",
			"host nexthop del id 2",
		},
	})
}

// TestGuideNeigh replays the guide's neigh walk-through.
func TestGuideNeigh(t *testing.T) {
	replay(t, scenario{
		roles: []string{"host"},
		cmds: []string{
			"host link add eth0 type veth peer eth0p",
			"host link set eth0 up",
			"host neigh add 192.168.0.1 lladdr 11:22:33:44:55:66 dev eth0",
			"host neigh add 192.168.0.2 lladdr 11:22:33:44:55:67 dev eth0",
			"host neigh del 192.168.0.1 dev eth0",
		},
	})
}

// TestGuideTuntap replays the guide's tuntap walk-through.
func TestGuideTuntap(t *testing.T) {
	replay(t, scenario{
		roles: []string{"host"},
		cmds: []string{
			"host tuntap add dev tap0 mode tap",
			"host tuntap add dev tun0 mode tun",
			"host tuntap del dev tap0 mode tap",
			"host addr add 10.0.0.1/24 dev tun0",
			"host link set dev tun0 up",
		},
	})
}

// TestGuideVeth replays the guide's veth walk-through.
func TestGuideVeth(t *testing.T) {
	replay(t, scenario{
		roles: []string{"host", "net0a", "net0b"},
		cmds: []string{
			"host link add veth0a netns {net0a} type veth peer veth0b netns {net0b}",
			"net0a addr add 10.0.0.1/24 dev veth0a",
			"net0b addr add 10.0.0.2/24 dev veth0b",
			"net0a link set dev veth0a up",
			"net0b link set dev veth0b up",
		},
	})
}

// TestGuideBridge replays the guide's bridge walk-through.
func TestGuideBridge(t *testing.T) {
	replay(t, scenario{
		roles: []string{"host", "net0", "net1"},
		cmds:  bridgeCmds(),
	})
}

// TestGuideVlan replays the guide's vlan walk-through.
func TestGuideVlan(t *testing.T) {
	replay(t, scenario{
		kind: "vlan", roles: []string{"net0", "net1"},
		cmds: append(underlayCmds(),
			"net0 link add link veth0n name veth0n.100 type vlan id 100",
			"net1 link add link veth1n name veth1n.100 type vlan id 100",
			"net0 addr add 10.0.1.1/24 dev veth0n.100",
			"net0 link set dev veth0n.100 up",
			"net1 addr add 10.0.1.2/24 dev veth1n.100",
			"net1 link set dev veth1n.100 up",
		),
	})
}

// TestGuideVxlan replays the guide's vxlan walk-through.
func TestGuideVxlan(t *testing.T) {
	replay(t, overBridge(t,
		"net0 link add vxlan0 type vxlan id 100 dev veth0n remote 10.0.0.2 local 10.0.0.1 dstport 4789",
		"net1 link add vxlan0 type vxlan id 100 dev veth1n remote 10.0.0.1 local 10.0.0.2 dstport 4789",
		"net0 addr add 10.0.1.1/24 dev vxlan0",
		"net0 link set dev vxlan0 up",
		"net1 addr add 10.0.1.2/24 dev vxlan0",
		"net1 link set dev vxlan0 up",
	))
}

// TestGuideIpvlan replays the guide's ipvlan walk-through.
func TestGuideIpvlan(t *testing.T) {
	replay(t, scenario{
		kind: "ipvlan", roles: []string{"net0", "net1"},
		cmds: append(underlayCmds(),
			"net0 link add link veth0n name ipvlan0 type ipvlan mode l2",
			"net1 link add link veth1n name ipvlan1 type ipvlan mode l2",
			"net0 addr add 10.0.1.1/24 dev ipvlan0",
			"net0 link set dev ipvlan0 up",
			"net1 addr add 10.0.1.2/24 dev ipvlan1",
			"net1 link set dev ipvlan1 up",
		),
	})
}

// TestGuideMacvlan replays the guide's macvlan walk-through.
func TestGuideMacvlan(t *testing.T) {
	replay(t, overBridge(t,
		"net0 link add link veth0n name macvlan0 type macvlan mode bridge",
		"net1 link add link veth1n name macvlan1 type macvlan mode private",
		"net0 addr add 10.0.1.1/24 dev macvlan0",
		"net0 link set dev macvlan0 up",
		"net1 addr add 10.0.1.2/24 dev macvlan1",
		"net1 link set dev macvlan1 up",
	))
}

// TestGuideMacvlanSource replays the guide's macvlan source walk-through.
func TestGuideMacvlanSource(t *testing.T) {
	replay(t, overBridge(t,
		"net0 link add link veth0n name macvlan0 type macvlan mode source",
		"net1 link add link veth1n name macvlan1 type macvlan mode source",
		"net0 addr add 10.0.1.1/24 dev macvlan0",
		"net0 link set dev macvlan0 up",
		"net1 addr add 10.0.1.2/24 dev macvlan1",
		"net1 link set dev macvlan1 up",
		"net0 link set link dev macvlan0 type macvlan macaddr add 9a:4b:11:18:00:5e",
		"net1 link set link dev macvlan1 type macvlan macaddr add 7e:d9:65:33:05:7d",
	))
}

// TestGuideIpip replays the guide's ipip walk-through.
func TestGuideIpip(t *testing.T) {
	replay(t, scenario{
		kind: "ipip", roles: []string{"net0", "net1"},
		cmds: append(underlayCmds(),
			"net0 link add name ipip0 type ipip local 10.0.0.1 remote 10.0.0.2",
			"net1 link add name ipip0 type ipip local 10.0.0.2 remote 10.0.0.1",
			"net0 addr add 10.0.1.1/24 dev ipip0",
			"net0 link set dev ipip0 up",
			"net1 addr add 10.0.1.2/24 dev ipip0",
			"net1 link set dev ipip0 up",
		),
	})
}

// TestGuideVti replays the guide's vti walk-through.
func TestGuideVti(t *testing.T) {
	replay(t, scenario{
		kind: "vti", roles: []string{"net0", "net1"},
		cmds: append(underlayCmds(),
			"net0 link add name vti0 type vti key 1 local 10.0.0.1 remote 10.0.0.2",
			"net1 link add name vti0 type vti key 1 local 10.0.0.2 remote 10.0.0.1",
			"net0 addr add 10.0.1.1/24 dev vti0",
			"net0 link set dev vti0 up",
			"net1 addr add 10.0.1.2/24 dev vti0",
			"net1 link set dev vti0 up",
		),
	})
}

// TestGuideGre replays the guide's gre walk-through.
func TestGuideGre(t *testing.T) {
	replay(t, scenario{
		kind: "gre", roles: []string{"net0", "net1"},
		cmds: append(underlayCmds(),
			"net0 link add gre1 type gre key 1 local 10.0.0.1 remote 10.0.0.2",
			"net1 link add gre1 type gre key 1 local 10.0.0.2 remote 10.0.0.1",
			"net0 addr add 10.0.1.1/24 dev gre1",
			"net0 link set dev gre1 up",
			"net1 addr add 10.0.1.2/24 dev gre1",
			"net1 link set dev gre1 up",
		),
	})
}

// TestGuideGretap replays the guide's gretap walk-through.
func TestGuideGretap(t *testing.T) {
	replay(t, scenario{
		kind: "gretap", roles: []string{"net0", "net1"},
		cmds: append(underlayCmds(),
			"net0 link add gre1 type gretap key 1 local 10.0.0.1 remote 10.0.0.2",
			"net1 link add gre1 type gretap key 1 local 10.0.0.2 remote 10.0.0.1",
			"net0 addr add 10.0.1.1/24 dev gre1",
			"net0 link set dev gre1 up",
			"net1 addr add 10.0.1.2/24 dev gre1",
			"net1 link set dev gre1 up",
		),
	})
}

// TestGuideGeneve replays the guide's geneve walk-through.
func TestGuideGeneve(t *testing.T) {
	replay(t, scenario{
		kind: "geneve", roles: []string{"net0", "net1"},
		cmds: append(underlayCmds(),
			"net0 link add geneve0 type geneve id 1 remote 10.0.0.2",
			"net1 link add geneve0 type geneve id 1 remote 10.0.0.1",
			"net0 addr add 10.0.1.1/24 dev geneve0",
			"net0 link set dev geneve0 up",
			"net1 addr add 10.0.1.2/24 dev geneve0",
			"net1 link set dev geneve0 up",
		),
	})
}

// bridgeCmds are the guide's bridge walk-through.
func bridgeCmds() []string {
	return []string{
		"host link add br0 type bridge",
		"host link add veth0 type veth peer veth0n netns {net0}",
		"host link set veth0 master br0",
		"host link add veth1 type veth peer veth1n netns {net1}",
		"host link set veth1 master br0",
		"net0 addr add 10.0.0.1/24 dev veth0n",
		"net0 link set dev veth0n up",
		"net1 addr add 10.0.0.2/24 dev veth1n",
		"net1 link set dev veth1n up",
		"host link set dev veth0 up",
		"host link set dev veth1 up",
		"host link set dev br0 up",
	}
}

// overBridge is a walk-through whose commands follow the guide's bridge
// walk-through. Under emulation, where it must be quick, a plain veth
// pair (underlayCmds) stands in for the bridge, as it does for the kinds
// only the VM tests have.
func overBridge(t *testing.T, cmds ...string) scenario {
	if testns.Emulated() {
		t.Log("under emulation a veth pair stands in for the guide's bridge; the host run builds the bridge")
		return scenario{roles: []string{"net0", "net1"}, cmds: append(underlayCmds(), cmds...)}
	}
	return scenario{roles: []string{"host", "net0", "net1"}, cmds: append(bridgeCmds(), cmds...)}
}

// underlayCmds join net0 and net1 directly, as the bridge does in the
// guide, for the walk-throughs of the kinds that only the full kernels of
// the VM tests have: they run under emulation, and must be quick there.
func underlayCmds() []string {
	return []string{
		"net0 link add veth0n type veth peer veth1n netns {net1}",
		"net0 addr add 10.0.0.1/24 dev veth0n",
		"net0 link set dev veth0n up",
		"net1 addr add 10.0.0.2/24 dev veth1n",
		"net1 link set dev veth1n up",
	}
}

// kindShows are the show commands compared for the kinds that only the
// VM tests have: fewer than guideShows, to keep them quick.
func kindShows() []string {
	return []string{"-j -d link show", "-j addr show", "-br link show", "link show"}
}

// guideShows are the guide's show commands (and a few more forms), whose
// -j output the example must print byte for byte as ip does.
func guideShows() []string {
	return []string{
		"-j link show", "-j -d link show", "-j -s link show", "-j -p link show", "-j -br link show",
		"-j addr show", "-j -d -s addr show", "-j -4 addr show", "-j -6 addr show", "-j -br addr show", "-j -p addr",
		"-j route show", "-j -d route show table all", "-j -6 route show", "-j route show table all",
		"-j neigh show", "-j -s neigh show", "-j rule show", "-j -6 rule show", "-j nexthop show", "-j -d nexthop show", "-j maddr show", "-j tuntap show",
		"-br link show", "-br addr show", "link show", "addr show", "route show", "neigh show", "nexthop show", "-d nexthop show", "rule show",
	}
}

// replay runs the scenario's commands through ip in one set of
// namespaces and through the example in another, compares the resulting
// state as ip -j -d -s reads it, then compares the example's output of the
// guide's show commands with ip's, byte for byte but for the bridge's
// running timers.
//
// Under emulation (the VM tests of CI) only -j -d link show is compared
// byte for byte, to keep each test quick there; the state is compared in
// full.
func replay(t *testing.T, sc scenario) {
	ipNS, exNS := runSteps(t, sc)
	shows := guideShows()
	switch {
	case testns.Emulated():
		// The formats are the host's to check; under emulation only the
		// one that shows what the kernel reports of each kind is.
		shows = []string{"-j -d link show"}
		t.Logf("under emulation only %q and the scenario's own %q are compared byte for byte; the host run compares the %d shows of guideShows", shows[0], sc.shows, len(guideShows()))
	case sc.kind != "":
		shows = kindShows()
	}
	shows = append(shows, sc.shows...)
	states := []string{"-j -d -s link show", "-j -d -s addr show", "-j -d route show table all"}
	for _, object := range []string{"neigh", "rule", "nexthop"} {
		if sc.touches(object) {
			states = append(states, "-j -d -s "+object+" show", "-6 -j -d -s "+object+" show")
		}
	}
	for _, role := range sc.roles {
		for _, show := range states {
			args := strings.Fields(show)
			eventually(t, func() string {
				want := extest.Stable(normalize(extest.JSON(t, "ip", append([]string{"-n", ipNS[role]}, args...)...)))
				got := extest.Stable(normalize(extest.JSON(t, "ip", append([]string{"-n", exNS[role]}, args...)...)))
				if diff := cmp.Diff(want, got); diff != "" {
					return fmt.Sprintf("%s: ip %s: the example's state differs from ip's (-ip +example):\n%s", role, show, diff)
				}
				return ""
			})
		}
		for _, show := range shows {
			args := strings.Fields(show)
			eventually(t, func() string {
				want, _, err := runIP(t, exNS[role], args, nil)
				if err != nil {
					t.Fatalf("ip -n %s %s: %v", exNS[role], show, err)
				}
				got, stderr, code := runExample(exNS[role], args, nil)
				if code != 0 {
					t.Fatalf("example ip -n %s %s: exit %d\n%s", exNS[role], show, code, stderr)
				}
				if w, g := withoutTimers(want), withoutTimers(got); w != g {
					return fmt.Sprintf("%s: ip %s differs:\nip:      %s\nexample: %s", role, show, w, g)
				}
				return ""
			})
		}
	}
}

// runSteps runs the scenario's commands (ROLE ARGS… [> OUT] [< IN] [=])
// through ip in one set of namespaces and through the example in another,
// and returns the two sets. A command that fails stops the test; with =,
// the example must print what ip printed.
func runSteps(t *testing.T, sc scenario) (ipNS, exNS map[string]string) {
	t.Helper()
	ipNS, exNS = names(t, sc.roles), names(t, sc.roles)
	ipOut, exOut := map[string][]byte{}, map[string][]byte{}
	for _, cmd := range sc.cmds {
		role, args, in, out, same := parseStep(cmd)
		ipArgs := expand(args, ipNS)
		stdout, stderr, err := runIP(t, ipNS[role], ipArgs, ipOut[in])
		if err != nil {
			if sc.kind != "" && bytes.Contains(stderr, []byte("Unknown device type")) {
				// The kernel's EOPNOTSUPP for a kind it lacks.
				kfeature.Missing(t, kfeature.LinkKind(sc.kind), errors.New(string(stderr)))
			}
			t.Fatalf("ip -n %s %s: %v\n%s", ipNS[role], strings.Join(ipArgs, " "), err, stderr)
		}
		ipOut[out] = stdout
		exArgs := expand(args, exNS)
		stdout, stderr, code := runExample(exNS[role], exArgs, exOut[in])
		if code != 0 {
			t.Fatalf("example ip -n %s %s: exit %d\n%s", exNS[role], strings.Join(exArgs, " "), code, stderr)
		}
		exOut[out] = stdout
		if same && string(stdout) != string(ipOut[out]) {
			t.Errorf("ip %s:\nip:      %s\nexample: %s", strings.Join(args, " "), ipOut[out], stdout)
		}
	}
	return ipNS, exNS
}

// touches reports whether a command of the scenario acts on the object.
func (sc scenario) touches(object string) bool {
	for _, cmd := range sc.cmds {
		if strings.Contains(" "+cmd+" ", " "+object+" ") {
			return true
		}
	}
	return false
}

// eventually runs check until it reports no difference, for up to three
// seconds: the kernel finishes some work after a command returns (a
// carrier seen up, IPv6 duplicate address detection), and two reads may
// fall on either side of it. The last difference fails the test.
func eventually(t *testing.T, check func() string) {
	t.Helper()
	deadline := time.Now().Add(3 * time.Second)
	for {
		diff := check()
		if diff == "" {
			return
		}
		if time.Now().After(deadline) {
			t.Error(diff)
			return
		}
		time.Sleep(100 * time.Millisecond)
	}
}

// names makes a fresh namespace for each role.
func names(t *testing.T, roles []string) map[string]string {
	m := map[string]string{}
	for _, r := range roles {
		m[r] = testns.New(t).Name()
	}
	return m
}

// parseStep splits "ROLE ARGS… [> OUT] [< IN] [=]".
func parseStep(cmd string) (role string, args []string, in, out string, same bool) {
	f := strings.Fields(cmd)
	role, f = f[0], f[1:]
	if same = f[len(f)-1] == "="; same {
		f = f[:len(f)-1]
	}
	for len(f) >= 2 && (f[len(f)-2] == ">" || f[len(f)-2] == "<") {
		if f[len(f)-2] == ">" {
			out = f[len(f)-1]
		} else {
			in = f[len(f)-1]
		}
		f = f[:len(f)-2]
	}
	return role, f, in, out, same
}

// expand replaces {ROLE} with the role's namespace.
func expand(args []string, ns map[string]string) []string {
	out := make([]string, len(args))
	for i, a := range args {
		for role, name := range ns {
			a = strings.ReplaceAll(a, "{"+role+"}", name)
		}
		out[i] = a
	}
	return out
}

// runIP runs ip in the namespace ns. Its standard input is a file, as
// ip's restore commands need one they can seek in.
func runIP(t *testing.T, ns string, args []string, stdin []byte) (stdout, stderr []byte, err error) {
	var o, e bytes.Buffer
	if ns != "" {
		args = append([]string{"-n", ns}, args...)
	}
	cmd := exec.Command("ip", args...)
	if stdin != nil {
		name := filepath.Join(t.TempDir(), "stdin")
		if err := os.WriteFile(name, stdin, 0o600); err != nil {
			t.Fatal(err)
		}
		f, err := os.Open(name)
		if err != nil {
			t.Fatal(err)
		}
		defer f.Close()
		cmd.Stdin = f
	}
	cmd.Stdout, cmd.Stderr = &o, &e
	err = cmd.Run()
	return o.Bytes(), e.Bytes(), err
}

// exitCode is the exit status of a command runIP ran: 0 when it
// succeeded, -1 when it did not run.
func exitCode(err error) int {
	if err == nil {
		return 0
	}
	var ee interface{ ExitCode() int }
	if errors.As(err, &ee) {
		return ee.ExitCode()
	}
	return -1
}

func runExample(ns string, args []string, stdin []byte) (stdout, stderr []byte, code int) {
	var o, e bytes.Buffer
	if ns != "" {
		args = append([]string{"-n", ns}, args...)
	}
	code = run(context.Background(), args, bytes.NewReader(stdin), &o, &e)
	return o.Bytes(), e.Bytes(), code
}

// withoutTimers blanks the bridge's running timers, which move between
// reads.
func withoutTimers(b []byte) string {
	timers := regexp.MustCompile(`("[a-z_]+_timer": ?)[0-9.]+|(_timer) +[0-9.]+`)
	return timers.ReplaceAllString(string(b), "${1}${2} T")
}

// normalize drops from ip's JSON what differs between two namespaces
// built by the same commands: the random link-layer addresses and what is
// made from them (bridge ids, IPv6 link-local addresses and their routes).
func normalize(v any) any {
	switch v := v.(type) {
	case map[string]any:
		if dst, ok := v["dst"].(string); ok && strings.HasPrefix(dst, "fe80::") && dst != "fe80::/64" {
			return nil
		}
		if states, ok := v["state"].([]any); ok && len(states) == 1 && states[0] != "PERMANENT" {
			delete(v, "lladdr") // learned from traffic
		}
		m := map[string]any{}
		for k, e := range v {
			switch k {
			case "address", "perm_address", "permaddr", "bridge_id", "root_id", "designated_root", "designated_bridge", "prefsrc6":
				if s, ok := e.(string); ok && strings.Count(s, ":") == 5 || k != "address" {
					continue
				}
			}
			if e := normalize(e); e != nil {
				m[k] = e
			}
		}
		return m
	case []any:
		s := []any{}
		for _, e := range v {
			if e := normalize(e); e != nil {
				s = append(s, e)
			}
		}
		return s
	}
	return v
}
