package rtnl

import (
	"strings"
	"testing"

	"golang.org/x/sys/unix"

	"github.com/nlkit/nlkit/internal/corpus"
	"github.com/nlkit/nlkit/internal/nlconn"
)

// eventTag is the label `ip monitor label` (or `all`) prints before an
// event of ev's object, with "Deleted " for a removal.
func eventTag(ev Event) string {
	tag := ""
	switch {
	case ev.Link != nil:
		tag = "[LINK]"
	case ev.Address != nil:
		tag = "[ADDR]"
	case ev.Route != nil:
		tag = "[ROUTE]"
	case ev.Neighbor != nil, ev.FDB != nil:
		tag = "[NEIGH]"
	case ev.Rule != nil:
		tag = "[RULE]"
	case ev.Nexthop != nil:
		tag = "[NEXTHOP]"
	case ev.NetConf != nil:
		tag = "[NETCONF]"
	case ev.NetNSID != nil:
		tag = "[NSID]"
	case ev.Prefix != nil:
		tag = "[PREFIX]"
	}
	if ev.Kind == EventDelete {
		tag += "Deleted"
	}
	return tag
}

// TestCorpusMonitorEvents decodes the notifications of the corpus' ip
// monitor cases, in order, and checks that they are the events ip printed:
// the same objects, added or deleted, in the same order.
func TestCorpusMonitorEvents(t *testing.T) {
	cases := 0
	for _, c := range corpus.Load(t) {
		if c.Group != "monitor" {
			continue
		}
		cases++
		var got []string
		for _, m := range c.Messages {
			if m.Direction != "reply" || c.Datagrams[m.Datagram].MulticastGroups == "" {
				continue // not a notification
			}
			ev, ok, err := decodeEvent(nlconn.Message{Type: m.Type, Flags: m.Flags, Data: m.Payload()})
			if err != nil || !ok {
				t.Errorf("%s: message %d (%s): decoded %v, %v", c.Name, m.Index, m.TypeName, ok, err)
				continue
			}
			got = append(got, eventTag(ev))
		}
		var want []string
		for line := range strings.Lines(c.Stdout) {
			if !strings.HasPrefix(line, "[") {
				continue // a continuation line of the event before
			}
			tag, rest, _ := strings.Cut(line, "]")
			if strings.HasPrefix(rest, "Deleted") {
				tag += "]Deleted"
			} else {
				tag += "]"
			}
			want = append(want, tag)
		}
		if len(want) == 0 {
			// `ip monitor link` prints no labels: count the events.
			for line := range strings.Lines(c.Stdout) {
				if !strings.HasPrefix(line, " ") {
					want = append(want, "")
				}
			}
			for i := range got {
				got[i] = ""
			}
		}
		if strings.Join(got, "\n") != strings.Join(want, "\n") {
			t.Errorf("%s: events\n%s\nwant what ip printed\n%s", c.Name, strings.Join(got, "\n"), strings.Join(want, "\n"))
		}
	}
	if cases == 0 {
		t.Error("no monitor case in the corpus")
	}
}

// TestCorpusDecodeNetNSID decodes the corpus' RTM_NEWNSID messages.
func TestCorpusDecodeNetNSID(t *testing.T) {
	n := 0
	for _, c := range corpus.Load(t) {
		for _, m := range c.Messages {
			if m.Direction != "reply" || m.Type != unix.RTM_NEWNSID {
				continue
			}
			if _, err := decodeNetNSID(m.Payload()); err != nil {
				t.Errorf("%s: message %d: %v", c.Name, m.Index, err)
			}
			n++
		}
	}
	if n == 0 {
		t.Error("no RTM_NEWNSID message in the corpus")
	}
}
