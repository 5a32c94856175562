package main

import (
	"fmt"
	"runtime"
	"runtime/debug"
	"strings"
	"time"

	"golang.org/x/sys/unix"
)

// A result is the best of several runs of one implementation on one
// dataset: the least time, and the fewest allocations and bytes, each per
// object.
type result struct {
	impl    string
	objects int
	ns      float64 // nanoseconds per object
	cpu     float64 // CPU nanoseconds (user and system) per object
	allocs  float64 // heap allocations per object
	bytes   float64 // heap bytes per object
}

// A run is one timed run: it does the work and returns how many objects
// it handled.
type run func() (int, error)

// An impl is one implementation's timed run.
type impl struct {
	name string
	run  run
}

// measureAll measures the implementations runs times each, in turns (one
// run of each, then the next round), so that a change in the machine's
// load weighs on all alike, and keeps the best of each number. Around
// each run, setup and teardown, when not nil, run untimed. Allocation
// counts come from the runtime's statistics, read before and after a run.
func measureAll(runs int, impls []impl, setup, teardown func() error) ([]result, error) {
	best := make([]result, len(impls))
	for round := range runs {
		for i, im := range impls {
			if setup != nil {
				if err := setup(); err != nil {
					return nil, fmt.Errorf("%s: setup: %w", im.name, err)
				}
			}
			r, err := measureOnce(im)
			if err != nil {
				return nil, err
			}
			if teardown != nil {
				if err := teardown(); err != nil {
					return nil, fmt.Errorf("%s: teardown: %w", im.name, err)
				}
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

// keepBest keeps the better of each of b's numbers and r's.
func (b *result) keepBest(r result) {
	b.ns, b.cpu = min(b.ns, r.ns), min(b.cpu, r.cpu)
	b.allocs, b.bytes = min(b.allocs, r.allocs), min(b.bytes, r.bytes)
}

// cpuTime returns the CPU time, user and system, that this process and its
// finished children have used.
func cpuTime() time.Duration {
	var self, children unix.Rusage
	unix.Getrusage(unix.RUSAGE_SELF, &self)
	unix.Getrusage(unix.RUSAGE_CHILDREN, &children)
	total := int64(0)
	for _, tv := range []unix.Timeval{self.Utime, self.Stime, children.Utime, children.Stime} {
		total += tv.Nano()
	}
	return time.Duration(total)
}

// measureOnce times one run of im, after a garbage collection. A run named
// with freshSuffix starts with the free memory returned to the kernel as
// well (which the runtime otherwise does in the background, at its own
// pace, so that whether a run's new slice is new memory or memory an
// earlier run freed depends on the runs before it).
func measureOnce(im impl) (result, error) {
	if strings.HasSuffix(im.name, freshSuffix) {
		debug.FreeOSMemory()
	} else {
		runtime.GC()
	}
	var before, after runtime.MemStats
	runtime.ReadMemStats(&before)
	cpuStart := cpuTime()
	start := time.Now()
	n, err := im.run()
	elapsed := time.Since(start)
	cpu := cpuTime() - cpuStart
	runtime.ReadMemStats(&after)
	if err != nil {
		return result{}, fmt.Errorf("%s: %w", im.name, err)
	}
	if n == 0 {
		return result{}, fmt.Errorf("%s: handled no object", im.name)
	}
	return result{
		impl:    im.name,
		objects: n,
		ns:      float64(elapsed.Nanoseconds()) / float64(n),
		cpu:     float64(cpu.Nanoseconds()) / float64(n),
		allocs:  float64(after.Mallocs-before.Mallocs) / float64(n),
		bytes:   float64(after.TotalAlloc-before.TotalAlloc) / float64(n),
	}, nil
}
