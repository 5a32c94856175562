package mptcp_test

import (
	"context"
	"encoding/json"
	"fmt"
	"log"
	"net/netip"
	"os"

	"github.com/nlkit/nlkit/genl"
	"github.com/nlkit/nlkit/genl/mptcp"
)

// Add a signal endpoint in a named namespace, as `ip -n blue mptcp endpoint
// add 10.0.0.1 dev eth0 id 3 signal` does.
func ExampleAddEndpoint() {
	ctx := context.Background()
	c, err := genl.Dial(ctx, genl.WithNetNSPath("/run/netns/blue"))
	if err != nil {
		log.Fatal(err)
	}
	defer c.Close()
	err = mptcp.AddEndpoint(ctx, c, mptcp.Endpoint{
		Address:   netip.MustParseAddr("10.0.0.1"),
		ID:        3,
		Flags:     mptcp.Signal,
		LinkIndex: 2, // eth0
	})
	if err != nil {
		log.Fatal(err)
	}
}

// Print the endpoints as `ip -j mptcp endpoint show` does.
func ExampleEndpoints() {
	ctx := context.Background()
	c, err := genl.Dial(ctx)
	if err != nil {
		log.Fatal(err)
	}
	defer c.Close()
	es, err := mptcp.Endpoints(ctx, c)
	if err != nil {
		log.Fatal(err)
	}
	if err := json.NewEncoder(os.Stdout).Encode(es); err != nil {
		log.Fatal(err)
	}
}

// An Endpoint marshals to the JSON ip prints.
func ExampleEndpoint_MarshalJSON() {
	e := mptcp.Endpoint{Address: netip.MustParseAddr("10.0.0.2"), ID: 4, Flags: mptcp.Subflow | mptcp.Backup, LinkIndex: 2, LinkName: "eth0"}
	j, _ := json.Marshal(e)
	fmt.Println(string(j))
	// Output: {"address":"10.0.0.2","id":4,"subflow":true,"backup":true,"dev":"eth0"}
}

// Print the path manager's events of a named namespace, as `ip -n blue
// mptcp monitor` does.
func ExampleSubscribeEvents() {
	ctx := context.Background()
	c, err := genl.Dial(ctx, genl.WithNetNSPath("/run/netns/blue"))
	if err != nil {
		log.Fatal(err)
	}
	defer c.Close()
	sub, err := mptcp.SubscribeEvents(ctx, c)
	if err != nil {
		log.Fatal(err)
	}
	defer sub.Close()
	for e, err := range sub.Events(ctx) {
		if err != nil {
			log.Fatal(err)
		}
		fmt.Println(e)
	}
}
