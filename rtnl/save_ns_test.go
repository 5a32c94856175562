package rtnl_test

import (
	"bytes"
	"context"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/josharian/native"
	"golang.org/x/sys/unix"

	"github.com/nlkit/nlkit/internal/jsonw"
	"github.com/nlkit/nlkit/internal/testns"
	"github.com/nlkit/nlkit/rtnl"
)

// This file holds the tests of saving and restoring that compare with ip
// in namespaces. The tests of the file format are in save_test.go.

// saveNS is a namespace made by addrNS with addresses and routes.
func saveNS(t *testing.T) (*testns.NS, *rtnl.Conn) {
	t.Helper()
	ns := addrNS(t)
	ns.IPBatch(t, `
addr add 10.0.0.1/24 dev v0
addr add 10.0.0.2/24 dev v0
addr add 10.9.0.1/16 brd + dev v1 label v1:x
addr add 2001:db8::1/64 dev v0
addr add 2001:db8:1::1/64 dev v1 valid_lft 3000 preferred_lft 2000
route add default via 10.0.0.254
route add 192.168.1.0/24 via 10.0.0.254 metric 7
route add 192.168.2.0/24 dev v0 proto static
route add 192.168.3.0/24 dev v0 table 100 src 10.0.0.1
route add 192.168.4.0/24 nexthop via 10.0.0.253 weight 1 nexthop via 10.0.0.254 weight 2
route add 2001:db8:2::/64 via 2001:db8::fe
`)
	addrSettle(t, ns)
	return ns, dial(t, ns)
}

// ipWithFiles runs `ip -n NS args…` with stdin from the file in and stdout
// to the file out ("" for none) and returns its stdout when out is "".
func ipWithFiles(t *testing.T, ns *testns.NS, in, out string, args ...string) []byte {
	t.Helper()
	cmd := exec.Command("ip", append([]string{"-n", ns.Name()}, args...)...)
	var stdout, stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	if in != "" {
		f, err := os.Open(in)
		if err != nil {
			t.Fatal(err)
		}
		defer f.Close()
		cmd.Stdin = f
	}
	if out != "" {
		f, err := os.Create(out)
		if err != nil {
			t.Fatal(err)
		}
		defer f.Close()
		cmd.Stdout = f
	}
	if err := cmd.Run(); err != nil {
		t.Fatalf("ip %s: %v\n%s", strings.Join(args, " "), err, stderr.Bytes())
	}
	return stdout.Bytes()
}

// maskSavedHeaders zeroes the sequence numbers and port ids of the
// messages of a saved file, which differ from one dump to the next.
func maskSavedHeaders(t *testing.T, b []byte) []byte {
	t.Helper()
	b = bytes.Clone(b)
	for off := 4; off < len(b); {
		n := int(native.Endian.Uint32(b[off:]))
		if n < 16 || off+n > len(b) {
			t.Fatalf("bad message length %d at %d", n, off)
		}
		clear(b[off+8 : off+16])
		off += (n + 3) &^ 3
	}
	return b
}

// TestSaveAddressesIP saves addresses with nlkit and with ip: the files
// are the same but for sequence numbers and port ids; ip addr showdump
// prints nlkit's file as nlkit reads it; ip addr restore restores it into
// a fresh namespace, and nlkit restores ip's.
func TestSaveAddressesIP(t *testing.T) {
	ns, c := saveNS(t)
	ctx := context.Background()
	dir := t.TempDir()
	mine, theirs := filepath.Join(dir, "nlkit"), filepath.Join(dir, "ip")
	var file bytes.Buffer
	if err := c.SaveAddresses(ctx, &file); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(mine, file.Bytes(), 0o600); err != nil {
		t.Fatal(err)
	}
	ipWithFiles(t, ns, "", theirs, "addr", "save")
	ipFile, err := os.ReadFile(theirs)
	if err != nil {
		t.Fatal(err)
	}
	// Lifetimes tick and stamps move between the two dumps: compare the
	// files with the one address that has them masked too.
	if got, want := maskSavedHeaders(t, file.Bytes()), maskSavedHeaders(t, ipFile); !bytes.Equal(maskCacheInfo(t, got), maskCacheInfo(t, want)) {
		t.Errorf("saved files differ:\nnlkit %x\n   ip %x", got, want)
	}

	// ip addr showdump prints what rtnl.ReadSavedAddresses reads.
	var jw jsonw.Writer
	jw.OpenArray("")
	jw.Open("")
	jw.OpenArray("addr_info")
	n := 0
	for a, err := range rtnl.ReadSavedAddresses(bytes.NewReader(file.Bytes())) {
		if err != nil {
			t.Fatal(err)
		}
		n++
		member, _ := a.MarshalJSON()
		jw.Raw("", append([]byte(`{"index":`+strconv.Itoa(int(a.LinkIndex))+`,`), member[1:]...))
	}
	jw.CloseArray()
	jw.Close()
	jw.CloseArray()
	if n < 7 {
		t.Errorf("read %d addresses, want at least 7", n)
	}
	if got, want := string(jw.Bytes()), strings.TrimSpace(string(ipWithFiles(t, ns, mine, "", "-j", "addr", "showdump"))); got != want {
		t.Errorf("ip addr showdump\n got %s\nwant %s", got, want)
	}

	// ip addr restore restores nlkit's file, nlkit restores ip's.
	for _, tc := range []struct {
		name string
		file string
		ip   bool
	}{{"ip restores nlkit's", mine, true}, {"nlkit restores ip's", theirs, false}} {
		ns2, c2 := saveNSLinks(t)
		if tc.ip {
			ipWithFiles(t, ns2, tc.file, "", "addr", "restore")
		} else {
			f, err := os.Open(tc.file)
			if err != nil {
				t.Fatal(err)
			}
			err = c2.RestoreAddresses(ctx, f)
			f.Close()
			if err != nil {
				t.Fatal(err)
			}
		}
		compareSavedAddresses(t, tc.name, c, c2)
	}
}

// maskCacheInfo zeroes the IFA_CACHEINFO payloads of a saved address file.
func maskCacheInfo(t *testing.T, b []byte) []byte {
	t.Helper()
	for off := 4; off < len(b); {
		n := int(native.Endian.Uint32(b[off:]))
		msg := b[off+16 : off+n]
		for a := 8; a+4 <= len(msg); {
			l := int(native.Endian.Uint16(msg[a:]))
			if l < 4 {
				break
			}
			if native.Endian.Uint16(msg[a+2:]) == unix.IFA_CACHEINFO {
				clear(msg[a+4 : min(len(msg), a+l)])
			}
			a += (l + 3) &^ 3
		}
		off += (n + 3) &^ 3
	}
	return b
}

// saveNSLinks is a fresh namespace made by addrNS: the links of saveNS,
// with the same indexes, but none of its addresses or routes.
func saveNSLinks(t *testing.T) (*testns.NS, *rtnl.Conn) {
	t.Helper()
	ns := addrNS(t)
	return ns, dial(t, ns)
}

// compareSavedAddresses checks that two namespaces have the same
// addresses, but for the lifetimes' stamps and remaining seconds.
func compareSavedAddresses(t *testing.T, what string, c1, c2 *rtnl.Conn) {
	t.Helper()
	list := func(c *rtnl.Conn) []rtnl.Address {
		addrs, err := c.Addresses(context.Background())
		if err != nil {
			t.Fatal(err)
		}
		for i := range addrs {
			addrs[i].Flags &^= rtnl.AddrTentative // for a moment after it is added, even without DAD
			if lt := addrs[i].Lifetimes; lt != nil {
				if lt.Valid != rtnl.LifetimeForever {
					lt.Valid = 1
				}
				if lt.Preferred != rtnl.LifetimeForever {
					lt.Preferred = 1
				}
				lt.Created, lt.Updated = 0, 0
			}
		}
		return addrs
	}
	if diff := cmp.Diff(addrsJSON(list(c1)), addrsJSON(list(c2))); diff != "" {
		t.Errorf("%s: addresses (-saved +restored):\n%s", what, diff)
	}
}

// addrsJSON returns the JSON of each address.
func addrsJSON(addrs []rtnl.Address) []string {
	var out []string
	for _, a := range addrs {
		b, _ := a.MarshalJSON()
		out = append(out, strconv.Itoa(int(a.LinkIndex))+" "+string(b))
	}
	return out
}

// ipRoutesJSON returns `ip -4 -j -d route show table all` and the same
// for IPv6, with the seconds left of routes that expire masked.
func ipRoutesJSON(t *testing.T, ns *testns.NS) (v4, v6 string) {
	t.Helper()
	expires := regexp.MustCompile(`"expires":[0-9]+`)
	v4 = string(ns.IP(t, "-4", "-j", "-d", "route", "show", "table", "all"))
	v6 = string(ns.IP(t, "-6", "-j", "-d", "route", "show", "table", "all"))
	return v4, expires.ReplaceAllString(v6, `"expires":N`)
}

// compareRouteDumps checks that two outputs of ipRoutesJSON are the same.
func compareRouteDumps(t *testing.T, what, got, want string) {
	t.Helper()
	if got != want {
		t.Errorf("%s:\n got %s\nwant %s", what, got, want)
	}
}

// TestSaveRoutesIP saves routes with nlkit and with ip: the files are the
// same but for sequence numbers and port ids; ip route showdump prints
// nlkit's file as it prints its own; ip route restore restores nlkit's
// files into a fresh namespace, and nlkit ip's.
func TestSaveRoutesIP(t *testing.T) {
	ns, c := saveNS(t)
	ctx := context.Background()
	dir := t.TempDir()
	for _, tc := range []struct {
		name    string
		filters []rtnl.RouteFilter
		ipArgs  []string
	}{
		{"main", nil, []string{"route", "save"}},
		{"all", []rtnl.RouteFilter{rtnl.FilterRouteFamily(unix.AF_INET), rtnl.FilterRouteTable(rtnl.TableUnspec)}, []string{"-4", "route", "save", "table", "all"}},
		{"100", []rtnl.RouteFilter{rtnl.FilterRouteTable(100)}, []string{"route", "save", "table", "100"}},
		{"kernel", []rtnl.RouteFilter{rtnl.FilterRouteFamily(unix.AF_INET), rtnl.FilterRouteTable(rtnl.TableUnspec), rtnl.FilterRouteProtocol(rtnl.ProtocolKernel)}, []string{"-4", "route", "save", "table", "all", "proto", "kernel"}},
		{"6 scope", []rtnl.RouteFilter{rtnl.FilterRouteFamily(unix.AF_INET6), rtnl.FilterRouteScope(rtnl.ScopeHost), rtnl.FilterRouteTable(rtnl.TableUnspec)}, []string{"-6", "route", "save", "table", "all", "scope", "host"}},
	} {
		var file bytes.Buffer
		if err := c.SaveRoutes(ctx, &file, tc.filters...); err != nil {
			t.Fatal(err)
		}
		mine, theirs := filepath.Join(dir, tc.name+".nlkit"), filepath.Join(dir, tc.name+".ip")
		if err := os.WriteFile(mine, file.Bytes(), 0o600); err != nil {
			t.Fatal(err)
		}
		ipWithFiles(t, ns, "", theirs, tc.ipArgs...)
		ipFile, err := os.ReadFile(theirs)
		if err != nil {
			t.Fatal(err)
		}
		if got, want := maskSavedHeaders(t, file.Bytes()), maskSavedHeaders(t, ipFile); !bytes.Equal(got, want) {
			t.Errorf("%s: saved files differ:\nnlkit %x\n   ip %x", tc.name, got, want)
		}
		if got, want := ipWithFiles(t, ns, mine, "", "route", "showdump"), ipWithFiles(t, ns, theirs, "", "route", "showdump"); !bytes.Equal(got, want) {
			t.Errorf("%s: ip route showdump of nlkit's file\n%s\nof ip's\n%s", tc.name, got, want)
		}
	}

	// Both families, every table, and the addresses, restored by ip and by
	// nlkit into fresh namespaces.
	var addrs, routes bytes.Buffer
	if err := c.SaveAddresses(ctx, &addrs); err != nil {
		t.Fatal(err)
	}
	if err := c.SaveRoutes(ctx, &routes, rtnl.FilterRouteTable(rtnl.TableUnspec)); err != nil {
		t.Fatal(err)
	}
	addrFile, routeFile := filepath.Join(dir, "addrs"), filepath.Join(dir, "routes")
	if err := os.WriteFile(addrFile, addrs.Bytes(), 0o600); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(routeFile, routes.Bytes(), 0o600); err != nil {
		t.Fatal(err)
	}
	want4, _ := ipRoutesJSON(t, ns)

	ns2, _ := saveNSLinks(t)
	ipWithFiles(t, ns2, addrFile, "", "addr", "restore")
	ipWithFiles(t, ns2, routeFile, "", "route", "restore")
	ip4, ip6 := ipRoutesJSON(t, ns2)
	compareRouteDumps(t, "IPv4 routes after ip route restore of nlkit's file", ip4, want4)

	ipAddrs, ipRoutes := filepath.Join(dir, "ip-addrs"), filepath.Join(dir, "ip-routes")
	ipWithFiles(t, ns, "", ipAddrs, "addr", "save")
	ipWithFiles(t, ns, "", ipRoutes, "route", "save", "table", "all")
	ns3, c3 := saveNSLinks(t)
	for _, f := range []struct {
		path    string
		restore func(context.Context, io.Reader) error
	}{{ipAddrs, c3.RestoreAddresses}, {ipRoutes, c3.RestoreRoutes}} {
		r, err := os.Open(f.path)
		if err != nil {
			t.Fatal(err)
		}
		err = f.restore(ctx, r)
		r.Close()
		if err != nil {
			t.Fatalf("restoring %s: %v", filepath.Base(f.path), err)
		}
	}
	// Restoring changes IPv6 routes as ip does (a saved local route of
	// metric 0 comes back as a second one of metric 1024, a prefix route
	// that expired no longer does): the IPv6 routes must be what ip's
	// restore makes of them.
	got4, got6 := ipRoutesJSON(t, ns3)
	compareRouteDumps(t, "IPv4 routes after nlkit's restore of ip's files", got4, want4)
	compareRouteDumps(t, "IPv6 routes after nlkit's restore of ip's files", got6, ip6)
}

// TestSaveFlushRestore is the round trip of the guide, done with nlkit in
// one namespace and with ip in a twin: save the addresses and the routes
// of every table, flush the addresses (which takes the routes through them
// along), restore both. The IPv4 routes and the addresses are back as they
// were; the IPv6 routes are what ip's restore makes of them.
func TestSaveFlushRestore(t *testing.T) {
	ns, c := saveNS(t)
	twin, _ := saveNS(t)
	ctx := context.Background()
	want4, _ := ipRoutesJSON(t, ns)
	wantAddrs, err := c.Addresses(ctx)
	if err != nil {
		t.Fatal(err)
	}

	var addrs, routes bytes.Buffer
	if err := c.SaveAddresses(ctx, &addrs); err != nil {
		t.Fatal(err)
	}
	if err := c.SaveRoutes(ctx, &routes, rtnl.FilterRouteTable(rtnl.TableUnspec)); err != nil {
		t.Fatal(err)
	}
	for _, name := range []string{"v0", "v1"} {
		l, err := c.LinkByName(ctx, name)
		if err != nil {
			t.Fatal(err)
		}
		if err := c.FlushAddresses(ctx, rtnl.FilterAddrLink(l.Index)); err != nil {
			t.Fatal(err)
		}
	}
	if got, _ := ipRoutesJSON(t, ns); got == want4 {
		t.Fatal("the flush left the routes as they were")
	}
	if err := c.RestoreAddresses(ctx, &addrs); err != nil {
		t.Fatal(err)
	}
	if err := c.RestoreRoutes(ctx, &routes); err != nil {
		t.Fatal(err)
	}

	dir := t.TempDir()
	addrFile, routeFile := filepath.Join(dir, "addrs"), filepath.Join(dir, "routes")
	ipWithFiles(t, twin, "", addrFile, "addr", "save")
	ipWithFiles(t, twin, "", routeFile, "route", "save", "table", "all")
	twin.IP(t, "addr", "flush", "dev", "v0")
	twin.IP(t, "addr", "flush", "dev", "v1")
	ipWithFiles(t, twin, addrFile, "", "addr", "restore")
	ipWithFiles(t, twin, routeFile, "", "route", "restore")

	got4, got6 := ipRoutesJSON(t, ns)
	ip4, ip6 := ipRoutesJSON(t, twin)
	compareRouteDumps(t, "IPv4 routes after the restore", got4, want4)
	compareRouteDumps(t, "IPv4 routes after ip's restore", ip4, want4)
	compareRouteDumps(t, "IPv6 routes after the restore, against ip's", got6, ip6)
	gotAddrs, err := c.Addresses(ctx)
	if err != nil {
		t.Fatal(err)
	}
	norm := func(addrs []rtnl.Address) []string {
		for i := range addrs {
			addrs[i].Lifetimes = nil
			addrs[i].Flags &^= rtnl.AddrTentative // for a moment after it is added
		}
		return addrsJSON(addrs)
	}
	if diff := cmp.Diff(norm(wantAddrs), norm(gotAddrs)); diff != "" {
		t.Errorf("addresses after the restore (-want +got):\n%s", diff)
	}
}

// TestReadSavedRoutes reads the routes of a file ip route save wrote: they
// are the routes nlkit lists, but for the link names a file lacks.
func TestReadSavedRoutes(t *testing.T) {
	ns, c := saveNS(t)
	file := ns.IP(t, "-4", "route", "save", "table", "all")
	var got []rtnl.Route
	for r, err := range rtnl.ReadSavedRoutes(bytes.NewReader(file)) {
		if err != nil {
			t.Fatal(err)
		}
		got = append(got, r)
	}
	want, err := c.Routes(context.Background(), rtnl.FilterRouteFamily(unix.AF_INET), rtnl.FilterRouteTable(rtnl.TableUnspec))
	if err != nil {
		t.Fatal(err)
	}
	for i := range want {
		want[i].LinkName = ""
		for j := range want[i].Nexthops {
			want[i].Nexthops[j].LinkName = ""
		}
	}
	if diff := cmp.Diff(routesJSON(t, want), routesJSON(t, got)); diff != "" {
		t.Errorf("ReadSavedRoutes differs from Routes (-want +got):\n%s", diff)
	}
}

// routesJSON returns the JSON of each route.
func routesJSON(t *testing.T, routes []rtnl.Route) []string {
	t.Helper()
	var out []string
	for _, r := range routes {
		b, err := r.MarshalJSON()
		if err != nil {
			t.Fatal(err)
		}
		out = append(out, string(b))
	}
	return out
}
