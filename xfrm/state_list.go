package xfrm

import (
	"context"
	"iter"
	"net/netip"

	"github.com/josharian/native"

	"github.com/nlkit/nlkit/attrs"
	"github.com/nlkit/nlkit/internal/nlconn"
)

// A StateFilter narrows a list of states, as the selectors of ip xfrm
// state list do. The protocol and address filters run in the kernel.
type StateFilter func(*stateFilter)

type stateFilter struct {
	family   uint16
	src, dst netip.Prefix
	proto    Proto
	spi      *uint32
	mode     *Mode
	reqID    *uint32
	flags    StateFlags
}

// FilterStateFamily keeps the states of the family (unix.AF_INET or
// unix.AF_INET6).
func FilterStateFamily(family uint16) StateFilter {
	return func(f *stateFilter) { f.family = family }
}

// FilterStateSrc keeps the states whose source is in p.
func FilterStateSrc(p netip.Prefix) StateFilter {
	return func(f *stateFilter) { f.src = p }
}

// FilterStateDst keeps the states whose destination is in p.
func FilterStateDst(p netip.Prefix) StateFilter {
	return func(f *stateFilter) { f.dst = p }
}

// FilterStateProto keeps the states of the protocol.
func FilterStateProto(p Proto) StateFilter {
	return func(f *stateFilter) { f.proto = p }
}

// FilterStateSPI keeps the states with the SPI.
func FilterStateSPI(spi uint32) StateFilter {
	return func(f *stateFilter) { f.spi = &spi }
}

// FilterStateMode keeps the states in the mode.
func FilterStateMode(m Mode) StateFilter {
	return func(f *stateFilter) { f.mode = &m }
}

// FilterStateReqID keeps the states with the reqid.
func FilterStateReqID(id uint32) StateFilter {
	return func(f *stateFilter) { f.reqID = &id }
}

// request builds the dump request: XFRMA_ADDRESS_FILTER, always sent as ip
// sends it, and XFRMA_PROTO for a protocol.
func (f *stateFilter) request() ([]byte, error) {
	family := f.family
	for _, p := range []netip.Prefix{f.src, f.dst} {
		if !p.IsValid() {
			continue
		}
		pf := familyOf(p.Addr())
		if family != 0 && pf != family {
			return nil, errInvalid("state filter", "prefixes of different families")
		}
		family = pf
	}
	var e attrs.Encoder
	v := make([]byte, sizeAddressFilter)
	putAddr(v[0:], f.src.Addr())
	putAddr(v[16:], f.dst.Addr())
	native.Endian.PutUint16(v[32:], family)
	v[34] = byte(prefixBits(f.src))
	v[35] = byte(prefixBits(f.dst))
	e.Raw(attrAddressFilter, v)
	if f.proto != 0 {
		e.Uint8(attrProto, uint8(f.proto))
	}
	return e.Bytes(), e.Err()
}

// match applies the filters the kernel does not.
func (f *stateFilter) match(s *State) bool {
	return (f.spi == nil || *f.spi == s.SPI) &&
		(f.mode == nil || *f.mode == s.Mode) &&
		(f.reqID == nil || *f.reqID == s.ReqID) &&
		(f.flags == 0 || s.Flags&f.flags != 0)
}

func newStateFilter(filters []StateFilter) (*stateFilter, []byte, error) {
	var f stateFilter
	for _, fn := range filters {
		fn(&f)
	}
	req, err := f.request()
	return &f, req, err
}

// decoder decodes the states the filter keeps and names their devices.
func (f *stateFilter) decoder(n *linkNamer) func(nlconn.Message) (State, bool, error) {
	return func(m nlconn.Message) (State, bool, error) {
		if m.Type != msgNewSA {
			return State{}, false, nil
		}
		s, err := decodeState(m.Data)
		if err != nil || !f.match(&s) {
			return State{}, false, err
		}
		return s, true, n.nameState(&s)
	}
}

// States lists the states, as ip -s xfrm state list.
func (c *Conn) States(ctx context.Context, filters ...StateFilter) ([]State, error) {
	f, req, err := newStateFilter(filters)
	if err != nil {
		return nil, err
	}
	return nlconn.Collect(ctx, c.nl, "list states", msgGetSA, 0, req, f.decoder(c.linkNamer(ctx)))
}

// StreamStates streams the states as the kernel sends them.
func (c *Conn) StreamStates(ctx context.Context, filters ...StateFilter) iter.Seq2[State, error] {
	return func(yield func(State, error) bool) {
		f, req, err := newStateFilter(filters)
		if err != nil {
			yield(State{}, err)
			return
		}
		yieldDump(ctx, c, "list states", msgGetSA, req, f.decoder(c.linkNamer(ctx)), yield)
	}
}

// States lists the states of the calling thread's namespace; see
// [Conn.States].
func States(ctx context.Context, filters ...StateFilter) ([]State, error) {
	return withConn(ctx, func(c *Conn) ([]State, error) { return c.States(ctx, filters...) })
}

// StreamStates streams the states of the calling thread's namespace; see
// [Conn.StreamStates].
func StreamStates(ctx context.Context, filters ...StateFilter) iter.Seq2[State, error] {
	return withConnSeq(ctx, func(c *Conn) iter.Seq2[State, error] { return c.StreamStates(ctx, filters...) })
}
