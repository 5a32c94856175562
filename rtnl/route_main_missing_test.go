package rtnl_test

import (
	"context"
	"errors"
	"testing"

	"github.com/nlkit/nlkit/internal/testns"
	"github.com/nlkit/nlkit/rtnl"
)

// TestRoutesMainTableMissing lists the routes of a namespace that has no
// main table yet (a rule exists, no route does): like ip route show, the
// list is empty; another missing table is an error, as with ip.
func TestRoutesMainTableMissing(t *testing.T) {
	ns := testns.New(t)
	ns.IP(t, "rule", "add", "pref", "5", "table", "100")
	if out := ns.IP(t, "route", "show"); len(out) != 0 {
		t.Fatalf("ip route show: %q, want nothing", out)
	}
	c := dial(t, ns)
	ctx := context.Background()
	routes, err := c.Routes(ctx)
	if err != nil || len(routes) != 0 {
		t.Errorf("Routes: %v, %v; want no routes and no error", routes, err)
	}
	for r, err := range c.RoutesSeq(ctx) {
		t.Errorf("RoutesSeq: %v, %v; want nothing", r, err)
	}
	if _, err := c.Routes(ctx, rtnl.FilterRouteTable(555)); !errors.Is(err, rtnl.ErrNotExist) {
		t.Errorf("Routes of table 555: %v, want ErrNotExist", err)
	}
}
