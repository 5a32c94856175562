package rtnl_test

import (
	"context"
	"encoding/json"
	"errors"
	"net"
	"strings"
	"testing"

	"golang.org/x/sys/unix"

	"github.com/nlkit/nlkit/internal/testns"
	"github.com/nlkit/nlkit/rtnl"
)

// TestSimpleKinds creates, reads, compares and deletes the kinds that take
// no data: a LinkInfo with only the Kind set creates them, and a link read
// back has Info.Data nil (and ip prints no info_data for them).
func TestSimpleKinds(t *testing.T) {
	for _, kind := range []string{"dummy", "ifb", "wireguard"} {
		t.Run(kind, func(t *testing.T) {
			ns := testns.New(t)
			c := dial(t, ns)
			ctx := context.Background()
			kindsAdd(t, c, rtnl.Link{Name: kind + "0", Info: &rtnl.LinkInfo{Kind: kind}})
			// With link attributes, and up.
			err := c.AddLink(ctx, rtnl.Link{
				Name: kind + "1", MTU: 1280, TxQueueLen: 10, Group: 4, Flags: unix.IFF_UP,
				Info: &rtnl.LinkInfo{Kind: kind},
			})
			if err != nil {
				t.Fatalf("AddLink(%s1): %v", kind, err)
			}
			ns.IP(t, "link", "add", kind+"2", "type", kind)
			for _, name := range []string{kind + "0", kind + "1", kind + "2"} {
				l := mustLink(t, c, name)
				compareLink(t, l, ipLink(t, ns, name))
				if l.Info == nil || l.Info.Kind != kind || l.Info.Data != nil || l.Info.SlaveKind != "" {
					t.Errorf("%s: link info %+v; want kind %s without data", name, l.Info, kind)
				}
				var v struct {
					LinkInfo map[string]json.RawMessage `json:"linkinfo"`
				}
				ipLinkField(t, ns, name, &v)
				if _, ok := v.LinkInfo["info_data"]; ok || len(v.LinkInfo) != 1 {
					t.Errorf("%s: ip prints linkinfo %v; want info_kind alone", name, v.LinkInfo)
				}
			}
			l1 := mustLink(t, c, kind+"1")
			if l1.MTU != 1280 || l1.TxQueueLen != 10 || l1.Group != 4 || l1.Flags&unix.IFF_UP == 0 {
				t.Errorf("%s1 = %+v; not what was asked for", kind, l1)
			}

			// Link settings change as for any link; there is no kind data
			// to change.
			mtu := uint32(1300)
			if err := c.SetLink(ctx, l1.Index, rtnl.LinkChange{MTU: &mtu, Info: &rtnl.LinkInfo{Kind: kind}}); err != nil {
				t.Errorf("SetLink(%s1 mtu 1300, kind only): %v", kind, err)
			}
			if kind == "dummy" { // ifb and wireguard have no settable address
				addr := net.HardwareAddr{2, 0, 0, 0, 0, 0x77}
				if err := c.SetLink(ctx, l1.Index, rtnl.LinkChange{Address: addr}); err != nil {
					t.Errorf("SetLink(%s1 address): %v", kind, err)
				}
			}
			kindsCompareAll(t, ns, c)
			var shown []struct {
				Name string `json:"ifname"`
			}
			if err := json.Unmarshal(ns.IP(t, "-j", "link", "show", "type", kind), &shown); err != nil || len(shown) != 3 {
				t.Errorf("ip link show type %s: %v, %v", kind, shown, err)
			}
			byKind, err := c.Links(ctx, rtnl.FilterKind(kind))
			if err != nil || len(byKind) != 3 {
				t.Errorf("Links(FilterKind(%s)) = %d links, %v", kind, len(byKind), err)
			}

			// Delete, by index and by name.
			if err := c.DeleteLink(ctx, mustLink(t, c, kind+"0").Index); err != nil {
				t.Fatal(err)
			}
			if err := c.DeleteLinkByName(ctx, kind+"2"); err != nil {
				t.Fatal(err)
			}
			for _, name := range []string{kind + "0", kind + "2"} {
				if _, err := c.LinkByName(ctx, name); !errors.Is(err, rtnl.ErrNotExist) {
					t.Errorf("%s still exists (err %v)", name, err)
				}
			}
			ns.IP(t, "link", "del", kind+"1")
			if out := string(ns.IP(t, "link", "show", "type", kind)); strings.TrimSpace(out) != "" {
				t.Errorf("links of kind %s left:\n%s", kind, out)
			}
		})
	}
}

// TestSimpleKindsEnslaved reads dummy and ifb links enslaved to a bridge:
// no data of their own, bridge port data.
func TestSimpleKindsEnslaved(t *testing.T) {
	ns := testns.New(t)
	c := dial(t, ns)
	ctx := context.Background()
	kindsAdd(t, c, rtnl.Link{Name: "d0", Info: &rtnl.LinkInfo{Kind: "dummy"}})
	ns.IP(t, "link", "add", "br0", "type", "bridge")
	br := mustLink(t, c, "br0")
	if err := c.SetLink(ctx, mustLink(t, c, "d0").Index, rtnl.LinkChange{MasterIndex: &br.Index}); err != nil {
		t.Fatal(err)
	}
	l := mustLink(t, c, "d0")
	if l.Info.Kind != "dummy" || l.Info.Data != nil || l.Info.SlaveKind != "bridge" || l.Master != "br0" {
		t.Errorf("d0: %+v, info %+v", l, l.Info)
	}
	kindsCompareAll(t, ns, c)
}

func ExampleConn_AddLink_dummy() {
	ctx := context.Background()
	c, err := rtnl.Dial(ctx, rtnl.WithNetNSPath("/run/netns/blue"))
	if err != nil {
		return
	}
	defer c.Close()
	// Kinds without settings (dummy, ifb, wireguard, …) take a LinkInfo
	// with the Kind alone: ip link add dummy0 type dummy
	_ = c.AddLink(ctx, rtnl.Link{Name: "dummy0", Info: &rtnl.LinkInfo{Kind: "dummy"}})
	// ip link add wg0 type wireguard (keys and peers are set over generic
	// netlink, not rtnetlink)
	_ = c.AddLink(ctx, rtnl.Link{Name: "wg0", Info: &rtnl.LinkInfo{Kind: "wireguard"}})
}
