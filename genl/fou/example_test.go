package fou_test

import (
	"context"
	"log"

	"golang.org/x/sys/unix"

	"github.com/nlkit/nlkit/genl"
	"github.com/nlkit/nlkit/genl/fou"
)

// Receive IPIP over UDP port 5555 in a named namespace, as `ip -n blue fou
// add port 5555 ipproto ipip` does.
func ExampleAdd() {
	ctx := context.Background()
	c, err := genl.Dial(ctx, genl.WithNetNSPath("/run/netns/blue"))
	if err != nil {
		log.Fatal(err)
	}
	defer c.Close()
	if err := fou.Add(ctx, c, fou.ReceivePort{Port: 5555, Encap: fou.Direct, IPProto: unix.IPPROTO_IPIP}); err != nil {
		log.Fatal(err) // errors.Is(err, genl.ErrNotSupported) without FOU
	}
}
