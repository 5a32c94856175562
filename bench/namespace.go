package main

import (
	"context"
	"fmt"
	"os"

	"github.com/nlkit/nlkit/netnsutil"
	"github.com/nlkit/nlkit/rtnl"
)

// A namespace is a throw-away named network namespace and an nlkit
// connection bound to it. Everything the benchmark makes, it makes in one.
type namespace struct {
	name string
	ns   *netnsutil.NetNS
	c    *rtnl.Conn
}

// newNamespace makes a namespace named for the process and purpose, with
// its loopback up.
func newNamespace(ctx context.Context, purpose string) (*namespace, error) {
	name := fmt.Sprintf("nlkit-bench-%d-%s", os.Getpid(), purpose)
	if err := netnsutil.Add(ctx, name); err != nil {
		return nil, err
	}
	ns, err := netnsutil.Open(name)
	if err != nil {
		netnsutil.Delete(ctx, name)
		return nil, err
	}
	c, err := rtnl.Dial(ctx, rtnl.WithNetNS(ns.FD()))
	if err != nil {
		ns.Close()
		netnsutil.Delete(ctx, name)
		return nil, err
	}
	n := &namespace{name: name, ns: ns, c: c}
	lo, err := c.LinkByName(ctx, "lo")
	if err == nil {
		err = c.SetLink(ctx, lo.Index, rtnl.LinkChange{Up: ptr(true)})
	}
	if err != nil {
		n.close(ctx)
		return nil, err
	}
	return n, nil
}

// close closes the connection and removes the namespace's name; the
// kernel frees it, and all in it, once nothing refers to it any more. It
// removes the name also when ctx was cancelled (by Ctrl-C).
func (n *namespace) close(ctx context.Context) {
	n.c.Close()
	n.ns.Close()
	netnsutil.Delete(context.WithoutCancel(ctx), n.name)
}

func ptr[T any](v T) *T { return &v }
