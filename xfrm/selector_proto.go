package xfrm

import (
	"strconv"

	"github.com/nlkit/nlkit/internal/ipproto"
)

// ParseUpperProto parses the IP protocol of a selector as ip xfrm's proto
// argument takes it: "any" (0), a name of /etc/protocols (tcp, udp,
// ipv6-icmp, gre …), or a number.
func ParseUpperProto(s string) (uint8, error) {
	if s == "any" {
		return 0, nil
	}
	if p, ok := ipproto.Number(s); ok {
		return p, nil
	}
	n, err := strconv.ParseUint(s, 0, 8)
	if err != nil {
		return 0, errInvalid("IP protocol", strconv.Quote(s))
	}
	return uint8(n), nil
}

// UpperProtoName names the IP protocol of a selector as ip xfrm prints it:
// by its name in /etc/protocols, or its number.
func UpperProtoName(p uint8) string { return protoName(p) }
