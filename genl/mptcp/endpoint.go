package mptcp

import (
	"fmt"
	"net/netip"

	"golang.org/x/sys/unix"

	"github.com/nlkit/nlkit/attrs"
	"github.com/nlkit/nlkit/genl"
	"github.com/nlkit/nlkit/internal/jsonw"
	"github.com/nlkit/nlkit/internal/linknames"
)

// An Endpoint is a local address the MPTCP path manager announces or
// creates subflows from: what `ip mptcp endpoint show` lists.
type Endpoint struct {
	// Address is the endpoint's address.
	Address netip.Addr
	// Port is the port a signal endpoint listens on and announces; 0 for
	// the connection's own port.
	Port uint16
	// ID is the endpoint's identifier, 1 to 255: the kernel picks one when
	// it is added as 0.
	ID uint8
	// Flags say how the path manager uses the endpoint.
	Flags Flags
	// LinkIndex is the link subflows from the endpoint are bound to, or 0.
	LinkIndex int32
	// LinkName is the name of that link, filled in by the lists.
	LinkName string
}

// Flags are the flags of an endpoint (MPTCP_PM_ADDR_FLAG_*).
type Flags uint32

// The endpoint flags `ip mptcp endpoint` knows.
const (
	// Signal: the address is announced to the peer (ADD_ADDR).
	Signal Flags = 1 << 0
	// Subflow: subflows are created from the address to the peer.
	Subflow Flags = 1 << 1
	// Backup: subflows over the address are backups.
	Backup Flags = 1 << 2
	// Fullmesh: subflows are created from the address to every address
	// of the peer.
	Fullmesh Flags = 1 << 3
)

// flagNames names the flags in the order ip prints them.
func flagName(f Flags) string {
	switch f {
	case Signal:
		return "signal"
	case Subflow:
		return "subflow"
	case Backup:
		return "backup"
	case Fullmesh:
		return "fullmesh"
	}
	return ""
}

// MarshalJSON encodes the endpoint as one element of what `ip -j mptcp
// endpoint show` (iproute2 6.1) prints: "address", "port" when not 0,
// "id", true for each flag set ("signal", "subflow", "backup",
// "fullmesh"), "rawflags" for unknown flags, and "dev" when bound to a
// link.
func (e Endpoint) MarshalJSON() ([]byte, error) {
	var w jsonw.Writer
	w.Open("")
	if e.Address.IsValid() {
		w.String("address", e.Address.String())
	}
	if e.Port != 0 {
		w.Uint("port", uint64(e.Port))
	}
	w.Uint("id", uint64(e.ID))
	for f := Signal; f <= Fullmesh; f <<= 1 {
		if e.Flags&f != 0 {
			w.Bool(flagName(f), true)
		}
	}
	if raw := e.Flags &^ (Signal | Subflow | Backup | Fullmesh); raw != 0 {
		w.String("rawflags", fmt.Sprintf("%02x", uint32(raw)))
	}
	if e.LinkIndex != 0 {
		name := e.LinkName
		if name == "" {
			name = linknames.Names(nil).Name(e.LinkIndex)
		}
		w.String("dev", name)
	}
	w.Close()
	return w.Bytes(), nil
}

// decodeEndpointMessage decodes a message carrying an endpoint
// (MPTCP_PM_ATTR_ADDR).
func decodeEndpointMessage(m genl.Message) (Endpoint, bool, error) {
	var e Endpoint
	found := false
	d := attrs.NewDecoder(m.Data)
	for d.Next() {
		if d.Type() != attrAddr {
			continue
		}
		var err error
		if e, err = decodeEndpoint(d.Bytes()); err != nil {
			return e, false, fmt.Errorf("MPTCP_PM_ATTR_ADDR: %w", err)
		}
		found = true
	}
	if err := d.Err(); err != nil {
		return e, false, err
	}
	if !found {
		return e, false, fmt.Errorf("mptcp message without an endpoint (MPTCP_PM_ATTR_ADDR)")
	}
	return e, true, nil
}

// decodeEndpoint decodes an endpoint's attributes (MPTCP_PM_ADDR_ATTR_*).
func decodeEndpoint(b []byte) (Endpoint, error) {
	var e Endpoint
	family := uint16(unix.AF_UNSPEC)
	var addr4, addr6 netip.Addr
	d := attrs.NewDecoder(b)
	for d.Next() {
		switch d.Type() {
		case addrAttrFamily:
			family = d.Uint16()
		case addrAttrID:
			e.ID = d.Uint8()
		case addrAttrAddr4:
			addr4 = d.Addr()
		case addrAttrAddr6:
			addr6 = d.Addr()
		case addrAttrPort:
			e.Port = d.Uint16()
		case addrAttrFlags:
			e.Flags = Flags(d.Uint32())
		case addrAttrIfIdx:
			e.LinkIndex = d.Int32()
		}
	}
	if err := d.Err(); err != nil {
		return e, err
	}
	switch {
	case family == unix.AF_INET && addr4.Is4():
		e.Address = addr4
	case family == unix.AF_INET6 && addr6.Is6():
		e.Address = addr6
	case family == unix.AF_INET || family == unix.AF_INET6:
		return e, fmt.Errorf("endpoint of family %d without an address of that family", family)
	}
	return e, nil
}

// encodeEndpoint appends the endpoint as MPTCP_PM_ATTR_ADDR, with the
// attributes ip sends in ip's order: those that are set of id, flags, link
// and port, then family and address.
func encodeEndpoint(enc *attrs.Encoder, e Endpoint, withID bool) {
	n := enc.Nest(attrAddr | attrs.Nested)
	if withID {
		enc.Uint8(addrAttrID, e.ID)
	}
	if e.Flags != 0 {
		enc.Uint32(addrAttrFlags, uint32(e.Flags))
	}
	if e.LinkIndex != 0 {
		enc.Int32(addrAttrIfIdx, e.LinkIndex)
	}
	if e.Port != 0 {
		enc.Uint16(addrAttrPort, e.Port)
	}
	if e.Address.IsValid() {
		if e.Address.Is4() {
			enc.Uint16(addrAttrFamily, unix.AF_INET)
			enc.Addr(addrAttrAddr4, e.Address)
		} else {
			enc.Uint16(addrAttrFamily, unix.AF_INET6)
			enc.Addr(addrAttrAddr6, e.Address)
		}
	}
	enc.End(n)
}
