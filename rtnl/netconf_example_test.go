package rtnl_test

import (
	"context"
	"encoding/json"
	"fmt"
	"log"
	"os"

	"golang.org/x/sys/unix"

	"github.com/nlkit/nlkit/rtnl"
)

// Print what `ip -j -4 netconf show` prints.
func ExampleNetConfs() {
	ncs, err := rtnl.NetConfs(context.Background(), rtnl.FilterNetConfFamily(unix.AF_INET))
	if err != nil {
		log.Fatal(err)
	}
	enc := json.NewEncoder(os.Stdout)
	enc.SetEscapeHTML(false)
	if err := enc.Encode(ncs); err != nil {
		log.Fatal(err)
	}
}

// Read whether IPv6 forwarding is on for every link, as the sysctl
// net.ipv6.conf.all.forwarding says.
func ExampleGetNetConf() {
	n, err := rtnl.GetNetConf(context.Background(), unix.AF_INET6, rtnl.NetConfAll)
	if err != nil {
		log.Fatal(err)
	}
	if n.Forwarding != nil {
		fmt.Println("forwarding:", *n.Forwarding)
	}
}

// A NetConf marshals to an element of `ip -j netconf show`.
func ExampleNetConf_MarshalJSON() {
	on, loose := true, rtnl.RPFilterLoose
	b, err := json.Marshal(rtnl.NetConf{Family: unix.AF_INET, LinkIndex: 2, LinkName: "eth0", Forwarding: &on, RPFilter: &loose})
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println(string(b))
	// Output: {"family":"inet","interface":"eth0","forwarding":true,"rp_filter":"loose"}
}
