// Command plumbing builds the guide's bridge topology in throw-away network
// namespaces, proves that traffic crosses it, prints it as `ip -j` JSON and
// removes it again.
//
// Usage (as root):
//
//	sudo go run ./examples/plumbing          # build, test, print, remove
//	sudo go run ./examples/plumbing -wait    # …and wait for Ctrl-C before removing
//
// The topology, all of it in namespaces of its own (the machine's own
// namespace is never changed):
//
//	PREFIX-net0                  PREFIX-host                  PREFIX-net1
//	veth0n 10.0.0.1/24 ──── veth0 ─ br0 ─ veth1 ──── veth1n 10.0.0.2/24
//
// A UDP echo from PREFIX-net0 to a server in PREFIX-net1 proves that the
// bridge forwards. Standard output gets one JSON object whose members are the
// namespaces' names and whose values are what `ip -j -d -s -n NAME address
// show` prints for each. Everything is removed at the end, also when a step
// fails and on SIGINT or SIGTERM.
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"os/signal"
	"syscall"
)

func main() {
	prefix := flag.String("prefix", fmt.Sprintf("plumbing-%d", os.Getpid()), "prefix of the namespaces' names")
	wait := flag.Bool("wait", false, "wait for Ctrl-C before removing the topology")
	flag.Parse()

	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	cfg := config{prefix: *prefix, out: os.Stdout, log: os.Stderr}
	if *wait {
		cfg.inspect = func(ctx context.Context, _ *topology) error {
			fmt.Fprintln(os.Stderr, "plumbing: waiting for Ctrl-C; look around with ip -n", *prefix+"-host", "…")
			<-ctx.Done()
			return nil
		}
	}
	if err := run(ctx, cfg); err != nil && !errors.Is(err, context.Canceled) {
		fmt.Fprintln(os.Stderr, "plumbing:", err)
		os.Exit(1)
	}
}

// config is what run needs from its caller.
type config struct {
	// prefix starts the namespaces' names: PREFIX-host, PREFIX-net0 and
	// PREFIX-net1.
	prefix string
	// out receives the topology's JSON, log the progress messages.
	out, log io.Writer
	// inspect, when set, runs once the topology is built and printed,
	// before it is removed.
	inspect func(context.Context, *topology) error
}
