package xfrm_test

import (
	"context"
	"net/netip"
	"testing"

	"github.com/nlkit/nlkit/internal/kfeature"
	"github.com/nlkit/nlkit/internal/testns"
	"github.com/nlkit/nlkit/xfrm"
)

// TestStateCompAndMobileIPv6 covers the protocols other than ESP and AH
// (comp, route2, hao) and the mode ro, both ways against
// ip.
func TestStateCompAndMobileIPv6(t *testing.T) {
	ns := testns.New(t)
	c := dial(t, ns)
	ctx := context.Background()
	a := netip.MustParseAddr
	comp := xfrm.State{Src: a("10.0.0.1"), Dst: a("10.0.0.2"), Proto: xfrm.ProtoComp, SPI: 0x1000, Mode: xfrm.ModeTunnel,
		Comp: &xfrm.Algorithm{Name: "deflate"}}
	if err := c.AddState(ctx, comp); err != nil {
		kfeature.Check(t, featIPComp, err)
		t.Fatal(err)
	}
	route2 := xfrm.State{Src: a("2001:db8::1"), Dst: a("2001:db8::2"), Proto: xfrm.ProtoRoute2, Mode: xfrm.ModeRO,
		CareOf: a("2001:db8::3")}
	if err := c.AddState(ctx, route2); err != nil {
		kfeature.Check(t, featMIP6, err)
		t.Fatal(err)
	}
	ns.IPBatch(t,
		"xfrm state add src 2001:db8::4 dst 2001:db8::5 proto hao mode ro coa 2001:db8::6",
		"xfrm state add src 2001:db8::7 dst 2001:db8::8 proto route2 mode ro coa 2001:db8::9",
		"xfrm state add src 10.0.0.3 dst 10.0.0.4 proto comp spi 0x2000 comp deflate mode transport",
	)
	got, err := c.States(ctx)
	if err != nil {
		t.Fatal(err)
	}
	checkStateText(t, ns, got)
	for _, w := range []xfrm.State{comp, route2} {
		g, err := c.GetState(ctx, w.ID())
		if err != nil {
			t.Fatalf("get %+v: %v", w.ID(), err)
		}
		checkStateFields(t, w, g)
	}
	hao, err := c.GetState(ctx, xfrm.StateID{Src: a("2001:db8::4"), Dst: a("2001:db8::5"), Proto: xfrm.ProtoHAO})
	if err != nil || hao.Mode != xfrm.ModeRO || hao.CareOf != a("2001:db8::6") {
		t.Errorf("hao state %+v, %v", hao, err)
	}
}
