package xfrm

import (
	"context"

	"github.com/josharian/native"

	"github.com/nlkit/nlkit/attrs"
	"github.com/nlkit/nlkit/internal/nlconn"
)

// SAD and SPD information attributes (XFRMA_SAD_*, XFRMA_SPD_*).
const (
	sadAttrCount = 1 // XFRMA_SAD_CNT
	sadAttrHInfo = 2 // XFRMA_SAD_HINFO

	spdAttrInfo       = 1 // XFRMA_SPD_INFO
	spdAttrHInfo      = 2 // XFRMA_SPD_HINFO
	spdAttrIPv4Thresh = 3 // XFRMA_SPD_IPV4_HTHRESH
	spdAttrIPv6Thresh = 4 // XFRMA_SPD_IPV6_HTHRESH
)

// SADInfo counts the states, as ip -s xfrm state count prints it.
type SADInfo struct {
	// Count is the number of states.
	Count uint32
	// Buckets is the size of the state hash table, MaxBuckets its limit.
	Buckets, MaxBuckets uint32
}

// SPDInfo counts the policies, as ip -s xfrm policy count prints it.
type SPDInfo struct {
	// In, Out and Fwd count the main policies of each direction; SocketIn,
	// SocketOut and SocketFwd the per-socket policies.
	In, Out, Fwd                   uint32
	SocketIn, SocketOut, SocketFwd uint32
	// Buckets is the size of the policy hash table, MaxBuckets its limit.
	Buckets, MaxBuckets uint32
	// IPv4Thresh and IPv6Thresh are the hash thresholds, nil when the
	// kernel did not report them.
	IPv4Thresh, IPv6Thresh *HashThresh
}

// HashThresh is an SPD hash threshold (struct xfrmu_spdhthresh): policies
// whose selector prefixes are at least this long are hashed.
type HashThresh struct {
	// Local and Remote are prefix lengths in bits (ip's LBITS and RBITS).
	Local, Remote uint8
}

// SADInfo returns the count of states, as ip xfrm state count.
func (c *Conn) SADInfo(ctx context.Context) (SADInfo, error) {
	var info SADInfo
	err := c.nl.Execute(ctx, "count states", msgGetSADInfo, 0, make([]byte, 4), func(m nlconn.Message) error {
		if m.Type != msgNewSADInfo || len(m.Data) < 4 {
			return nil
		}
		d := attrs.NewDecoder(m.Data[4:])
		for d.Next() {
			switch d.Type() {
			case sadAttrCount:
				info.Count = d.Uint32()
			case sadAttrHInfo:
				if v := d.Bytes(); len(v) >= 8 {
					info.Buckets, info.MaxBuckets = native.Endian.Uint32(v), native.Endian.Uint32(v[4:])
				}
			}
		}
		return d.Err()
	})
	return info, err
}

// SPDInfo returns the count of policies and the hash thresholds, as ip
// xfrm policy count.
func (c *Conn) SPDInfo(ctx context.Context) (SPDInfo, error) {
	var info SPDInfo
	err := c.nl.Execute(ctx, "count policies", msgGetSPDInfo, 0, make([]byte, 4), func(m nlconn.Message) error {
		if m.Type != msgNewSPDInfo || len(m.Data) < 4 {
			return nil
		}
		d := attrs.NewDecoder(m.Data[4:])
		for d.Next() {
			v := d.Bytes()
			u := func(i int) uint32 { return native.Endian.Uint32(v[4*i:]) }
			switch d.Type() {
			case spdAttrInfo:
				if len(v) >= 24 {
					info.In, info.Out, info.Fwd = u(0), u(1), u(2)
					info.SocketIn, info.SocketOut, info.SocketFwd = u(3), u(4), u(5)
				}
			case spdAttrHInfo:
				if len(v) >= 8 {
					info.Buckets, info.MaxBuckets = u(0), u(1)
				}
			case spdAttrIPv4Thresh:
				if len(v) >= 2 {
					info.IPv4Thresh = &HashThresh{Local: v[0], Remote: v[1]}
				}
			case spdAttrIPv6Thresh:
				if len(v) >= 2 {
					info.IPv6Thresh = &HashThresh{Local: v[0], Remote: v[1]}
				}
			}
		}
		return d.Err()
	})
	return info, err
}

// SetSPDHashThresholds sets the SPD hash thresholds, as ip xfrm policy set
// hthresh4 LBITS RBITS hthresh6 LBITS RBITS; a nil threshold is left as it
// is.
func (c *Conn) SetSPDHashThresholds(ctx context.Context, v4, v6 *HashThresh) error {
	if v4 != nil && (v4.Local > 32 || v4.Remote > 32) {
		return errInvalid("IPv4 hash threshold", "prefix lengths above 32")
	}
	if v6 != nil && (v6.Local > 128 || v6.Remote > 128) {
		return errInvalid("IPv6 hash threshold", "prefix lengths above 128")
	}
	var e attrs.Encoder
	e.Append(make([]byte, 4))
	if v4 != nil {
		e.Raw(spdAttrIPv4Thresh, []byte{v4.Local, v4.Remote})
	}
	if v6 != nil {
		e.Raw(spdAttrIPv6Thresh, []byte{v6.Local, v6.Remote})
	}
	return c.execute(ctx, "set SPD hash thresholds", msgNewSPDInfo, 0, e.Bytes())
}

// GetSADInfo counts the states of the calling thread's namespace; see
// [Conn.SADInfo].
func GetSADInfo(ctx context.Context) (SADInfo, error) {
	return withConn(ctx, func(c *Conn) (SADInfo, error) { return c.SADInfo(ctx) })
}

// GetSPDInfo counts the policies of the calling thread's namespace; see
// [Conn.SPDInfo].
func GetSPDInfo(ctx context.Context) (SPDInfo, error) {
	return withConn(ctx, func(c *Conn) (SPDInfo, error) { return c.SPDInfo(ctx) })
}

// SetSPDHashThresholds sets the SPD hash thresholds of the calling
// thread's namespace; see [Conn.SetSPDHashThresholds].
func SetSPDHashThresholds(ctx context.Context, v4, v6 *HashThresh) error {
	_, err := withConn(ctx, func(c *Conn) (struct{}, error) { return struct{}{}, c.SetSPDHashThresholds(ctx, v4, v6) })
	return err
}
