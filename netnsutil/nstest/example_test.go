package nstest_test

import (
	"context"
	"testing"

	"github.com/nlkit/nlkit/netnsutil/nstest"
	"github.com/nlkit/nlkit/rtnl"
)

// In a test function, func TestSomething(t *testing.T): a namespace with a
// peer "client", and an rtnl connection to it.
func ExampleNew() {
	var t *testing.T // the test's t
	ns := nstest.New(t, "client")
	c, err := rtnl.Dial(context.Background(), rtnl.WithNetNS(ns.FD()))
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	// ns has lo and "client"; ns.Peer("client") has lo and eth0, the other
	// end of the veth pair.
	if _, err := c.LinkByName(context.Background(), "client"); err != nil {
		t.Fatal(err)
	}
}
