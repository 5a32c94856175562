package main

import (
	"context"
	"fmt"
	"net"
	"net/netip"

	"github.com/nlkit/nlkit/rtnl"
)

// batchChunk is how many changes the dataset builders send per batch, so
// that building a large dataset does not hold it all in memory at once.
const batchChunk = 10000

// sendInChunks queues the changes queue makes for i in [from, to), sending
// them batchChunk at a time.
func sendInChunks(ctx context.Context, c *rtnl.Conn, from, to int, queue func(b *rtnl.Batch, i int) error) error {
	var b rtnl.Batch
	for i := from; i < to; i++ {
		if err := queue(&b, i); err != nil {
			return err
		}
		if b.Len() == batchChunk || i == to-1 {
			if err := c.SendBatch(ctx, &b); err != nil {
				return err
			}
			b.Reset()
		}
	}
	return nil
}

// hostV4 returns the i-th IPv4 address from 10.0.0.0 on, skipping none:
// 16M of them.
func hostV4(first byte, i int) netip.Addr {
	return netip.AddrFrom4([4]byte{first, byte(i >> 16), byte(i >> 8), byte(i)})
}

// hostV6 returns the i-th address of 2001:db8:1::/64.
func hostV6(i int) netip.Addr {
	return netip.AddrFrom16([16]byte{0x20, 0x01, 0x0d, 0xb8, 0, 1, 12: byte(i >> 24), 13: byte(i >> 16), 14: byte(i >> 8), 15: byte(i)})
}

// addVeth adds the veth pair name, peer and returns the index of name,
// up when up is set.
func addVeth(ctx context.Context, c *rtnl.Conn, name, peer string, up bool) (int32, error) {
	l := rtnl.Link{Name: name, Info: &rtnl.LinkInfo{Data: &rtnl.Veth{Peer: rtnl.Link{Name: peer}}}}
	if err := c.AddLink(ctx, l); err != nil {
		return 0, err
	}
	got, err := c.LinkByName(ctx, name)
	if err != nil {
		return 0, err
	}
	if up {
		err = c.SetLink(ctx, got.Index, rtnl.LinkChange{Up: ptr(true)})
	}
	return got.Index, err
}

// addRoutes grows the IPv4 or IPv6 host routes of table 100 through link
// index from have to want.
func addRoutes(ctx context.Context, c *rtnl.Conn, v6 bool, index int32, have, want int) error {
	return sendInChunks(ctx, c, have, want, func(b *rtnl.Batch, i int) error {
		if v6 {
			return b.AddRoute(rtnl.Route{Dst: netip.PrefixFrom(hostV6(i), 128), LinkIndex: index, Table: 100})
		}
		return b.AddRoute(rtnl.Route{Dst: netip.PrefixFrom(hostV4(10, i), 32), LinkIndex: index, Table: 100})
	})
}

// addVethPairs grows the veth pairs of the namespace from have to want,
// pairs named a<i> and b<i>.
func addVethPairs(ctx context.Context, c *rtnl.Conn, have, want int) error {
	for i := have; i < want; i++ {
		if _, err := addVeth(ctx, c, fmt.Sprintf("a%d", i), fmt.Sprintf("b%d", i), false); err != nil {
			return err
		}
	}
	return nil
}

// addrLinks is how many links the addresses and neighbours are spread
// over: the kernel checks an IPv4 address against the others of its link,
// so a hundred thousand on one would take long to add.
const addrLinks = 100

// addAddrsAndNeighbours adds n IPv4 addresses and n permanent IPv4
// neighbours, spread over the links indexes.
func addAddrsAndNeighbours(ctx context.Context, c *rtnl.Conn, indexes []int32, n int) error {
	lladdr := net.HardwareAddr{0x02, 0, 0, 0, 0, 0x09}
	err := sendInChunks(ctx, c, 0, n, func(b *rtnl.Batch, i int) error {
		return b.AddAddress(rtnl.Address{Prefix: netip.PrefixFrom(hostV4(10, i), 32), LinkIndex: indexes[i%len(indexes)]})
	})
	if err != nil {
		return err
	}
	return sendInChunks(ctx, c, 0, n, func(b *rtnl.Batch, i int) error {
		return b.AddNeighbor(rtnl.Neighbor{Dst: hostV4(11, i), LinkIndex: indexes[i%len(indexes)], State: rtnl.NeighPermanent, LLAddr: lladdr})
	})
}
