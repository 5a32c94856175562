package xfrm_test

import (
	"context"
	"fmt"
	"log"
	"net/netip"

	"github.com/nlkit/nlkit/xfrm"
)

// Read the anti-replay counters of the guide's ESP state in net0, then
// carry them, raised by a margin, over to the state of SPI 2 (as a key
// manager does when it rekeys), and have the kernel report the replay
// state every 32 packets.
func ExampleConn_GetAEvent() {
	ctx := context.Background()
	c, err := xfrm.Dial(ctx, xfrm.WithNetNSPath("/run/netns/net0"))
	if err != nil {
		log.Fatal(err)
	}
	defer c.Close()
	id := xfrm.StateID{Dst: netip.MustParseAddr("10.0.0.2"), Proto: xfrm.ProtoESP, SPI: 1}
	ae, err := c.GetAEvent(ctx, id)
	if err != nil {
		log.Fatal(err) // matches xfrm.ErrNotExist without the state
	}
	if ae.Replay != nil {
		fmt.Printf("seq %d oseq %d\n", ae.Replay.Seq, ae.Replay.OSeq)
	}
	id.SPI = 2
	thresh := uint32(32)
	err = c.SetAEvent(ctx, xfrm.AEvent{ID: id, Replay: &xfrm.Replay{OSeq: ae.Replay.OSeq + 1000}, ReplayThresh: &thresh})
	if err != nil {
		log.Fatal(err)
	}
}

// Print the async events of net0 as `ip -n net0 xfrm monitor aevent`
// does.
func ExampleConn_Monitor_aevents() {
	ctx := context.Background()
	c, err := xfrm.Dial(ctx, xfrm.WithNetNSPath("/run/netns/net0"))
	if err != nil {
		log.Fatal(err)
	}
	defer c.Close()
	for ev, err := range c.Monitor(ctx, xfrm.GroupAEvents) {
		if err != nil {
			log.Fatal(err)
		}
		fmt.Print(ev.Text(xfrm.TextOptions{}))
	}
}
