package main

import (
	"bytes"
	"context"
	"fmt"
	"net"
	"net/netip"
	"os"
	"os/exec"
	"runtime"
	"time"

	"github.com/jsimonetti/rtnetlink/v2"
	"github.com/mdlayher/netlink"
	vnl "github.com/vishvananda/netlink"
	"golang.org/x/sys/unix"

	"github.com/nlkit/nlkit/rtnl"
)

// Names of the write floors.
const (
	floorOneByOne  = "raw one-at-a-time"
	floorPipelined = "raw pipelined"
)

// A syncWriter adds one route with one synchronous request.
type syncWriter struct {
	name string
	add  func(dst netip.Addr, index int32) error
}

// syncWriters returns the implementations that add a route `dst/32 dev
// INDEX` one request at a time, the floor first.
func syncWriters(ctx context.Context, cl *clients) []syncWriter {
	c := cl.ns.c
	var req []byte
	return []syncWriter{
		{floorOneByOne, cl.raw.addRoute},
		{"nlkit AddRoute", func(dst netip.Addr, index int32) error {
			return c.AddRoute(ctx, rtnl.Route{Dst: netip.PrefixFrom(dst, 32), LinkIndex: index})
		}},
		{"vishvananda/netlink RouteAdd", func(dst netip.Addr, index int32) error {
			a := dst.As4()
			return cl.vish.RouteAdd(&vnl.Route{LinkIndex: int(index), Scope: vnl.SCOPE_LINK, Dst: &net.IPNet{IP: a[:], Mask: net.CIDRMask(32, 32)}})
		}},
		{"jsimonetti/rtnetlink Route.Add", func(dst netip.Addr, index int32) error {
			a := dst.As4()
			return cl.jsim.Route.Add(&rtnetlink.RouteMessage{
				Family: unix.AF_INET, DstLength: 32, Table: unix.RT_TABLE_MAIN, Protocol: unix.RTPROT_BOOT,
				Scope: unix.RT_SCOPE_LINK, Type: unix.RTN_UNICAST,
				Attributes: rtnetlink.RouteAttributes{Dst: a[:], OutIface: uint32(index)},
			})
		}},
		{"mdlayher/netlink framing", func(dst netip.Addr, index int32) error {
			req = cl.raw.appendRouteAdd(req[:0], dst, index)
			_, err := cl.mdl.Execute(netlink.Message{
				Header: netlink.Header{Type: unix.RTM_NEWROUTE, Flags: netlink.Request | netlink.Acknowledge | netlink.Create | netlink.Excl},
				Data:   req[unix.SizeofNlMsghdr:],
			})
			return err
		}},
	}
}

// syncChunk is how many routes a synchronous writer adds in one turn
// before the next writer takes its turn.
const syncChunk = 500

// links makes the link `wI` (up, with a veth peer) for each of n writers
// and returns their indexes; unlink deletes them, and their routes.
func (n *namespace) links(ctx context.Context, count int) ([]int32, error) {
	indexes := make([]int32, count)
	for i := range indexes {
		var err error
		if indexes[i], err = addVeth(ctx, n.c, fmt.Sprintf("w%d", i), fmt.Sprintf("p%d", i), true); err != nil {
			return nil, err
		}
	}
	return indexes, nil
}

func (n *namespace) unlink(ctx context.Context, count int) error {
	for i := range count {
		if err := n.c.DeleteLinkByName(ctx, fmt.Sprintf("w%d", i)); err != nil {
			return err
		}
	}
	return nil
}

// measureSync adds size routes with each synchronous writer, in turns of
// syncChunk routes (the writer going first changing each turn), so that
// every writer meets the same changes of the machine's load and the same
// size of table. Each writer adds its own routes through a link of its
// own. It keeps, over the runs, the best total of each writer.
func measureSync(ctx context.Context, n *namespace, runs, size int, writers []syncWriter) ([]result, error) {
	best := make([]result, len(writers))
	for round := range runs {
		indexes, err := n.links(ctx, len(writers))
		if err != nil {
			return nil, err
		}
		elapsed := make([]time.Duration, len(writers))
		cpu := make([]time.Duration, len(writers))
		mallocs := make([]uint64, len(writers))
		bytes := make([]uint64, len(writers))
		var before, after runtime.MemStats
		for turn, off := 0, 0; off < size; turn, off = turn+1, off+syncChunk {
			for k := range writers {
				i := (k + turn) % len(writers)
				w := writers[i]
				runtime.ReadMemStats(&before)
				cpuStart := cpuTime()
				start := time.Now()
				for j := off; j < min(off+syncChunk, size); j++ {
					if err := w.add(hostV4(byte(20+i), j), indexes[i]); err != nil {
						return nil, fmt.Errorf("%s: %w", w.name, err)
					}
				}
				elapsed[i] += time.Since(start)
				cpu[i] += cpuTime() - cpuStart
				runtime.ReadMemStats(&after)
				mallocs[i] += after.Mallocs - before.Mallocs
				bytes[i] += after.TotalAlloc - before.TotalAlloc
			}
		}
		if err := n.unlink(ctx, len(writers)); err != nil {
			return nil, err
		}
		for i, w := range writers {
			r := result{impl: w.name, objects: size,
				ns:     float64(elapsed[i].Nanoseconds()) / float64(size),
				cpu:    float64(cpu[i].Nanoseconds()) / float64(size),
				allocs: float64(mallocs[i]) / float64(size),
				bytes:  float64(bytes[i]) / float64(size),
			}
			b := &best[i]
			if round == 0 {
				*b = r
				continue
			}
			b.keepBest(r)
		}
	}
	return best, nil
}

// bulkWriters returns the implementations that add the routes dsts `dev
// w0` in bulk, the floor first; index points to w0's index.
func bulkWriters(ctx context.Context, cl *clients, index *int32, dsts []netip.Addr, batchFile string) []impl {
	c := cl.ns.c
	var b rtnl.Batch
	return []impl{
		{floorPipelined, func() (int, error) { return cl.raw.addRoutesPipelined(dsts, *index) }},
		{"nlkit Batch", func() (int, error) {
			b.Reset()
			for _, dst := range dsts {
				if err := b.AddRoute(rtnl.Route{Dst: netip.PrefixFrom(dst, 32), LinkIndex: *index}); err != nil {
					return 0, err
				}
			}
			return len(dsts), c.SendBatch(ctx, &b)
		}},
		{"ip -batch", func() (int, error) {
			cmd := exec.Command("ip", "-n", cl.ns.name, "-batch", batchFile)
			var stderr bytes.Buffer
			cmd.Stderr = &stderr
			if err := cmd.Run(); err != nil {
				return 0, fmt.Errorf("ip -batch: %v: %s", err, stderr.Bytes())
			}
			return len(dsts), nil
		}},
	}
}

// writeBatchFile writes the ip -batch file that adds dsts dev w0, and
// returns its path.
func writeBatchFile(dsts []netip.Addr) (string, error) {
	f, err := os.CreateTemp("", "nlkit-bench-*.batch")
	if err != nil {
		return "", err
	}
	var buf bytes.Buffer
	for _, dst := range dsts {
		fmt.Fprintf(&buf, "route add %s/32 dev w0\n", dst)
	}
	if _, err := f.Write(buf.Bytes()); err != nil {
		f.Close()
		os.Remove(f.Name())
		return "", err
	}
	return f.Name(), f.Close()
}
