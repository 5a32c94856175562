package rtnl_test

import (
	"context"
	"encoding/json"
	"fmt"
	"log"
	"net/netip"

	"golang.org/x/sys/unix"

	"github.com/nlkit/nlkit/rtnl"
)

// Route the traffic from a prefix through table 100, as
// `ip rule add from 192.0.2.0/24 table 100 pref 1000` does.
func ExampleConn_AddRule() {
	ctx := context.Background()
	c, err := rtnl.Dial(ctx, rtnl.WithNetNSPath("/run/netns/blue"))
	if err != nil {
		log.Fatal(err)
	}
	defer c.Close()
	err = c.AddRule(ctx, rtnl.Rule{
		Priority: 1000,
		Src:      netip.MustParsePrefix("192.0.2.0/24"),
		Table:    100,
	})
	if err != nil {
		log.Fatal(err) // errors.Is(err, rtnl.ErrExist) if it is there already
	}
}

// List the IPv6 rules that look routes up in the main table, as
// `ip -6 rule show table main`.
func ExampleRules() {
	rules, err := rtnl.Rules(context.Background(),
		rtnl.FilterRuleFamily(unix.AF_INET6), rtnl.FilterRuleTable(rtnl.TableMain))
	if err != nil {
		log.Fatal(err)
	}
	for _, r := range rules {
		fmt.Println(r.Priority, r.Src, r.Table)
	}
}

// A Rule marshals to an element of `ip -j -d rule show`.
func ExampleRule_MarshalJSON() {
	r := rtnl.Rule{
		Family:   unix.AF_INET,
		Priority: 300,
		Flags:    rtnl.RuleInvert,
		Dst:      netip.MustParsePrefix("10.0.0.0/8"),
		IIF:      "br0",
		UIDRange: &rtnl.RuleUIDRange{Start: 1000, End: 2000},
		IPProto:  unix.IPPROTO_TCP,
		DstPorts: &rtnl.RulePortRange{Start: 80, End: 90},
		Action:   rtnl.RuleActionProhibit,
	}
	b, err := json.Marshal(r)
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println(string(b))
	// Output:
	// {"priority":300,"not":null,"src":"all","dst":"10.0.0.0","dstlen":8,"iif":"br0","uid_start":1000,"uid_end":2000,"ipproto":"tcp","dport_start":80,"dport_end":90,"action":"prohibit","protocol":"unspec"}
}
