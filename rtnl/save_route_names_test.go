package rtnl_test

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"testing"

	"github.com/google/go-cmp/cmp"
	"golang.org/x/sys/unix"

	"github.com/nlkit/nlkit/rtnl"
)

// TestConnReadSavedRoutes reads a file ip route save wrote with
// Conn.ReadSavedRoutes: the routes, links named as ip route showdump names
// them, are those Conn.Routes lists (whose JSON the route tests compare
// with ip's).
func TestConnReadSavedRoutes(t *testing.T) {
	ns, c := saveNS(t)
	saved := filepath.Join(t.TempDir(), "routes")
	ipWithFiles(t, ns, "", saved, "-4", "route", "save", "table", "all")
	file, err := os.ReadFile(saved)
	if err != nil {
		t.Fatal(err)
	}
	var got []rtnl.Route
	for r, err := range c.ReadSavedRoutes(context.Background(), bytes.NewReader(file)) {
		if err != nil {
			t.Fatal(err)
		}
		got = append(got, r)
	}
	if len(got) == 0 {
		t.Fatal("no routes read")
	}
	want, err := c.Routes(context.Background(), rtnl.FilterRouteFamily(unix.AF_INET), rtnl.FilterRouteTable(rtnl.TableUnspec))
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff(routesJSON(t, want), routesJSON(t, got)); diff != "" {
		t.Errorf("Conn.ReadSavedRoutes differs from Conn.Routes (-Routes +ReadSavedRoutes):\n%s", diff)
	}
}
