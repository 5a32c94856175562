package rtnl_test

import (
	"context"
	"encoding/json"
	"errors"
	"reflect"
	"slices"
	"strings"
	"testing"

	"github.com/nlkit/nlkit/internal/kfeature"
	"github.com/nlkit/nlkit/internal/testns"
	"github.com/nlkit/nlkit/rtnl"
)

// This file holds the helpers that the tests of several link kinds share.
// The foundation's helpers (dial, compareLink, stableIPLinks, …) are in
// links_test.go, and ipLink and mustLink in link_write_test.go.

// ptr returns a pointer to v, for the optional fields of the kind types.
func ptr[T any](v T) *T { return &v }

// with applies f to v and returns v: a test case's data made from a base
// value with a few changes.
func with[T any](v T, f func(T)) T {
	f(v)
	return v
}

// isInvalid reports whether err is nlkit's refusal before sending, an
// *rtnl.InvalidError.
func isInvalid(err error) bool {
	var invalid *rtnl.InvalidError
	return errors.As(err, &invalid)
}

// checkAddInvalid checks that AddLink refuses l before sending it.
func checkAddInvalid(t *testing.T, c *rtnl.Conn, l rtnl.Link) {
	t.Helper()
	if err := c.AddLink(context.Background(), l); !isInvalid(err) {
		t.Errorf("AddLink(%+v) error = %v; want an InvalidError", l.Info.Data, err)
	}
}

// addLinkOrSkip creates l with nlkit; when the kernel lacks the kind, the
// kind's feature gate (kfeature.Missing) skips or fails the test.
func addLinkOrSkip(t *testing.T, c *rtnl.Conn, l rtnl.Link) {
	t.Helper()
	err := c.AddLink(context.Background(), l)
	if errors.Is(err, rtnl.ErrNotSupported) {
		kfeature.Missing(t, kfeature.LinkKind(l.Info.Data.LinkKind()), err)
	}
	if err != nil {
		t.Fatalf("AddLink(%s): %v", l.Name, err)
	}
}

// addVeth adds a veth pair with ip, for the links under test to sit on, and
// returns the index of its first end.
func addVeth(t *testing.T, ns *testns.NS, c *rtnl.Conn, name, peer string) int32 {
	t.Helper()
	ns.IP(t, "link", "add", name, "type", "veth", "peer", "name", peer)
	return mustLink(t, c, name).Index
}

// checkSetFields checks that every exported field set in want (a non-nil
// pointer, a valid address, true, a non-empty slice or string) has the same
// value in got; want and got point to structs of the same type. Unlike
// tnlCheckSet, it compares a set field whole, a struct pointed to included.
func checkSetFields(t *testing.T, what string, want, got any, skip ...string) {
	t.Helper()
	wv, gv := reflect.ValueOf(want).Elem(), reflect.ValueOf(got).Elem()
	deref := func(v reflect.Value) any {
		if v.Kind() == reflect.Pointer && !v.IsNil() {
			return v.Elem().Interface()
		}
		return v.Interface()
	}
	for i := range wv.NumField() {
		f := wv.Type().Field(i)
		w, g := wv.Field(i), gv.Field(i)
		if !f.IsExported() || slices.Contains(skip, f.Name) || w.IsZero() {
			continue
		}
		if !reflect.DeepEqual(w.Interface(), g.Interface()) {
			t.Errorf("%s: %s read back as %v, want %v", what, f.Name, deref(g), deref(w))
		}
	}
}

// compareAllLinks compares every link of ns, as Links returns them, with
// ip's JSON for it.
func compareAllLinks(t *testing.T, ns *testns.NS, c *rtnl.Conn) {
	t.Helper()
	ipLinks, links := stableIPLinks(t, ns, func() []rtnl.Link {
		links, err := c.Links(context.Background())
		if err != nil {
			t.Fatalf("Links: %v", err)
		}
		return links
	})
	if len(links) != len(ipLinks) {
		t.Fatalf("Links returned %d links, ip shows %d", len(links), len(ipLinks))
	}
	for i, l := range links {
		compareLink(t, l, ipLinks[i])
	}
}

// checkLinksFromIP checks the links that `ip link add` made, one per
// command (its arguments, the link's name first): each reads back with
// data of type D for its kind, and as ip shows it.
func checkLinksFromIP[D rtnl.LinkData](t *testing.T, ns *testns.NS, c *rtnl.Conn, cmds []string) {
	t.Helper()
	for _, cmd := range cmds {
		name := strings.Fields(cmd)[0]
		got := checkLink(t, ns, c, name)
		d, ok := got.Info.Data.(D)
		if !ok || d.LinkKind() != got.Info.Kind {
			var want D
			t.Errorf("%s: kind %s, data %#v; want a %T of the same kind", name, got.Info.Kind, got.Info.Data, want)
		}
	}
}

// infoData returns the info_data member (with slave, info_slave_data) of a
// link's JSON object, ip's or nlkit's, or nil when it has none.
func infoData(t *testing.T, obj []byte, slave bool) json.RawMessage {
	t.Helper()
	var l struct {
		LinkInfo struct {
			Data      json.RawMessage `json:"info_data"`
			SlaveData json.RawMessage `json:"info_slave_data"`
		} `json:"linkinfo"`
	}
	if err := json.Unmarshal(obj, &l); err != nil {
		t.Fatalf("link JSON: %v\n%s", err, obj)
	}
	if slave {
		return l.LinkInfo.SlaveData
	}
	return l.LinkInfo.Data
}

// ipInfoData decodes into v the info_data (with slave, info_slave_data)
// that ip prints for a link.
func ipInfoData(t *testing.T, ns *testns.NS, name string, slave bool, v any) {
	t.Helper()
	data := infoData(t, ipLink(t, ns, name), slave)
	if err := json.Unmarshal(data, v); err != nil {
		t.Fatalf("%s: info data %s: %v", name, data, err)
	}
}

// ipInfoDataMap returns the info_data that ip prints for a link, as a map.
func ipInfoDataMap(t *testing.T, ns *testns.NS, name string) map[string]any {
	t.Helper()
	var m map[string]any
	ipInfoData(t, ns, name, false, &m)
	return m
}

// checkLink compares nlkit's reading of a link with ip's, read around it
// until ip reads the same twice: a link that just changed (brought up,
// enslaved) settles its carrier and operational state after the reply.
// It returns nlkit's reading.
func checkLink(t *testing.T, ns *testns.NS, c *rtnl.Conn, name string) rtnl.Link {
	t.Helper()
	want, got := stableIP(t, ns, []string{"-j", "-d", "-s", "link", "show", "dev", name}, func() rtnl.Link {
		return mustLink(t, c, name)
	})
	if len(want) != 1 {
		t.Fatalf("ip link show dev %s printed %d links", name, len(want))
	}
	compareLink(t, got, want[0])
	return got
}
