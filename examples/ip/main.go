// Command ip is a subset of iproute2's ip built only on nlkit's public API:
// it parses its arguments as ip does, and prints what ip prints.
//
// Usage:
//
//	go run ./examples/ip [OPTIONS] OBJECT COMMAND [ARGS]
//	go run ./examples/ip -j -n blue addr show dev eth0
//	go run ./examples/ip link add br0 type bridge
//
// OBJECT is one of link, address, route, neighbour, rule, nexthop, netns,
// maddress and tuntap, abbreviated as ip allows (ip a, ip r, ip n, …).
// OPTIONS are -j[son], -p[retty], -d[etails], -s[tatistics], -4, -6, -0,
// -f FAMILY, -n NETNS, -br[ief], -o[neline] and -N[umeric].
//
// With -j the output is what iproute2 6.1's `ip -j` prints for the same
// state; -br is ip's brief form; the other text output reads like ip's.
// Errors are printed as ip prints them ("Error: …" with the kernel's
// message) and the exit status is ip's: 1 for a missing device, 2 for an
// error from the kernel, 255 for a command ip would not understand.
package main

import (
	"context"
	"io"
	"os"
	"os/signal"
	"syscall"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	code := run(ctx, os.Args[1:], os.Stdin, os.Stdout, os.Stderr)
	stop()
	os.Exit(code)
}

// run runs one ip command line and returns its exit status.
func run(ctx context.Context, args []string, stdin io.Reader, stdout, stderr io.Writer) int {
	cmd := &command{stdin: stdin, stdout: stdout, stderr: stderr}
	args, err := cmd.opts.parse(args)
	if err == nil {
		err = cmd.dispatch(ctx, args)
	}
	if err == nil {
		return 0
	}
	return report(stderr, err)
}
