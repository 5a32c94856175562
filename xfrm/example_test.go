package xfrm_test

import (
	"context"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"log"
	"net/netip"
	"os"

	"github.com/nlkit/nlkit/xfrm"
)

// Add the ESP tunnel state of the guide's VTI scenario, as
// `ip -n net0 xfrm state add src 10.0.0.1 dst 10.0.0.2 proto esp spi 1
// enc aes 0xKEY auth sha256 0xKEY mode tunnel` does.
func ExampleConn_AddState() {
	ctx := context.Background()
	c, err := xfrm.Dial(ctx, xfrm.WithNetNSPath("/run/netns/net0"))
	if err != nil {
		log.Fatal(err)
	}
	defer c.Close()
	encKey, _ := hex.DecodeString("000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f")
	authKey, _ := hex.DecodeString("202122232425262728292a2b2c2d2e2f303132333435363738393a3b3c3d3e3f")
	err = c.AddState(ctx, xfrm.State{
		Src:   netip.MustParseAddr("10.0.0.1"),
		Dst:   netip.MustParseAddr("10.0.0.2"),
		Proto: xfrm.ProtoESP,
		SPI:   1,
		Mode:  xfrm.ModeTunnel,
		Enc:   &xfrm.Algorithm{Name: "aes", Key: encKey},
		Auth:  &xfrm.Algorithm{Name: "sha256", Key: authKey},
	})
	if errors.Is(err, xfrm.ErrNotSupported) {
		log.Fatal("this kernel lacks ESP or the algorithms: ", err) // "Requested type not found"
	}
	if err != nil {
		log.Fatal(err)
	}
}

// Add the outbound policy of the guide's VTI scenario, as
// `ip -n net0 xfrm policy add dir out tmpl src 10.0.0.1 dst 10.0.0.2
// proto esp spi 1 mode tunnel mark 1` does.
func ExampleConn_AddPolicy() {
	ctx := context.Background()
	c, err := xfrm.Dial(ctx, xfrm.WithNetNSPath("/run/netns/net0"))
	if err != nil {
		log.Fatal(err)
	}
	defer c.Close()
	err = c.AddPolicy(ctx, xfrm.Policy{
		Dir:  xfrm.DirOut,
		Mark: xfrm.Mark{Value: 1}, // mask 0xffffffff
		Templates: []xfrm.Template{{
			Src: netip.MustParseAddr("10.0.0.1"), Dst: netip.MustParseAddr("10.0.0.2"),
			Proto: xfrm.ProtoESP, SPI: 1, Mode: xfrm.ModeTunnel,
		}},
	})
	if err != nil {
		log.Fatal(err)
	}
}

// Print the ESP states with their counters in nlkit's JSON form, as
// `ip -s xfrm state list proto esp` lists them.
func ExampleStates() {
	states, err := xfrm.States(context.Background(), xfrm.FilterStateProto(xfrm.ProtoESP))
	if err != nil {
		log.Fatal(err)
	}
	enc := json.NewEncoder(os.Stdout)
	enc.SetEscapeHTML(false)
	if err := enc.Encode(states); err != nil {
		log.Fatal(err)
	}
}

// Print the outbound policies and their templates, as
// `ip xfrm policy list dir out`.
func ExamplePolicies() {
	pols, err := xfrm.Policies(context.Background(), xfrm.FilterPolicyDir(xfrm.DirOut))
	if err != nil {
		log.Fatal(err)
	}
	for _, p := range pols {
		fmt.Println(p.Selector.Src, p.Selector.Dst, p.Dir, p.Priority)
		for _, t := range p.Templates {
			fmt.Println("\ttmpl", t.Src, t.Dst, t.Proto, t.Mode)
		}
	}
}

// Follow soft and hard expires, as `ip xfrm monitor expire` does, until
// the context ends.
func ExampleConn_Monitor() {
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	c, err := xfrm.Dial(ctx, xfrm.WithNetNSPath("/run/netns/net0"))
	if err != nil {
		log.Fatal(err)
	}
	defer c.Close()
	for ev, err := range c.Monitor(ctx, xfrm.GroupExpire) {
		if err != nil {
			log.Fatal(err)
		}
		if ev.Type == xfrm.EventExpire {
			fmt.Println("state", ev.State.Dst, ev.State.Proto, ev.State.SPI, "expired, hard:", ev.Hard)
		}
	}
}
