package main

import (
	"encoding/json"
	"fmt"
	"strings"
	"testing"

	"github.com/nlkit/nlkit/internal/testns"
)

// TestXfrmInfoJSON checks the example's -j form of ip xfrm state count,
// policy count and policy getdefault (ip 6.1 prints text for them even
// with -j): each JSON object, read back and written in ip's text form,
// must equal what ip prints without -j in the same namespace, with the
// members of -s and -s -s only with them.
func TestXfrmInfoJSON(t *testing.T) {
	ns := testns.New(t)
	ns.IPBatch(t,
		"xfrm policy add src 10.1.0.0/16 dst 10.2.0.0/16 dir out tmpl src 192.0.2.1 dst 192.0.2.2 proto esp mode tunnel",
		"xfrm policy add src 10.2.0.0/16 dst 10.1.0.0/16 dir in tmpl src 192.0.2.2 dst 192.0.2.1 proto esp mode tunnel",
		"xfrm policy setdefault out block",
		"xfrm policy set hthresh4 24 16")
	for _, cmd := range []string{
		"xfrm state count", "-s xfrm state count", "-s -s xfrm state count",
		"xfrm policy count", "-s xfrm policy count", "-s -s xfrm policy count",
		"xfrm policy getdefault", "-p xfrm policy getdefault",
	} {
		want, _, err := runIP(t, ns.Name(), strings.Fields(cmd), nil)
		if err != nil {
			t.Fatalf("ip %s: %v", cmd, err)
		}
		out, stderr, code := runExample(ns.Name(), append([]string{"-j"}, strings.Fields(cmd)...), nil)
		if code != 0 {
			t.Fatalf("example ip -j %s: exit %d: %s", cmd, code, stderr)
		}
		var objs []map[string]json.RawMessage
		if err := json.Unmarshal(out, &objs); err != nil || len(objs) != 1 {
			t.Fatalf("example ip -j %s: %v: %s", cmd, err, out)
		}
		if got := xfrmInfoText(t, objs[0]); got != string(want) {
			t.Errorf("ip -j %s: %s\nas ip's text:\n%s\nip:\n%s", cmd, out, got, want)
		}
	}
}

// xfrmInfoText writes a count or default policies object as ip's text,
// each part only when its members are there.
func xfrmInfoText(t *testing.T, o map[string]json.RawMessage) string {
	t.Helper()
	get := func(key string, dst any) bool {
		v, ok := o[key]
		if ok {
			if err := json.Unmarshal(v, dst); err != nil {
				t.Fatalf("%s: %v", key, err)
			}
		}
		return ok
	}
	type pair struct{ Count, Max, Local, Remote, In, Out, Fwd uint32 }
	var b strings.Builder
	var count uint32
	var buckets, sock, th pair
	var in, fwd, out string
	switch {
	case get("count", &count):
		fmt.Fprintf(&b, "\t SAD count %d", count)
		if get("buckets", &buckets) {
			fmt.Fprintf(&b, " (buckets count %d Max %d)", buckets.Count, buckets.Max)
		}
		b.WriteString("\n")
	case strings.HasPrefix(string(o["in"]), `"`):
		get("in", &in)
		get("fwd", &fwd)
		get("out", &out)
		fmt.Fprintf(&b, "Default policies:\n in:  %s\n fwd: %s\n out: %s\n", in, fwd, out)
	default:
		var spd pair
		get("in", &spd.In)
		get("out", &spd.Out)
		get("fwd", &spd.Fwd)
		fmt.Fprintf(&b, "\t SPD IN  %d OUT %d FWD %d", spd.In, spd.Out, spd.Fwd)
		if get("socket", &sock) {
			fmt.Fprintf(&b, " (Sock: IN %d OUT %d FWD %d)", sock.In, sock.Out, sock.Fwd)
		}
		b.WriteString("\n")
		if get("buckets", &buckets) {
			fmt.Fprintf(&b, "\t SPD buckets: count %d Max %d\n", buckets.Count, buckets.Max)
		}
		for _, v := range []string{"4", "6"} {
			if get("ipv"+v+"_thresholds", &th) {
				fmt.Fprintf(&b, "\t SPD IPv%s thresholds: local %d remote %d\n", v, th.Local, th.Remote)
			}
		}
	}
	return b.String()
}
