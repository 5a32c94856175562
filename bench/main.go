// Command bench measures nlkit against other Go netlink libraries, `ip`,
// and a raw netlink floor, on datasets it builds in throw-away network
// namespaces (it never changes the initial one), and prints the results
// as Markdown tables with every target of nlkit checked. It must run as
// root.
//
//	go run . [-runs 5] [-scale 1]
package main

import (
	"context"
	"flag"
	"fmt"
	"log"
	"os"
	"os/signal"
	"runtime"
	"slices"
	"strings"
	"syscall"
	"time"
)

func main() {
	runs := flag.Int("runs", 5, "runs of each measurement; the best is kept")
	scale := flag.Float64("scale", 1, "dataset sizes, as a fraction of the issue's (0.01 for a quick check)")
	only := flag.String("only", "", "run only these comma-separated parts: stream, routes, links, addrs, writes")
	flag.Parse()
	if *runs < 1 || *scale <= 0 || *scale > 1 {
		log.Fatal("bench: -runs must be at least 1 and -scale in (0, 1]")
	}
	// Ctrl-C cancels the measurement under way, which then removes its
	// namespace before the program exits.
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	size := func(n int) int { return max(1, int(float64(n)**scale)) }

	fmt.Printf("# nlkit benchmark\n\n%s, %s %s/%s, %d CPUs, best of %d runs, scale %g\n\n",
		time.Now().UTC().Format(time.RFC3339), runtime.Version(), runtime.GOOS, runtime.GOARCH, runtime.NumCPU(), *runs, *scale)
	printKernel()

	var rep report
	parts := []struct {
		name string
		run  func() error
	}{
		{"stream", func() error { return benchStreaming(ctx, &rep, size(1_000_000)) }},
		{"routes", func() error { return benchRoutes(ctx, &rep, *runs, []int{size(1000), size(10_000), size(100_000)}) }},
		{"links", func() error { return benchLinks(ctx, &rep, *runs, []int{size(200), size(2000)}) }},
		{"addrs", func() error { return benchAddrsNeighbours(ctx, &rep, *runs, size(100_000)) }},
		{"writes", func() error { return benchWrites(ctx, &rep, *runs, []int{size(10_000), size(100_000)}) }},
	}
	for _, part := range parts {
		if *only != "" && !slices.Contains(strings.Split(*only, ","), part.name) {
			continue
		}
		if err := part.run(); err != nil {
			stop()
			log.Fatalf("bench: %v", err)
		}
	}
	rep.print(os.Stdout)
}

// printKernel prints the kernel's release.
func printKernel() {
	b, err := os.ReadFile("/proc/sys/kernel/osrelease")
	if err == nil {
		fmt.Printf("Linux %s\n\n", strings.TrimSpace(string(b)))
	}
}
