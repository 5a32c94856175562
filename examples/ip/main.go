// Command ip is iproute2's ip built only on nlkit's public API (rtnl,
// netnsutil, xfrm and genl): it parses its arguments as ip does, and
// prints what ip prints.
//
// Usage:
//
//	go run ./examples/ip [OPTIONS] OBJECT COMMAND [ARGS]
//	go run ./examples/ip -j -n blue addr show dev eth0
//	go run ./examples/ip link add br0 type bridge
//
// Objects and commands, abbreviated as ip allows (ip a, ip r s, addr sh,
// del, …; `dev` is optional where ip makes it so):
//
//	link     show, add, set, delete; kinds veth, bridge, bridge_slave
//	         (set), bond, bond_slave (set), vxlan, geneve, macvlan/macvtap
//	         (with macaddr), ipvlan/ipvtap, vlan, vrf, netkit, macsec, ipip,
//	         sit, ip6tnl, gre, gretap, erspan, ip6gre, ip6gretap, ip6erspan,
//	         vti, vti6, and those without settings (dummy, ifb, …), with
//	         their options and their -d text; protodown, xdp off, vf
//	address  show, add, change, replace, delete, flush, save, showdump,
//	         restore
//	route    show, add, change, replace, append, prepend, delete, get,
//	         flush (and flush cache), save, showdump, restore; every route
//	         option of ip 6.1 (metrics, encap, multipath, …)
//	neighbour show, get, add, change, replace, delete, flush
//	rule     show, add, delete, flush, save, restore
//	nexthop  show, get, add, replace, delete, flush, bucket show|get
//	netns    list, add, attach, delete, identify, pids, list-id, set, exec
//	maddress show, add, delete
//	tuntap   show, add, delete
//	monitor  [all | OBJECT…] [label] [all-nsid] [dev DEV]:
//	         link, address, route, mroute, neigh, rule, nexthop, netconf,
//	         nsid, prefix and stats events, printed as ip 6.1 prints them
//	         (-j too prints ip 6.1's text)
//	addrlabel list, add, delete, flush
//	netconf  show [dev DEV]
//	ntable   show, change
//	token    list, get, set, delete
//	stats    show, set (link, offload, xstats, xstats_slave, afstats)
//	mrule    show, add, delete, flush
//	mroute   show
//	tcp_metrics show, delete, flush
//	xfrm     state add, update, allocspi, get, delete, deleteall, list,
//	         flush, count; policy add, update, get, delete, deleteall,
//	         list, flush, count, set, setdefault, getdefault; monitor
//	mptcp    endpoint add, change, delete, show, flush; limits show, set;
//	         monitor
//	sr       hmac show, set; tunsrc show, set
//	ioam     namespace show, add, del, set; schema show, add, del
//	fou      add, delete, show
//	ila      add, delete, list
//	l2tp     add, delete, show (tunnels and sessions)
//	vrf      show, identify, pids, exec
//	tunnel   add, change, delete, show (IPv4 modes: ipip, sit, isatap, gre,
//	         vti)
//
// OPTIONS are -j[son], -p[retty], -d[etails], -s[tatistics] (twice for
// the error counters), -4, -6, -0, -B, -M, -f[amily] FAMILY, -n[etns] NETNS,
// -br[ief], -o[neline] and -N[umeric] (numbers for the groups, link
// types, scopes, route types, tables and protocols of link, address and
// route); -t[imestamp], -ts[hort] and -rc[vbuf] SIZE for monitor;
// -b[atch] FILE ("-" for the standard input) and -force; -a[ll] for
// netns exec; -c[olor][=always|auto|never] (ip's colors); -h[uman] and
// -iec for the counters of -s; -echo (the object the kernel sends back of
// a change); -l[oops] N (read; nlkit's flushes need no bound); -V[ersion].
//
// With -j the output is what iproute2 6.1's `ip -j` prints for the same
// state, byte for byte, -p included; -br is ip's brief form; the other
// text output reads like ip's (the kind details of -d are abridged).
// Errors are printed as ip prints them ("Error: …" with the kernel's
// message, or "RTNETLINK answers: …") and the exit status is ip's: 1 for a
// missing device or object, 2 for an error from the kernel, 255 for a
// command line ip would not accept.
//
// The JSON comes from nlkit: each object marshals to what `ip -j -d -s`
// prints, and the command leaves out what ip prints only with options it
// was not given (see linkview.go, route.go).
package main

import (
	"context"
	"fmt"
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
	if err == nil && cmd.opts.version {
		fmt.Fprintln(stdout, "ip utility, nlkit example (iproute2-6.1.0 compatible)")
		return 0
	}
	if err == nil && cmd.opts.batch != "" {
		return cmd.batch(ctx)
	}
	if err == nil {
		err = cmd.dispatch(ctx, args)
	}
	if err == nil {
		return 0
	}
	return report(stderr, err)
}
