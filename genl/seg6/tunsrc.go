package seg6

import (
	"context"
	"fmt"
	"net/netip"

	"github.com/nlkit/nlkit/attrs"
	"github.com/nlkit/nlkit/genl"
	"github.com/nlkit/nlkit/internal/jsonw"
)

// A TunnelSource is the source address of the outer IPv6 header of SRv6
// encapsulations: what `ip sr tunsrc show` prints.
type TunnelSource struct {
	// Addr is the address; "::" lets the kernel pick one per route.
	Addr netip.Addr
}

// MarshalJSON encodes the tunnel source as the element of `ip -j sr tunsrc
// show` (iproute2 6.1): {"tunsrc":ADDRESS}.
func (s TunnelSource) MarshalJSON() ([]byte, error) {
	var w jsonw.Writer
	w.Open("")
	w.String("tunsrc", s.Addr.String())
	w.Close()
	return w.Bytes(), nil
}

// GetTunnelSource returns the tunnel source, as `ip sr tunsrc show` does.
func GetTunnelSource(ctx context.Context, c *genl.Conn) (TunnelSource, error) {
	var s TunnelSource
	found := false
	req := genl.Request{Op: "seg6: get tunnel source", Family: familyName, Command: cmdGetTunsrc, Version: version}
	err := c.Execute(ctx, req, func(m genl.Message) error {
		var err error
		s, err = decodeTunnelSource(m.Data)
		found = err == nil
		return err
	})
	if err == nil && !found {
		err = fmt.Errorf("%s: no reply", req.Op)
	}
	return s, err
}

// SetTunnelSource sets the tunnel source, as `ip sr tunsrc set ADDRESS`
// does.
func SetTunnelSource(ctx context.Context, c *genl.Conn, addr netip.Addr) error {
	if !addr.Is6() || addr.Zone() != "" {
		return genl.Invalid("tunnel source", fmt.Sprintf("%q is not an IPv6 address without zone", addr))
	}
	var enc attrs.Encoder
	enc.Addr(attrDst, addr)
	return c.Execute(ctx, genl.Request{Op: "seg6: set tunnel source " + addr.String(), Family: familyName,
		Command: cmdSetTunsrc, Version: version, Data: enc.Bytes()}, nil)
}

// decodeTunnelSource decodes a SEG6_CMD_GET_TUNSRC reply's attributes.
func decodeTunnelSource(b []byte) (TunnelSource, error) {
	var s TunnelSource
	d := attrs.NewDecoder(b)
	for d.Next() {
		if d.Type() == attrDst {
			s.Addr = d.Addr()
		}
	}
	if err := d.Err(); err != nil {
		return s, fmt.Errorf("seg6 tunnel source: %w", err)
	}
	if !s.Addr.Is6() {
		return s, fmt.Errorf("seg6 tunnel source without an IPv6 address (SEG6_ATTR_DST)")
	}
	return s, nil
}
