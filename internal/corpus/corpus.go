// Package corpus loads the golden netlink captures in testdata: the messages
// that iproute2 6.1 exchanged with the kernel, one case per command, with
// their raw bytes, decoded attribute trees, errors and volatile byte ranges.
// testdata/README.md describes the capture and the file format.
//
// The corpus is embedded in the test binaries that import this package, so
// tests need no path to it and run the same from any directory.
package corpus

import (
	"embed"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"io/fs"
	"path"
	"strings"
	"testing"
)

//go:embed testdata/cases/*.json
var cases embed.FS

// casesDir is the directory of the case files in [cases].
const casesDir = "testdata/cases"

// A Case is one captured command: every netlink message it sent and
// received, grouped into the datagrams that carried them.
type Case struct {
	// Name identifies the case; it is also the base name of its file.
	Name string `json:"name"`
	// Group is the kind of command: "link-add", "route", "xfrm", ...
	Group string `json:"group"`
	// Command is the command line that was traced.
	Command string `json:"command"`
	// Verdict is "ok", or "error: " and the first line ip printed to stderr.
	Verdict string `json:"verdict"`
	// Stdout is what the command printed, when it printed text.
	Stdout string `json:"stdout"`
	// StdoutBytes is what the command printed, when it printed binary data
	// (ip addr save, ip route save): a 4-byte magic number followed by the
	// messages in Saved.
	StdoutBytes Hex `json:"stdout_hex"`
	// Companion is the `ip -d -j` version of a show or get command, run
	// right after the traced one, or nil.
	Companion *Companion `json:"companion"`
	// Datagrams lists the sends and receives, in order.
	Datagrams []Datagram `json:"datagrams"`
	// Messages lists every netlink message of the datagrams, in order.
	Messages []Message `json:"messages"`
	// Saved lists the messages found in StdoutBytes; their Direction is
	// "saved" and their Datagram -1.
	Saved []Message `json:"saved_messages"`
}

// A Companion is a command run after the traced one, untraced, and its
// output.
type Companion struct {
	Command string `json:"command"`
	Stdout  string `json:"stdout"`
}

// A Datagram is the data moved by one sendmsg, sendto, recvmsg or recvfrom:
// its messages, each padded to 4 bytes, followed by TrailingBytes bytes.
type Datagram struct {
	Index int `json:"index"`
	// Direction is "request" (sent by ip) or "reply" (sent by the kernel).
	Direction string `json:"direction"`
	// Len is the number of bytes the system call moved.
	Len int `json:"len"`
	// Messages holds the indexes of the datagram's messages in
	// Case.Messages.
	Messages []int `json:"messages"`
	// TrailingBytes is the number of bytes after the last message, as in
	// a request sent as sizeof(req). They are zero unless Trailing says
	// otherwise.
	TrailingBytes int `json:"trailing_bytes"`
	// Trailing holds the trailing bytes when they are not all zero.
	Trailing Hex `json:"trailing_hex"`
	// MulticastGroups is the group mask of the address a received datagram
	// came from ("0x000400"), set for multicast notifications only.
	MulticastGroups string `json:"multicast_groups"`
}

// A Message is one netlink message.
type Message struct {
	// Index is the message's position in Case.Messages or Case.Saved.
	Index int `json:"index"`
	// Direction is "request", "reply" or "saved".
	Direction string `json:"direction"`
	// Datagram is the index of the datagram that carried the message, or
	// -1 for a saved message.
	Datagram int `json:"datagram"`
	// Protocol is the socket's netlink protocol: "NETLINK_ROUTE" or
	// "NETLINK_XFRM".
	Protocol string `json:"protocol"`

	// The nlmsghdr fields.
	Len   uint32 `json:"nlmsg_len"`
	Type  uint16 `json:"nlmsg_type"`
	Flags uint16 `json:"nlmsg_flags"`
	Seq   uint32 `json:"nlmsg_seq"`
	PID   uint32 `json:"nlmsg_pid"`

	// TypeName names the message type: "RTM_NEWLINK", "NLMSG_ERROR", ...
	TypeName string `json:"type_name"`
	// FamilyHeader names the fixed header after the nlmsghdr: "ifinfomsg",
	// "rtmsg", ..., or "" when there is none.
	FamilyHeader string `json:"family_header"`

	// Bytes holds the whole message, header included: the ground truth.
	Bytes Hex `json:"hex"`
	// Attrs is the decoded attribute tree, nil when the message has no
	// attributes (NLMSG_ERROR and NLMSG_DONE have none here).
	Attrs []Attr `json:"attrs"`
	// Error describes an NLMSG_ERROR or NLMSG_DONE, nil for other messages.
	Error *Error `json:"error"`
	// Volatile lists the byte ranges whose value depends on the run.
	Volatile []Range `json:"volatile"`
}

// Payload returns the message's bytes after the nlmsghdr.
func (m *Message) Payload() []byte {
	if len(m.Bytes) < nlmsghdrLen {
		return nil
	}
	return m.Bytes[nlmsghdrLen:]
}

// nlmsghdrLen is the size of struct nlmsghdr.
const nlmsghdrLen = 16

// FamilyHeaderLen returns the length of the fixed header between the
// nlmsghdr and the attributes, with its padding, and whether the corpus
// knows it. It is meaningless for NLMSG_ERROR, whose payload is not followed
// by attributes in the usual way.
func (m *Message) FamilyHeaderLen() (int, bool) {
	// The size of each fixed header, padded to 4 bytes as the attributes
	// after it are.
	switch m.FamilyHeader {
	case "": // xfrm dump and flush requests, NLMSG_DONE
		return 0, true
	case "ifinfomsg":
		return 16, true
	case "ifaddrmsg":
		return 8, true
	case "rtmsg":
		return 12, true
	case "ndmsg":
		return 12, true
	case "fib_rule_hdr":
		return 12, true
	case "nhmsg":
		return 8, true
	case "rtgenmsg":
		return 4, true
	case "netconfmsg":
		return 4, true
	case "xfrm_usersa_info":
		return 224, true
	case "xfrm_userpolicy_info":
		return 168, true
	case "xfrm_userpolicy_id":
		return 64, true
	}
	return 0, false
}

// An Attr is one netlink attribute of the tree the capture decoded.
type Attr struct {
	// Off is the offset of the attribute's header in the message.
	Off int `json:"off"`
	// Len is the attribute's nla_len: header and payload, without padding.
	Len int `json:"len"`
	// Type is the attribute's type without flags. It is 0 for the
	// pseudo-attributes named "rtnexthop" (struct rtnexthop in
	// RTA_MULTIPATH), whose Len is rtnh_len.
	Type uint16 `json:"type"`
	// Name is the type's name in the kernel headers, or "rtnexthop".
	Name string `json:"name"`
	// Flags holds the NLA_F_NESTED and NLA_F_NET_BYTEORDER bits of the
	// type field.
	Flags NLAFlags `json:"nla_flags"`
	// Value renders some payloads (strings, addresses, ...) for humans.
	Value string `json:"value"`
	// PayloadHeader names a fixed header at the start of the payload,
	// before the nested attributes ("ifinfomsg" in VETH_INFO_PEER).
	PayloadHeader string `json:"payload_header"`
	// Attrs holds the nested attributes, when the capture decoded them.
	Attrs []Attr `json:"attrs"`
}

// NLAFlags holds the flag bits of an attribute's type field. In the case
// files they are names joined by "|"; a number is accepted too.
type NLAFlags uint16

// Attribute type flags, as in <linux/netlink.h>.
const (
	NLAFNested       NLAFlags = 0x8000 // NLA_F_NESTED
	NLAFNetByteOrder NLAFlags = 0x4000 // NLA_F_NET_BYTEORDER
)

// UnmarshalJSON implements [json.Unmarshaler].
func (f *NLAFlags) UnmarshalJSON(b []byte) error {
	var v any
	if err := json.Unmarshal(b, &v); err != nil {
		return err
	}
	switch v := v.(type) {
	case nil:
		*f = 0
	case float64:
		if v < 0 || v > 0xffff || v != float64(uint16(v)) {
			return fmt.Errorf("corpus: nla_flags %v out of range", v)
		}
		*f = NLAFlags(v)
	case string:
		*f = 0
		for name := range strings.SplitSeq(v, "|") {
			switch strings.TrimSpace(name) {
			case "":
			case "NLA_F_NESTED":
				*f |= NLAFNested
			case "NLA_F_NET_BYTEORDER":
				*f |= NLAFNetByteOrder
			default:
				return fmt.Errorf("corpus: unknown nla_flags %q", name)
			}
		}
	default:
		return fmt.Errorf("corpus: nla_flags %s is neither a string nor a number", b)
	}
	return nil
}

// An Error describes the payload of an NLMSG_ERROR or NLMSG_DONE.
type Error struct {
	// Errno is the error number as the message carries it: 0 for an
	// acknowledgement or the end of a dump, a negative errno otherwise.
	Errno int32 `json:"errno"`
	// Name is the errno's name ("ENODEV"), or "OK".
	Name string `json:"name"`
	// ExtackMsg is the extended-ack message (NLMSGERR_ATTR_MSG), if any.
	ExtackMsg string `json:"extack_msg"`
	// ExtackOffset is the extended-ack offset of the offending attribute
	// in the request (NLMSGERR_ATTR_OFFS), or 0.
	ExtackOffset int `json:"extack_offset"`
	// ExtackAttrsOff is the offset in the message of the extended-ack
	// attributes, or 0 when there are none.
	ExtackAttrsOff int `json:"extack_attrs_off"`
	// RequestType names the type of the request an NLMSG_ERROR answers.
	RequestType string `json:"request_type"`
	// RequestLen is the nlmsg_len of that request.
	RequestLen int `json:"request_len"`
}

// A Range is a volatile byte range of a message: bytes whose value depends
// on the run (sequence numbers, port ids, timers, counters, ...).
type Range struct {
	Off int `json:"off"`
	Len int `json:"len"`
	// Field names what the bytes hold ("nlmsg_seq", "IFLA_STATS64", ...).
	Field string `json:"field"`
	// Class says why they vary: "seq", "portid", "ifindex", "timer", ...
	// (see testdata/README.md).
	Class string `json:"class"`
}

// Hex is a byte string written in hexadecimal in the case files.
type Hex []byte

// UnmarshalJSON implements [json.Unmarshaler].
func (h *Hex) UnmarshalJSON(b []byte) error {
	var s string
	if err := json.Unmarshal(b, &s); err != nil {
		return err
	}
	d, err := hex.DecodeString(s)
	if err != nil {
		return fmt.Errorf("corpus: %w", err)
	}
	*h = d
	return nil
}

// Mask returns a copy of b with the volatile ranges zeroed. Ranges, or
// their parts, outside b are ignored.
func Mask(b []byte, volatile []Range) []byte {
	m := append([]byte(nil), b...)
	for _, r := range volatile {
		start, end := max(r.Off, 0), min(r.Off+r.Len, len(m))
		if start < end {
			clear(m[start:end])
		}
	}
	return m
}

// DatagramBytes rebuilds the bytes of the case's datagram d: its messages,
// each padded to 4 bytes with zeros, followed by the trailing bytes.
func (c *Case) DatagramBytes(d Datagram) []byte {
	var b []byte
	for _, i := range d.Messages {
		b = append(b, c.Messages[i].Bytes...)
		for len(b)%4 != 0 {
			b = append(b, 0)
		}
	}
	if d.Trailing != nil {
		return append(b, d.Trailing...)
	}
	return append(b, make([]byte, d.TrailingBytes)...)
}

// Load returns every case of the corpus, sorted by name. It fails the test
// if the corpus cannot be read.
func Load(t testing.TB) []Case {
	t.Helper()
	entries, err := fs.ReadDir(cases, casesDir)
	if err != nil {
		t.Fatalf("corpus: %v", err)
	}
	var all []Case
	for _, e := range entries {
		name, ok := strings.CutSuffix(e.Name(), ".json")
		if !ok || e.IsDir() {
			continue
		}
		c, err := parse(name)
		if err != nil {
			t.Fatal(err)
		}
		all = append(all, c)
	}
	if len(all) == 0 {
		t.Fatal("corpus: no cases in " + casesDir)
	}
	return all
}

// LoadCase returns the case with the given name. It fails the test if there
// is none.
func LoadCase(t testing.TB, name string) Case {
	t.Helper()
	c, err := parse(name)
	if err != nil {
		t.Fatal(err)
	}
	return c
}

// parse reads and checks the case file for name.
func parse(name string) (Case, error) {
	var c Case
	file := path.Join(casesDir, name+".json")
	b, err := cases.ReadFile(file)
	if err != nil {
		return c, fmt.Errorf("corpus: %w", err)
	}
	if err := json.Unmarshal(b, &c); err != nil {
		return c, fmt.Errorf("corpus: %s: %w", file, err)
	}
	if c.Name != name {
		return c, fmt.Errorf("corpus: %s holds case %q", file, c.Name)
	}
	for _, ms := range [][]Message{c.Messages, c.Saved} {
		for i, m := range ms {
			if m.Index != i || int(m.Len) != len(m.Bytes) {
				return c, fmt.Errorf("corpus: %s: message %d: index %d, nlmsg_len %d, %d bytes",
					file, i, m.Index, m.Len, len(m.Bytes))
			}
		}
	}
	for _, d := range c.Datagrams {
		for _, i := range d.Messages {
			if i < 0 || i >= len(c.Messages) {
				return c, fmt.Errorf("corpus: %s: datagram %d refers to message %d of %d",
					file, d.Index, i, len(c.Messages))
			}
		}
	}
	return c, nil
}
