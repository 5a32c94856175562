package main

import (
	"bytes"
	"context"
	"io"
	"net/netip"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/nlkit/nlkit/examples/internal/extest"
	"github.com/nlkit/nlkit/examples/internal/nsset"
	"github.com/nlkit/nlkit/internal/kfeature"
	"github.com/nlkit/nlkit/internal/testns"
	"github.com/nlkit/nlkit/rtnl"
	"github.com/nlkit/nlkit/xfrm"
)

// espStates is the kernel feature of the tunnel's security associations.
func espStates() kfeature.Feature {
	return kfeature.Feature{Name: "ESP states", Since: "2.6", Config: []string{"CONFIG_INET_ESP"}}
}

// needVTIAndESP skips the test, through kfeature, on a kernel without vti
// devices or ESP states: it tries both in a namespace of its own.
func needVTIAndESP(t *testing.T) {
	t.Helper()
	ns := testns.New(t)
	c, err := rtnl.Dial(t.Context(), rtnl.WithNetNS(ns.FD()))
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	err = c.AddLink(t.Context(), rtnl.Link{Name: "probe", Info: &rtnl.LinkInfo{Data: &rtnl.Vti{Remote: netip.MustParseAddr("10.9.9.9")}}})
	if err != nil {
		kfeature.Missing(t, kfeature.LinkKind("vti"), err)
	}
	x, err := xfrm.Dial(t.Context(), xfrm.WithNetNS(ns.FD()))
	if err != nil {
		t.Fatal(err)
	}
	defer x.Close()
	err = x.AddState(t.Context(), xfrm.State{Src: netip.MustParseAddr("10.9.9.1"), Dst: netip.MustParseAddr("10.9.9.2"), Proto: xfrm.ProtoESP, SPI: 1,
		Enc: &xfrm.Algorithm{Name: "cbc(aes)", Key: make([]byte, 16)}})
	if err != nil {
		kfeature.Missing(t, espStates(), err)
	}
}

// newTestTopology is the topology with the test's prefix.
func newTestTopology(t *testing.T) *topology {
	top, err := newTopology(extest.Prefix(t))
	if err != nil {
		t.Fatal(err)
	}
	return top
}

// TestRun builds the tunnel (Run has proved that the echo crossed it and
// that the ESP states counted it), and while it stands compares what run
// printed with what ip prints for each side: the VTI device as ip -j -d -s
// link show prints it, and the states and policies as ip xfrm shows them,
// rendered from what was printed. Then it checks that nothing is left.
func TestRun(t *testing.T) {
	needVTIAndESP(t)
	var out bytes.Buffer
	top := newTestTopology(t)
	var names []string
	cfg := nsset.Config{Out: &out, Log: io.Discard}
	cfg.Inspect = func(ctx context.Context) error {
		names = top.Names()
		printed := extest.Decode(t, out.Bytes()).(map[string]any)
		for _, name := range names {
			s := printed[name].(map[string]any)
			want := extest.Stable(extest.JSON(t, "ip", "-n", name, "-j", "-d", "-s", "link", "show", tunnel))
			if diff := cmp.Diff(want, extest.Stable(s["link"])); diff != "" {
				t.Errorf("%s: printed link differs from ip -j -d -s link show (-ip +run):\n%s", name, diff)
			}
			if n := len(s["xfrm_state"].([]any)); n != 2 {
				t.Errorf("%s: printed %d states, want 2", name, n)
			}
			if n := len(s["xfrm_policy"].([]any)); n != 2 {
				t.Errorf("%s: printed %d policies, want 2", name, n)
			}
			checkXfrmText(t, name)
		}
		return nil
	}
	if err := nsset.Run(t.Context(), top, cfg); err != nil {
		t.Fatal(err)
	}
	extest.AssertRemoved(t, names...)
}

// checkXfrmText compares ip xfrm state and policy show in the namespace
// with the text of what nlkit reads there.
func checkXfrmText(t *testing.T, ns string) {
	t.Helper()
	x, err := dialXfrm(t.Context(), ns)
	if err != nil {
		t.Fatal(err)
	}
	defer x.Close()
	states, err := x.States(t.Context())
	if err != nil {
		t.Fatal(err)
	}
	policies, err := x.Policies(t.Context())
	if err != nil {
		t.Fatal(err)
	}
	var got strings.Builder
	for _, s := range states {
		got.WriteString(s.Text(xfrm.TextOptions{}))
	}
	for _, p := range policies {
		got.WriteString(p.Text(xfrm.TextOptions{}))
	}
	want := string(extest.Run(t, "ip", "-n", ns, "xfrm", "state", "show")) + string(extest.Run(t, "ip", "-n", ns, "xfrm", "policy", "show"))
	if want != got.String() {
		t.Errorf("%s: ip xfrm state/policy show:\n%s\nnlkit read:\n%s", ns, want, got.String())
	}
	if !strings.Contains(want, "mark 0x1/0xffffffff") || !strings.Contains(want, "enc cbc(aes) 0x") {
		t.Errorf("%s: the states and policies are not the guide's:\n%s", ns, want)
	}
}

// TestRunRemovesOnCancel cancels the context while the tunnel stands, as
// Ctrl-C does: run returns the context's error and removes everything.
func TestRunRemovesOnCancel(t *testing.T) {
	needVTIAndESP(t)
	extest.RunRemovesOnCancel(t, newTestTopology(t))
}

// TestRunRemovesOnError makes the build fail half-way, on a namespace
// name that is taken: what run made is removed, what it did not make is
// left alone.
func TestRunRemovesOnError(t *testing.T) {
	top := newTestTopology(t)
	extest.RunRemovesOnError(t, top, top.ends[1].ns)
}
