package main

import (
	"context"
	"fmt"
	"net/netip"
	"os"
	"runtime"
	"runtime/debug"
	"strconv"
	"strings"
	"time"

	"golang.org/x/sys/unix"

	"github.com/nlkit/nlkit/rtnl"
)

// logf reports progress on standard error.
func logf(format string, args ...any) {
	fmt.Fprintf(os.Stderr, "%s "+format+"\n", append([]any{time.Now().Format("15:04:05")}, args...)...)
}

// measureReads measures each implementation on one dataset.
func measureReads(rep *report, what string, runs int, impls []impl) error {
	results, err := measureAll(runs, impls, nil, nil)
	if err != nil {
		return fmt.Errorf("%s: %w", what, err)
	}
	for _, r := range results {
		logf("%s: %s: %.0f ns/object (%d objects)", what, r.impl, r.ns, r.objects)
	}
	rep.reads = append(rep.reads, readSet{what: what, results: results})
	return nil
}

// withNamespace runs fn with a new namespace and the clients bound to it.
func withNamespace(ctx context.Context, purpose string, fn func(n *namespace, cl *clients) error) error {
	n, err := newNamespace(ctx, purpose)
	if err != nil {
		return err
	}
	defer n.close(ctx)
	cl, err := newClients(n)
	if err != nil {
		return err
	}
	defer cl.close()
	return fn(n, cl)
}

// benchRoutes dumps IPv4 and IPv6 routes at each size.
func benchRoutes(ctx context.Context, rep *report, runs int, sizes []int) error {
	return withNamespace(ctx, "routes", func(n *namespace, cl *clients) error {
		index, err := addVeth(ctx, n.c, "r0", "r1", true)
		if err != nil {
			return err
		}
		have := 0
		for _, size := range sizes {
			logf("routes: growing to %d of each family", size)
			if err := addRoutes(ctx, n.c, false, index, have, size); err != nil {
				return err
			}
			if err := addRoutes(ctx, n.c, true, index, have, size); err != nil {
				return err
			}
			have = size
			for _, o := range []object{routesV4, routesV6} {
				if err := measureReads(rep, fmt.Sprintf("%s, %d", o, size), runs, readers(ctx, cl, o)); err != nil {
					return err
				}
			}
		}
		return nil
	})
}

// benchLinks dumps links at each size, veth pairs.
func benchLinks(ctx context.Context, rep *report, runs int, sizes []int) error {
	return withNamespace(ctx, "links", func(n *namespace, cl *clients) error {
		have := 0
		for _, size := range sizes {
			logf("links: growing to %d", size)
			if err := addVethPairs(ctx, n.c, have, size/2); err != nil {
				return err
			}
			have = size / 2
			if err := measureReads(rep, fmt.Sprintf("%s, %d", links, size), runs, readers(ctx, cl, links)); err != nil {
				return err
			}
		}
		return nil
	})
}

// benchAddrsNeighbours dumps size IPv4 addresses and neighbours.
func benchAddrsNeighbours(ctx context.Context, rep *report, runs int, size int) error {
	return withNamespace(ctx, "addrs", func(n *namespace, cl *clients) error {
		logf("addresses and neighbours: %d links", addrLinks)
		var indexes []int32
		for i := range addrLinks / 2 {
			for _, name := range []string{"a" + strconv.Itoa(i), "b" + strconv.Itoa(i)} {
				if name[0] == 'a' {
					if err := addVethPairs(ctx, n.c, i, i+1); err != nil {
						return err
					}
				}
				l, err := n.c.LinkByName(ctx, name)
				if err != nil {
					return err
				}
				indexes = append(indexes, l.Index)
			}
		}
		logf("addresses and neighbours: adding %d of each", size)
		if err := addAddrsAndNeighbours(ctx, n.c, indexes, size); err != nil {
			return err
		}
		for _, o := range []object{addresses, neighbours} {
			if err := measureReads(rep, fmt.Sprintf("%s, %d", o, size), runs, readers(ctx, cl, o)); err != nil {
				return err
			}
		}
		return nil
	})
}

// benchWrites adds IPv4 routes, at each size: one request at a time,
// the writers taking turns, and in bulk, each run into a fresh link.
func benchWrites(ctx context.Context, rep *report, runs int, sizes []int) error {
	return withNamespace(ctx, "writes", func(n *namespace, cl *clients) error {
		for _, size := range sizes {
			set := writeSet{routes: size}
			logf("add %d routes, one request at a time", size)
			syncResults, err := measureSync(ctx, n, runs, size, syncWriters(ctx, cl))
			if err != nil {
				return fmt.Errorf("adding %d routes: %w", size, err)
			}
			for _, r := range syncResults {
				set.results = append(set.results, r)
				set.floors = append(set.floors, floorOneByOne)
			}

			logf("add %d routes in bulk", size)
			dsts := make([]netip.Addr, size)
			for i := range dsts {
				dsts[i] = hostV4(12, i)
			}
			file, err := writeBatchFile(dsts)
			if err != nil {
				return err
			}
			defer os.Remove(file)
			var index int32
			setup := func() error {
				indexes, err := n.links(ctx, 1)
				if err == nil {
					index = indexes[0]
				}
				return err
			}
			teardown := func() error { return n.unlink(ctx, 1) }
			bulkResults, err := measureAll(runs, bulkWriters(ctx, cl, &index, dsts, file), setup, teardown)
			if err != nil {
				return fmt.Errorf("adding %d routes: %w", size, err)
			}
			for _, r := range bulkResults {
				set.results = append(set.results, r)
				set.floors = append(set.floors, floorPipelined)
			}
			for _, r := range set.results {
				logf("add %d routes: %s: %.0f ns/route", size, r.impl, r.ns)
			}
			rep.writes = append(rep.writes, set)
		}
		return nil
	})
}

// streamSample is how often, in routes, benchStreaming reads the resident
// memory while it streams.
const streamSample = 10_000

// benchStreaming streams size routes with RoutesSeq and records how much
// the resident memory grows meanwhile, against the raw floor's time.
func benchStreaming(ctx context.Context, rep *report, size int) error {
	return withNamespace(ctx, "stream", func(n *namespace, cl *clients) error {
		index, err := addVeth(ctx, n.c, "s0", "s1", true)
		if err != nil {
			return err
		}
		logf("streaming: adding %d routes", size)
		if err := addRoutes(ctx, n.c, false, index, 0, size); err != nil {
			return err
		}
		rtmsg := make([]byte, unix.SizeofRtMsg)
		rtmsg[0] = unix.AF_INET
		floor, err := measureOnce(impl{"raw floor", func() (int, error) { return cl.raw.dump(unix.RTM_GETROUTE, rtmsg, unix.RTM_NEWROUTE) }})
		if err != nil {
			return err
		}
		runtime.GC()
		debug.FreeOSMemory()
		before := residentBytes()
		peak := before
		result, err := measureOnce(impl{"nlkit RoutesSeq", func() (int, error) {
			got := 0
			for _, err := range n.c.RoutesSeq(ctx, rtnl.FilterRouteFamily(unix.AF_INET), rtnl.FilterRouteTable(rtnl.TableUnspec)) {
				if err != nil {
					return got, err
				}
				if got++; got%streamSample == 0 {
					peak = max(peak, residentBytes())
				}
			}
			return got, nil
		}})
		if err != nil {
			return err
		}
		peak = max(peak, residentBytes())
		rep.stream = streamResult{floor: floor, seq: result, rssBefore: before, rssGrowth: peak - before}
		logf("streaming: %d routes, resident memory %d → %d bytes", result.objects, before, peak)
		return nil
	})
}

// residentBytes returns the process's resident memory (VmRSS).
func residentBytes() int64 {
	b, err := os.ReadFile("/proc/self/status")
	if err != nil {
		return 0
	}
	for line := range strings.SplitSeq(string(b), "\n") {
		if rest, ok := strings.CutPrefix(line, "VmRSS:"); ok {
			kb, _ := strconv.ParseInt(strings.TrimSpace(strings.TrimSuffix(strings.TrimSpace(rest), "kB")), 10, 64)
			return kb << 10
		}
	}
	return 0
}
