package rtnl

import (
	"bytes"
	"context"
	"os/exec"
	"strings"
	"testing"

	"golang.org/x/sys/unix"

	"github.com/nlkit/nlkit/attrs"
	"github.com/nlkit/nlkit/internal/corpus"
	"github.com/nlkit/nlkit/internal/testns"
)

// This file holds the helpers that the internal tests of several link
// kinds share. The corpus request checks are in link_write_corpus_test.go.

// ptr returns a pointer to v, for the optional fields of the kind types.
func ptr[T any](v T) *T { return &v }

// linkDataMessage builds an RTM_NEWLINK payload for a link x0 of the kind
// whose IFLA_INFO_DATA attributes data appends; with a masterKind, for a
// port of a master of that kind, whose IFLA_INFO_SLAVE_DATA attributes data
// appends.
func linkDataMessage(kind, masterKind string, data func(e *attrs.Encoder)) []byte {
	var w writer
	putIfInfoMsg(&w, unix.AF_UNSPEC, 7, 0, 0)
	w.String(unix.IFLA_IFNAME, "x0")
	li := w.Nest(unix.IFLA_LINKINFO)
	w.String(unix.IFLA_INFO_KIND, kind)
	dataType := uint16(unix.IFLA_INFO_DATA)
	if masterKind != "" {
		w.String(unix.IFLA_INFO_SLAVE_KIND, masterKind)
		dataType = unix.IFLA_INFO_SLAVE_DATA
	}
	d := w.Nest(dataType)
	data(&w.Encoder)
	w.End(d)
	w.End(li)
	return w.Bytes()
}

// kernelLinkMessages creates links with ip in a fresh namespace and
// returns the RTM_NEWLINK payloads the kernel dumps for them: real kernel
// bytes, for fuzzing seeds. Commands that fail (a kind the kernel lacks)
// are left out.
func kernelLinkMessages(tb testing.TB, cmds ...string) [][]byte {
	tb.Helper()
	ns := testns.New(tb)
	for _, cmd := range cmds {
		for _, line := range strings.Split(cmd, ";") {
			args := append([]string{"-n", ns.Name()}, strings.Fields(line)...)
			if out, err := exec.Command("ip", args...).CombinedOutput(); err != nil {
				tb.Logf("ip %s: %v %s", line, err, out)
			}
		}
	}
	c, err := Dial(context.Background(), WithNetNS(ns.FD()))
	if err != nil {
		tb.Fatal(err)
	}
	defer c.Close()
	var buf [32]byte
	req := linkRequest(buf[:], unix.AF_PACKET, 0)
	var msgs [][]byte
	for m, err := range c.nl.Dump(context.Background(), "dump", unix.RTM_GETLINK, 0, req.Bytes()) {
		if err != nil {
			tb.Fatal(err)
		}
		if m.Type == unix.RTM_NEWLINK {
			msgs = append(msgs, bytes.Clone(m.Data))
		}
	}
	return msgs
}

// corpusKindMessages returns the link messages of the corpus that carry
// one of the kinds: requests and replies.
func corpusKindMessages(tb testing.TB, kinds ...string) [][]byte {
	var msgs [][]byte
	for _, c := range corpus.Load(tb) {
		for _, m := range c.Messages {
			if m.Protocol != "NETLINK_ROUTE" || m.Type != unix.RTM_NEWLINK {
				continue
			}
			p := m.Payload()
			for _, k := range kinds {
				if bytes.Contains(p, []byte(k)) {
					msgs = append(msgs, p)
					break
				}
			}
		}
	}
	return msgs
}

// fuzzDecodeLinkData decodes b as a link and exercises what a decoded link
// offers: it must never panic.
func fuzzDecodeLinkData(t *testing.T, b []byte) {
	l, err := decodeLink(b)
	if err != nil {
		return
	}
	if _, err := l.MarshalJSON(); err != nil {
		t.Fatalf("MarshalJSON: %v", err)
	}
	if l.Info == nil || l.Info.Data == nil {
		return
	}
	if r, ok := l.Info.Data.(linkRefs); ok {
		r.resolveRefs(func(int32) string { return "" })
	}
	var w writer
	if err := l.Info.Data.encode(&w); err == nil {
		// What encodes decodes again.
		again := newLinkData(l.Info.Kind)
		if err := again.decode(attrs.NewDecoder(w.Bytes())); err != nil {
			t.Fatalf("re-decoding the encoded %s data: %v", l.Info.Kind, err)
		}
	}
}
