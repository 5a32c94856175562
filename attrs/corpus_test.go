package attrs_test

import (
	"bytes"
	"fmt"
	"net/netip"
	"regexp"
	"strconv"
	"testing"

	"github.com/josharian/native"

	"github.com/nlkit/nlkit/attrs"
	"github.com/nlkit/nlkit/internal/corpus"
)

// Netlink message types and sizes that the corpus tests need, as in
// <linux/netlink.h>.
const (
	corpusNlmsgError  = 2
	corpusNlmsgDone   = 3
	corpusNlmsghdrLen = 16
)

// A corpusNode is an attribute as the Decoder read it, nested where the
// corpus' tree has children.
type corpusNode struct {
	typ      uint16 // the whole type field, flags included
	payload  []byte // the payload of a leaf
	header   []byte // the fixed header before nested attributes, if any
	nested   bool
	children []corpusNode
}

// corpusNodeHeaderLen gives the length of the fixed header that precedes the
// nested attributes in the payload of a corpus node: the ifinfomsg of
// VETH_INFO_PEER, and the part of struct rtnexthop after its first 4 bytes
// (rtnh_len, rtnh_flags and rtnh_hops, which the Decoder reads as an
// attribute header; rtnh_ifindex remains).
func corpusNodeHeaderLen(a corpus.Attr) int {
	switch {
	case a.PayloadHeader == "ifinfomsg":
		return 16
	case a.Name == "rtnexthop":
		return 4
	}
	return 0
}

// corpusRtnhValue parses the rendering of a struct rtnexthop in the corpus.
var corpusRtnhValue = regexp.MustCompile(`^flags=0x([0-9a-f]+) hops=(\d+) ifindex=(-?\d+)$`)

// corpusDecode walks the attributes in b, which start at offset base of
// the message, checks them against want and returns them as read. It
// reports every mismatch with t.Errorf and returns ok == false.
func corpusDecode(t *testing.T, where string, b []byte, base int, want []corpus.Attr) (nodes []corpusNode, ok bool) {
	t.Helper()
	ok = true
	d := attrs.NewDecoder(b)
	i := 0
	for ; d.Next(); i++ {
		off := base + d.Offset()
		if i >= len(want) {
			t.Errorf("%s: unexpected attribute at offset %d, type %d", where, off, d.Type())
			return nodes, false
		}
		w := want[i]
		at := fmt.Sprintf("%s: %s (attribute %d at offset %d)", where, w.Name, i, w.Off)
		gotLen := attrs.HeaderLen + d.Len()
		if off != w.Off || gotLen != w.Len {
			t.Errorf("%s: decoded offset %d, length %d", at, off, gotLen)
			ok = false
		}
		typ := d.Type() | d.TypeFlags()
		if w.Name == "rtnexthop" {
			// Not an attribute: the type field holds rtnh_flags and
			// rtnh_hops.
			m := corpusRtnhValue.FindStringSubmatch(w.Value)
			if m == nil {
				t.Errorf("%s: cannot parse value %q", at, w.Value)
				return nodes, false
			}
			flags, _ := strconv.ParseUint(m[1], 16, 8)
			hops, _ := strconv.ParseUint(m[2], 10, 8)
			ifindex, _ := strconv.ParseInt(m[3], 10, 32)
			if want := uint16(flags | hops<<8); typ != want {
				t.Errorf("%s: flags and hops read as type field %#x, want %#x", at, typ, want)
				ok = false
			}
			if d.Len() < 4 {
				t.Errorf("%s: %d bytes after rtnh_hops, want at least 4", at, d.Len())
				return nodes, false
			}
			if got := int32(native.Endian.Uint32(d.Bytes())); int64(got) != ifindex {
				t.Errorf("%s: rtnh_ifindex %d, want %d", at, got, ifindex)
				ok = false
			}
		} else {
			if d.Type() != w.Type || d.TypeFlags() != uint16(w.Flags) {
				t.Errorf("%s: decoded type %d flags %#x, want type %d flags %#x",
					at, d.Type(), d.TypeFlags(), w.Type, uint16(w.Flags))
				ok = false
			}
			if !corpusCheckValue(t, at, d, w) {
				ok = false
			}
		}
		n := corpusNode{typ: typ}
		if len(w.Attrs) == 0 {
			n.payload = d.Bytes()
			nodes = append(nodes, n)
			continue
		}
		hl := corpusNodeHeaderLen(w)
		if got := w.Attrs[0].Off - (w.Off + attrs.HeaderLen); got != hl {
			t.Errorf("%s: first nested attribute %d bytes into the payload, want %d", at, got, hl)
			return nodes, false
		}
		if d.Len() < hl {
			t.Errorf("%s: payload of %d bytes, shorter than its %d-byte header", at, d.Len(), hl)
			return nodes, false
		}
		n.nested = true
		n.header = d.Bytes()[:hl]
		var childOK bool
		n.children, childOK = corpusDecode(t, where, d.Bytes()[hl:], w.Off+attrs.HeaderLen+hl, w.Attrs)
		ok = ok && childOK
		nodes = append(nodes, n)
	}
	if err := d.Err(); err != nil {
		t.Errorf("%s: walking the attributes from offset %d: %v", where, base, err)
		return nodes, false
	}
	if i != len(want) {
		t.Errorf("%s: decoded %d attributes at offset %d, want %d", where, i, base, len(want))
		return nodes, false
	}
	return nodes, ok
}

var (
	corpusIntValue = regexp.MustCompile(`^-?[0-9]+$`)
	corpusMACValue = regexp.MustCompile(`^[0-9a-f]{2}(:[0-9a-f]{2})+$`)
)

// corpusCheckValue checks the Decoder's typed getters against the corpus'
// rendering of the current attribute's value, where it has one: 32-bit
// integers (printed signed), IP addresses, MAC addresses and strings.
func corpusCheckValue(t *testing.T, at string, d attrs.Decoder, w corpus.Attr) bool {
	t.Helper()
	if w.Value == "" || len(w.Attrs) > 0 {
		return true
	}
	var got, want string
	switch {
	case d.Len() == 4 && corpusIntValue.MatchString(w.Value):
		got, want = strconv.Itoa(int(d.Int32())), w.Value
	case corpusMACValue.MatchString(w.Value) && d.Len() == 6:
		got, want = d.HardwareAddr().String(), w.Value
	default:
		if a, err := netip.ParseAddr(w.Value); err == nil && (d.Len() == 4 || d.Len() == 16) {
			got, want = d.Addr().String(), a.String()
			break
		}
		got, want = d.String(), w.Value
	}
	if err := d.Err(); err != nil {
		t.Errorf("%s: getter: %v", at, err)
		return false
	}
	if got != want {
		t.Errorf("%s: value %q, want %q", at, got, want)
		return false
	}
	return true
}

// corpusEncode appends nodes to e: a Nest for a nested node without a fixed
// header, and Raw for a leaf or for a node whose payload starts with a fixed
// header (the Encoder has no way to write one inside a Nest).
func corpusEncode(e *attrs.Encoder, nodes []corpusNode) {
	for _, n := range nodes {
		switch {
		case !n.nested:
			e.Raw(n.typ, n.payload)
		case len(n.header) == 0:
			nest := e.Nest(n.typ)
			corpusEncode(e, n.children)
			e.End(nest)
		default:
			var sub attrs.Encoder
			sub.Reset(append([]byte(nil), n.header...))
			corpusEncode(&sub, n.children)
			if sub.Err() != nil {
				e.Raw(n.typ, nil) // the caller sees the mismatch
				continue
			}
			e.Raw(n.typ, sub.Bytes())
		}
	}
}

// corpusCount returns the number of attributes in a tree, and how many of
// them are nests.
func corpusCount(nodes []corpusNode) (all, nests int) {
	for _, n := range nodes {
		all++
		if n.nested {
			nests++
		}
		a, b := corpusCount(n.children)
		all += a
		nests += b
	}
	return all, nests
}

// corpusMessages returns a case's messages followed by its saved ones.
func corpusMessages(c corpus.Case) []corpus.Message {
	return append(append([]corpus.Message(nil), c.Messages...), c.Saved...)
}

// TestCorpusAttrs decodes the attributes of every message in the corpus,
// checks their offsets, lengths, types and flags against the captured tree,
// then encodes the decoded tree again and requires the original bytes.
func TestCorpusAttrs(t *testing.T) {
	var total, withAttrs, decoded, exact, nAttrs, nNests int
	for _, c := range corpus.Load(t) {
		t.Run(c.Name, func(t *testing.T) {
			for _, m := range corpusMessages(c) {
				total++
				where := fmt.Sprintf("%s message %d (%s %s)", m.Direction, m.Index, m.TypeName, m.FamilyHeader)
				start, want, ok := corpusAttrSection(t, where, m)
				if !ok {
					continue
				}
				if start == len(m.Bytes) {
					continue // no attributes
				}
				withAttrs++
				nodes, ok := corpusDecode(t, where, m.Bytes[start:], start, want)
				if !ok {
					continue
				}
				decoded++
				a, n := corpusCount(nodes)
				nAttrs += a
				nNests += n

				var e attrs.Encoder
				e.Reset(append([]byte(nil), m.Bytes[:start]...))
				corpusEncode(&e, nodes)
				if err := e.Err(); err != nil {
					t.Errorf("%s: re-encoding: %v", where, err)
					continue
				}
				if got := e.Bytes(); !bytes.Equal(got, m.Bytes) {
					t.Errorf("%s: re-encoded %d bytes differ from the original %d bytes from offset %d:\n got %x\nwant %x",
						where, len(got), len(m.Bytes), corpusFirstDiff(got, m.Bytes), got, m.Bytes)
					continue
				}
				exact++
			}
		})
	}
	t.Logf("%d messages, %d with attributes: %d decoded as the corpus has them (%d attributes, %d of them nests), %d re-encoded byte for byte",
		total, withAttrs, decoded, nAttrs, nNests, exact)
	if exact != withAttrs {
		t.Errorf("%d of %d messages with attributes round-tripped", exact, withAttrs)
	}
}

// corpusAttrSection returns where the attributes of m start, and the tree
// the corpus decoded for them.
func corpusAttrSection(t *testing.T, where string, m corpus.Message) (start int, want []corpus.Attr, ok bool) {
	t.Helper()
	if m.Type == corpusNlmsgError || m.Type == corpusNlmsgDone {
		// The corpus has no tree for the extended-ack attributes after
		// the error: build the one the kernel sends, NLMSGERR_ATTR_MSG
		// then NLMSGERR_ATTR_OFFS, from the decoded fields.
		if m.Error == nil {
			t.Errorf("%s: no error description", where)
			return 0, nil, false
		}
		start = m.Error.ExtackAttrsOff
		if start == 0 {
			return len(m.Bytes), nil, true
		}
		if start > len(m.Bytes) {
			t.Errorf("%s: extack attributes at offset %d of %d bytes", where, start, len(m.Bytes))
			return 0, nil, false
		}
		off := start
		if msg := m.Error.ExtackMsg; msg != "" {
			a := corpus.Attr{Off: off, Len: attrs.HeaderLen + len(msg) + 1, Type: 1, Name: "NLMSGERR_ATTR_MSG", Value: msg}
			want = append(want, a)
			off += attrs.Align(a.Len)
		}
		if o := m.Error.ExtackOffset; o != 0 {
			want = append(want, corpus.Attr{Off: off, Len: attrs.HeaderLen + 4, Type: 2, Name: "NLMSGERR_ATTR_OFFS", Value: strconv.Itoa(o)})
		}
		return start, want, true
	}
	hl, known := m.FamilyHeaderLen()
	if !known {
		t.Errorf("%s: unknown family header", where)
		return 0, nil, false
	}
	start = corpusNlmsghdrLen + hl
	switch {
	case start > len(m.Bytes):
		t.Errorf("%s: %d bytes, shorter than its headers (%d bytes)", where, len(m.Bytes), start)
		return 0, nil, false
	case len(m.Attrs) > 0 && m.Attrs[0].Off != start:
		t.Errorf("%s: first attribute at offset %d, want %d after the %d-byte family header",
			where, m.Attrs[0].Off, start, hl)
		return 0, nil, false
	case len(m.Attrs) == 0 && start != len(m.Bytes):
		t.Errorf("%s: %d bytes after the headers but no attributes in the corpus", where, len(m.Bytes)-start)
		return 0, nil, false
	}
	return start, m.Attrs, true
}

// corpusFirstDiff returns the first offset where a and b differ.
func corpusFirstDiff(a, b []byte) int {
	for i := range min(len(a), len(b)) {
		if a[i] != b[i] {
			return i
		}
	}
	return min(len(a), len(b))
}
