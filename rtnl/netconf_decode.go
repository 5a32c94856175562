package rtnl

import (
	"fmt"

	"golang.org/x/sys/unix"

	"github.com/nlkit/nlkit/attrs"
	"github.com/nlkit/nlkit/internal/nlconn"
)

// netconfValues backs the pointer fields of a decoded NetConf, so that
// decoding allocates once.
type netconfValues struct {
	forwarding, mcForwarding, proxyNeigh, ignoreLinkdown, input, bcForwarding bool
	rpFilter                                                                  RPFilter
}

// decodeNetConf decodes an RTM_NEWNETCONF or RTM_DELNETCONF payload
// (netconfmsg and attributes). On an error it returns what it read before
// it.
func decodeNetConf(b []byte) (NetConf, error) {
	var n NetConf
	if len(b) < 1 {
		return n, fmt.Errorf("netconf message too short: %d bytes", len(b))
	}
	n.Family = b[0]
	if len(b) < netconfMsgLen {
		return n, nil // the header alone, unpadded
	}
	v := new(netconfValues)
	d := attrs.NewDecoder(b[netconfMsgLen:])
	for d.Next() {
		switch d.Type() {
		case netconfaIfIndex:
			n.LinkIndex = d.Int32()
		case netconfaForwarding:
			n.Forwarding = netconfBool(&d, &v.forwarding)
		case netconfaRPFilter:
			n.RPFilter = uint32Field(&d, &v.rpFilter)
		case netconfaMCForwarding:
			n.MCForwarding = netconfBool(&d, &v.mcForwarding)
		case netconfaProxyNeigh:
			n.ProxyNeigh = netconfBool(&d, &v.proxyNeigh)
		case netconfaIgnoreRoutesWithLinkdown:
			n.IgnoreRoutesWithLinkdown = netconfBool(&d, &v.ignoreLinkdown)
		case netconfaInput:
			n.Input = netconfBool(&d, &v.input)
		case netconfaBCForwarding:
			n.BCForwarding = netconfBool(&d, &v.bcForwarding)
		}
	}
	return n, d.Err()
}

// netconfBool stores whether the current attribute's s32 is not zero in
// *p and returns p.
func netconfBool(d *attrs.Decoder, p *bool) *bool {
	*p = d.Int32() != 0
	return p
}

// decodeNetConfMessage decodes a netconf from a reply, skipping messages of
// other types.
func decodeNetConfMessage(m nlconn.Message) (NetConf, bool, error) {
	if m.Type != unix.RTM_NEWNETCONF {
		return NetConf{}, false, nil
	}
	n, err := decodeNetConf(m.Data)
	return n, err == nil, err
}
