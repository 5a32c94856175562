package rtnl

import (
	"strconv"

	"github.com/nlkit/nlkit/internal/ipproto"
)

// ipProtoString returns the name of an IP protocol as ip prints it, the
// first name netbase's /etc/protocols gives the number, such as "tcp", or
// "ipproto-" and the number.
func ipProtoString(p uint8) string {
	if name, ok := ipproto.Name(p); ok {
		return name
	}
	return "ipproto-" + strconv.Itoa(int(p))
}
