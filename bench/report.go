package main

import (
	"fmt"
	"io"
	"strings"
)

// A readSet is the results of the implementations on one dataset, the
// raw floor first.
type readSet struct {
	what    string
	results []result
}

// A writeSet is the results of the writers adding routes, each with the
// name of the floor it is compared with.
type writeSet struct {
	routes  int
	results []result
	floors  []string
}

// A streamResult is the streaming of the largest route dump.
type streamResult struct {
	floor, seq result
	rssBefore  int64
	rssGrowth  int64
}

// A report gathers the results and checks nlkit's targets.
type report struct {
	reads  []readSet
	writes []writeSet
	stream streamResult
}

// isProcess reports whether an implementation runs as another process,
// whose heap the runtime does not see.
func isProcess(impl string) bool { return strings.HasPrefix(impl, "ip ") }

func allocCells(r result) string {
	if isProcess(r.impl) {
		return "– | –"
	}
	return fmt.Sprintf("%.0f | %.3f", r.bytes, r.allocs)
}

func (rep *report) print(w io.Writer) {
	fmt.Fprintf(w, "## Dump and decode\n\n")
	fmt.Fprintf(w, "Elapsed time, CPU time (user and system, of this process and of ip), heap bytes and heap allocations per object; × floor is the time over the raw floor's on the same dataset in the same run (the floor allocates nothing per object: one 32 KiB buffer, reused).\n\n")
	fmt.Fprintf(w, "| dataset | implementation | objects | ns/object | × floor | CPU ns/object | CPU × floor | B/object | allocs/object |\n|---|---|---:|---:|---:|---:|---:|---:|---:|\n")
	for _, set := range rep.reads {
		floor := set.results[0]
		for _, r := range set.results {
			fmt.Fprintf(w, "| %s | %s | %d | %.0f | %.2f | %.0f | %.2f | %s |\n", set.what, r.impl, r.objects, r.ns, r.ns/floor.ns, r.cpu, r.cpu/floor.cpu, allocCells(r))
		}
	}
	fmt.Fprintf(w, "\n## Route additions\n\nIPv4 host routes `dev w0`, added to an empty table; × floor is over the raw floor named.\n\n")
	fmt.Fprintf(w, "| routes | implementation | ns/route | × floor | CPU ns/route | CPU × floor | floor | B/route | allocs/route |\n|---:|---|---:|---:|---:|---:|---|---:|---:|\n")
	for _, set := range rep.writes {
		for i, r := range set.results {
			floor := set.find(set.floors[i])
			fmt.Fprintf(w, "| %d | %s | %.0f | %.2f | %.0f | %.2f | %s | %s |\n", set.routes, r.impl, r.ns, r.ns/floor.ns, r.cpu, r.cpu/floor.cpu, set.floors[i], allocCells(r))
		}
	}
	if s := rep.stream; s.seq.objects > 0 {
		rep.printStream(w)
	}
	rep.printSliceLists(w)
	rep.printTargets(w)
}

func (rep *report) printStream(w io.Writer) {
	s := rep.stream
	fmt.Fprintf(w, "\n## Streaming %d routes\n\n", s.seq.objects)
	fmt.Fprintf(w, "| implementation | ns/route | × floor | CPU ns/route | CPU × floor | B/route | allocs/route | resident memory growth |\n|---|---:|---:|---:|---:|---:|---:|---:|\n")
	fmt.Fprintf(w, "| %s | %.0f | 1.00 | %.0f | 1.00 | %.0f | %.3f | |\n", s.floor.impl, s.floor.ns, s.floor.cpu, s.floor.bytes, s.floor.allocs)
	fmt.Fprintf(w, "| %s | %.0f | %.2f | %.0f | %.2f | %.0f | %.3f | %.1f MiB (from %.1f MiB) |\n", s.seq.impl, s.seq.ns, s.seq.ns/s.floor.ns, s.seq.cpu, s.seq.cpu/s.floor.cpu, s.seq.bytes, s.seq.allocs,
		float64(s.rssGrowth)/(1<<20), float64(s.rssBefore)/(1<<20))
}

// find returns the result of the implementation named impl.
func (set *writeSet) find(impl string) result {
	for _, r := range set.results {
		if r.impl == impl {
			return r
		}
	}
	return result{}
}

// A check is one target, met or not.
type check struct {
	target, measured string
	met              bool
}

func (rep *report) printTargets(w io.Writer) {
	fmt.Fprintf(w, "\n## Targets\n\n| target | measured | met |\n|---|---|---|\n")
	for _, c := range rep.checks() {
		met := "yes"
		if !c.met {
			met = "**NO**"
		}
		fmt.Fprintf(w, "| %s | %s | %s |\n", c.target, c.measured, met)
	}
}

// isLargest reports whether set is one of the datasets the targets name:
// 100,000 routes, addresses or neighbours, or 2,000 links.
func (set *readSet) isLargest() bool {
	return strings.HasSuffix(set.what, ", 100000") || strings.HasSuffix(set.what, ", 2000")
}

// find returns the result of the implementation named impl, or whose name
// starts with it.
func (set *readSet) find(impl string) result {
	for _, r := range set.results {
		if strings.HasPrefix(r.impl, impl) {
			return r
		}
	}
	return result{}
}

// printSliceLists compares nlkit's slice lists with the raw floor holding
// a new slice of the result's type, both starting with their memory
// returned to the kernel.
func (rep *report) printSliceLists(w io.Writer) {
	fmt.Fprintf(w, "\n## Slice lists and the memory of their result\n\n")
	fmt.Fprintf(w, "A slice list returns a new slice of typed values, whose memory the raw floor (one 32 KiB buffer, reused) never holds. Here the raw floor holds such a slice too: after the dump, it makes a slice of as many values, of the exact length as nlkit's slice lists make theirs, and writes each value once, the least any list returning a new slice costs. Both runs start with the process's free memory returned to the kernel, which supplies the slice page by page (in the runs of the tables above, the slice may instead be memory an earlier run freed, as the runtime returns free memory in the background).\n\n")
	fmt.Fprintf(w, "| dataset | raw floor ns/object | raw floor holding the slice, ns/object | nlkit ns/object | nlkit × the floor holding the slice |\n|---|---:|---:|---:|---:|\n")
	for _, set := range rep.reads {
		floor, holding := set.results[0], set.find(floorHolding)
		if !set.isLargest() || holding.objects == 0 {
			continue
		}
		for _, r := range set.results {
			if strings.HasPrefix(r.impl, "nlkit ") && strings.HasSuffix(r.impl, freshSuffix) {
				fmt.Fprintf(w, "| %s (%s) | %.0f | %.0f | %.0f | %.2f |\n", set.what, strings.TrimSuffix(r.impl, freshSuffix), floor.ns, holding.ns, r.ns, r.ns/holding.ns)
			}
		}
	}
}

// checks evaluates nlkit's targets on the largest datasets: dump and
// decode to typed values, which the streaming lists do (the slice lists
// add the memory of their result: see printSliceLists), and the
// allocations of every list.
func (rep *report) checks() []check {
	var out []check
	for _, set := range rep.reads {
		if !set.isLargest() {
			continue
		}
		isLinks := strings.HasPrefix(set.what, "links")
		floor := set.results[0]
		for _, r := range set.results {
			if !strings.HasPrefix(r.impl, "nlkit ") || strings.HasSuffix(r.impl, freshSuffix) {
				continue
			}
			streaming := strings.HasSuffix(r.impl, "Seq")
			if streaming {
				out = append(out, check{
					target:   fmt.Sprintf("%s, dump + decode to typed values (%s): ≤ 1.5× floor", set.what, r.impl),
					measured: fmt.Sprintf("%.2f× (CPU time %.2f×)", r.ns/floor.ns, r.cpu/floor.cpu),
					met:      r.ns/floor.ns <= 1.5,
				})
			}
			limit, what := 1.0, "slice API"
			switch {
			case isLinks:
				limit, what = 6, "per link"
			case streaming:
				limit, what = 0.1, "streaming"
			}
			out = append(out, check{
				target:   fmt.Sprintf("%s, %s: ≤ %g allocs/object (%s)", set.what, r.impl, limit, what),
				measured: fmt.Sprintf("%.3f", r.allocs),
				met:      r.allocs <= limit,
			})
		}
	}
	for _, set := range rep.writes {
		for _, pair := range []struct {
			impl, floor string
		}{{"nlkit Batch", floorPipelined}, {"nlkit AddRoute", floorOneByOne}} {
			r, floor := set.find(pair.impl), set.find(pair.floor)
			if pair.impl == "nlkit Batch" && set.routes < 100_000 {
				continue
			}
			out = append(out, check{
				target:   fmt.Sprintf("%s, %d routes: ≤ 1.2× %s", pair.impl, set.routes, pair.floor),
				measured: fmt.Sprintf("%.2f× (CPU time %.2f×)", r.ns/floor.ns, r.cpu/floor.cpu),
				met:      r.ns/floor.ns <= 1.2,
			})
			if pair.impl == "nlkit AddRoute" {
				out = append(out, check{
					target:   fmt.Sprintf("nlkit AddRoute, %d routes: ≤ 3 allocs/route", set.routes),
					measured: fmt.Sprintf("%.3f", r.allocs),
					met:      r.allocs <= 3,
				})
			}
		}
	}
	if s := rep.stream; s.seq.objects > 0 {
		out = append(out, check{
			target:   fmt.Sprintf("streaming %d routes: resident memory grows < 16 MiB", s.seq.objects),
			measured: fmt.Sprintf("%.1f MiB", float64(s.rssGrowth)/(1<<20)),
			met:      s.rssGrowth < 16<<20,
		})
	}
	return out
}
