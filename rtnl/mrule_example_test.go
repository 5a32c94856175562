package rtnl_test

import (
	"context"
	"fmt"
	"log"

	"golang.org/x/sys/unix"

	"github.com/nlkit/nlkit/rtnl"
)

// List the IPv4 multicast routing rules, as `ip mrule show`.
func ExampleMulticastRules() {
	rules, err := rtnl.MulticastRules(context.Background(), unix.AF_INET)
	if err != nil {
		log.Fatal(err) // ErrNotSupported without multicast policy routing
	}
	for _, r := range rules {
		fmt.Println(r.Priority, r.IIF, r.Table)
	}
}
