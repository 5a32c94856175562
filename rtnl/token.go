package rtnl

import (
	"context"
	"errors"
	"fmt"
	"iter"
	"net/netip"

	"github.com/josharian/native"
	"golang.org/x/sys/unix"

	"github.com/nlkit/nlkit/attrs"
	"github.com/nlkit/nlkit/internal/jsonw"
	"github.com/nlkit/nlkit/internal/nlconn"
)

// A Token is the IPv6 tokenized interface identifier of a link (RFC 7217's
// predecessor, draft-chown-6man-tokenised-ipv6-identifiers): the host part
// the link's addresses from router advertisements use instead of one made
// from its hardware address. It is what `ip token list` reports of a link
// (IFLA_INET6_TOKEN in the link's IPv6 information).
//
// Its JSON (see [Token.MarshalJSON]) is one element of what
// `ip -j token list` (iproute2 6.1) prints.
type Token struct {
	// LinkIndex is the index of the link.
	LinkIndex int32
	// LinkName is the name of the link, filled in by the lists.
	LinkName string
	// Token is the interface identifier, in the low 64 bits of an IPv6
	// address: "::" when the link has none.
	Token netip.Addr
}

// MarshalJSON encodes the token as one element of `ip -j token list`
// (iproute2 6.1): "token" and "ifname".
func (t Token) MarshalJSON() ([]byte, error) {
	var w jsonw.Writer
	w.Open("")
	if t.Token.IsValid() {
		w.String("token", inetNtop(t.Token))
	}
	w.String("ifname", nameOrIndex(t.LinkName, t.LinkIndex))
	w.Close()
	return w.Bytes(), nil
}

// decodeTokenMessage decodes the token from a reply to an AF_INET6
// RTM_GETLINK dump: the link's IPv6 information. As ip does, it leaves out
// the links that cannot have a token (loopback and NOARP links) and
// messages of other families.
func decodeTokenMessage(m nlconn.Message) (Token, bool, error) {
	if m.Type != unix.RTM_NEWLINK {
		return Token{}, false, nil
	}
	return decodeToken(m.Data)
}

// decodeToken decodes an AF_INET6 link message; keep is false for one
// that has no token to report.
func decodeToken(b []byte) (t Token, keep bool, err error) {
	if len(b) < ifInfoMsgLen {
		return t, false, fmt.Errorf("link message too short: %d bytes", len(b))
	}
	t.LinkIndex = int32(native.Endian.Uint32(b[4:]))
	flags := native.Endian.Uint32(b[8:])
	if b[0] != unix.AF_INET6 || t.LinkIndex == 0 || flags&(unix.IFF_LOOPBACK|unix.IFF_NOARP) != 0 {
		return t, false, nil
	}
	d := attrs.NewDecoder(b[ifInfoMsgLen:])
	for d.Next() {
		if d.Type() != unix.IFLA_PROTINFO {
			continue
		}
		in6 := d.Nested()
		for in6.Next() {
			if in6.Type() == unix.IFLA_INET6_TOKEN {
				t.Token = in6.Addr()
			}
		}
		if err := in6.Err(); err != nil {
			return t, false, fmt.Errorf("IFLA_PROTINFO: %w", err)
		}
	}
	if err := d.Err(); err != nil {
		return t, false, err
	}
	if !t.Token.Is6() {
		return t, false, fmt.Errorf("link %d: no IPv6 token (IFLA_INET6_TOKEN)", t.LinkIndex)
	}
	return t, true, nil
}

// tokenDumpRequest is the payload of the RTM_GETLINK dump of the links'
// IPv6 information, as ip token sends it: an ifinfomsg of family AF_INET6.
func tokenDumpRequest() []byte {
	b := make([]byte, ifInfoMsgLen)
	b[0] = unix.AF_INET6
	return b
}

// Tokens returns the IPv6 tokens of the links of the calling thread's
// network namespace; see [Conn.Tokens].
func Tokens(ctx context.Context) ([]Token, error) {
	return withConn(ctx, func(c *Conn) ([]Token, error) { return c.Tokens(ctx) })
}

// TokensSeq streams the IPv6 tokens of the links of the calling thread's
// network namespace; see [Conn.TokensSeq].
func TokensSeq(ctx context.Context) iter.Seq2[Token, error] {
	return withConnSeq(ctx, func(c *Conn) iter.Seq2[Token, error] { return c.TokensSeq(ctx) })
}

// Tokens returns the IPv6 tokens of the links, as `ip token list` does:
// one for each link with IPv6 but loopback and NOARP links, "::" for a
// link without a token, with the link names filled in.
//
// An interrupted dump is handled as [Conn.Addresses] does.
func (c *Conn) Tokens(ctx context.Context) ([]Token, error) {
	ts, err := nlconn.Collect(ctx, c.nl, "rtnl: dump tokens", unix.RTM_GETLINK, 0, tokenDumpRequest(), decodeTokenMessage)
	if err != nil && !errors.Is(err, ErrDumpInterrupted) {
		return nil, err
	}
	lc := c.newLinkCache(ctx)
	for i := range ts {
		ts[i].LinkName = lc.linkName(ts[i].LinkIndex)
	}
	if lc.err != nil {
		return nil, lc.err
	}
	return ts, err
}

// TokensSeq streams the IPv6 tokens of the links as the kernel's reply
// arrives; see [Conn.Tokens]. A dump the kernel reports interrupted ends
// with an error matching [ErrDumpInterrupted].
func (c *Conn) TokensSeq(ctx context.Context) iter.Seq2[Token, error] {
	return func(yield func(Token, error) bool) {
		lc := c.newLinkCache(ctx)
		nlconn.YieldDump(ctx, c.nl, "rtnl: dump tokens", unix.RTM_GETLINK, tokenDumpRequest(), decodeTokenMessage,
			func(t Token, err error) bool {
				if err == nil {
					t.LinkName = lc.linkName(t.LinkIndex)
					err = lc.err
				}
				return yield(t, err) && err == nil
			})
	}
}

// GetToken returns the IPv6 token of the link with the given index, as
// `ip token get dev DEV` does. A missing link, and one that has no token
// (a loopback or NOARP link, or one without IPv6), give an error matching
// [ErrNotExist].
func (c *Conn) GetToken(ctx context.Context, index int32) (Token, error) {
	if index <= 0 {
		return Token{}, errInvalid("token link index", fmt.Sprintf("%d", index))
	}
	ts, err := c.Tokens(ctx)
	if err != nil {
		return Token{}, err
	}
	for _, t := range ts {
		if t.LinkIndex == index {
			return t, nil
		}
	}
	return Token{}, fmt.Errorf("rtnl: get token of link %d: no link with IPv6 that may have a token has this index: %w", index, ErrNotExist)
}

// SetToken sets the IPv6 token of the link with the given index, as
// `ip token set TOKEN dev DEV` does; the kernel keeps its low 64 bits.
// The kernel refuses (EINVAL) a loopback or NOARP link, and a link that
// does not accept router advertisements or sends no router solicitations.
// A missing link gives an error matching [ErrNotExist].
func (c *Conn) SetToken(ctx context.Context, index int32, token netip.Addr) error {
	req, err := tokenRequest(index, token)
	if err != nil {
		return err
	}
	return c.nl.Execute(ctx, fmt.Sprintf("rtnl: set token %s on link %d", token, index), unix.RTM_SETLINK, 0, req, nil)
}

// DeleteToken removes the IPv6 token of the link with the given index, as
// `ip token del dev DEV` does: it sets the token "::".
func (c *Conn) DeleteToken(ctx context.Context, index int32) error {
	return c.SetToken(ctx, index, netip.IPv6Unspecified())
}

// tokenRequest builds the payload of the RTM_SETLINK request that sets a
// link's token, as ip sends it: an AF_INET6 ifinfomsg and
// IFLA_AF_SPEC/AF_INET6/IFLA_INET6_TOKEN.
func tokenRequest(index int32, token netip.Addr) ([]byte, error) {
	switch {
	case index <= 0:
		return nil, errInvalid("token link index", fmt.Sprintf("%d", index))
	case !token.Is6() || token.Zone() != "":
		return nil, errInvalid("token", fmt.Sprintf("%q is not an IPv6 address without zone", token.String()))
	}
	var w writer
	hdr := make([]byte, ifInfoMsgLen)
	hdr[0] = unix.AF_INET6
	native.Endian.PutUint32(hdr[4:], uint32(index))
	w.Append(hdr)
	spec := w.Nest(unix.IFLA_AF_SPEC)
	in6 := w.Nest(unix.AF_INET6)
	w.Addr(unix.IFLA_INET6_TOKEN, token)
	w.End(in6)
	w.End(spec)
	return w.Bytes(), w.Err()
}
