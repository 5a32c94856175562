package main

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"strconv"

	"github.com/nlkit/nlkit/netnsutil"
)

// netns runs `ip netns COMMAND …`.
func (c *command) netns(ctx context.Context, args []string) error {
	if len(args) == 0 {
		return c.netnsList(ctx)
	}
	cmd, args := args[0], args[1:]
	opts, done, err := c.netnsOptions()
	if err != nil {
		return err
	}
	defer done()
	switch {
	case matches(cmd, "list"), matches(cmd, "show"), cmd == "lst":
		return c.netnsList(ctx, opts...)
	case matches(cmd, "list-id"):
		return c.netnsListIDs(ctx, args, opts)
	case matches(cmd, "add"):
		return c.needName(args, func(name string) error {
			return fileError("create", name, netnsutil.Add(ctx, name))
		})
	case matches(cmd, "attach"):
		if len(args) < 2 {
			return usageErr("No netns name and pid specified")
		}
		pid, err := strconv.Atoi(args[1])
		if err != nil {
			return usageErr("Invalid pid \"" + args[1] + "\"")
		}
		return netnsutil.Attach(ctx, args[0], pid)
	case matches(cmd, "set"):
		return c.netnsSet(ctx, args, opts)
	case matches(cmd, "delete"):
		return c.needName(args, func(name string) error {
			return fileError("remove", name, netnsutil.Delete(ctx, name))
		})
	case matches(cmd, "identify"):
		return c.netnsIdentify(ctx, args)
	case matches(cmd, "pids"):
		return c.needName(args, func(name string) error {
			pids, err := netnsutil.Pids(ctx, name)
			if err != nil {
				return &exitError{"Cannot open network namespace: " + strerror(errnoText(err)), 1}
			}
			for _, p := range pids {
				fmt.Fprintln(c.stdout, p)
			}
			return nil
		})
	case matches(cmd, "exec") && c.opts.all:
		return c.netnsExecAll(ctx, args)
	case matches(cmd, "exec"):
		return c.netnsExec(ctx, args)
	}
	return unknownCommand(cmd, "netns")
}

// netnsOptions are the netnsutil options for -n: the nsids read and set
// are those of that namespace.
func (c *command) netnsOptions() ([]netnsutil.Option, func(), error) {
	if c.opts.netns == "" {
		return nil, func() {}, nil
	}
	h, err := netnsutil.Open(c.opts.netns)
	if err != nil {
		return nil, nil, &exitError{"Cannot open network namespace \"" + c.opts.netns + "\": " + strerror(errnoText(err)), 255}
	}
	return []netnsutil.Option{netnsutil.InNetNS(h)}, func() { h.Close() }, nil
}

// needName runs fn with the namespace name of the arguments.
func (c *command) needName(args []string, fn func(string) error) error {
	if len(args) < 1 {
		return usageErr("No netns name specified")
	}
	if err := fn(args[0]); err != nil {
		return c.netnsError(args[0], err)
	}
	return nil
}

// fileError words a failure to create or remove the name of a namespace
// as ip does.
func fileError(verb, name string, err error) error {
	if err == nil || errors.Is(err, netnsutil.ErrInvalidName) {
		return err
	}
	return &exitError{"Cannot " + verb + " namespace file \"" + netnsutil.RunDir + "/" + name + "\": " + strerror(errnoText(err)), 1}
}

// netnsError words a failure about the named namespace as ip does.
func (c *command) netnsError(name string, err error) error {
	if errors.Is(err, netnsutil.ErrInvalidName) {
		return usageErr("Invalid netns name \"" + name + "\"")
	}
	var ee *exitError
	if errors.As(err, &ee) {
		return err
	}
	return &exitError{"Cannot open network namespace \"" + name + "\": " + strerror(errnoText(err)), 255}
}

// netnsList runs `ip netns list`.
func (c *command) netnsList(ctx context.Context, opts ...netnsutil.Option) error {
	list, err := netnsutil.List(ctx, opts...)
	if err != nil {
		return err
	}
	if c.opts.json {
		elems := make([]json.Marshaler, len(list))
		for i, n := range list {
			elems[i] = n
		}
		return c.printList(elems)
	}
	for _, n := range list {
		if n.ID >= 0 {
			fmt.Fprintf(c.stdout, "%s (id: %d)\n", n.Name, n.ID)
		} else {
			fmt.Fprintln(c.stdout, n.Name)
		}
	}
	return nil
}

// netnsListIDs runs `ip netns list-id [target-nsid N] [nsid M]`.
func (c *command) netnsListIDs(ctx context.Context, args []string, opts []netnsutil.Option) error {
	var ids []netnsutil.PeerID
	var err error
	if len(args) >= 2 && args[0] == "target-nsid" {
		target, perr := strconv.Atoi(args[1])
		if perr != nil {
			return usageErr("Invalid \"target-nsid\" value")
		}
		ids, err = netnsutil.ListTargetIDs(ctx, target, opts...)
	} else {
		ids, err = netnsutil.ListIDs(ctx, opts...)
	}
	if err != nil {
		return err
	}
	if c.opts.json {
		elems := make([]json.Marshaler, len(ids))
		for i, id := range ids {
			elems[i] = id
		}
		return c.printList(elems)
	}
	for _, id := range ids {
		fmt.Fprintf(c.stdout, "nsid %d ", id.NSID)
		if id.CurrentNSID >= 0 {
			fmt.Fprintf(c.stdout, "current-nsid %d ", id.CurrentNSID)
		}
		if id.Name != "" {
			fmt.Fprintf(c.stdout, "(iproute2 netns name: %s)", id.Name)
		}
		fmt.Fprintln(c.stdout)
	}
	return nil
}

// netnsSet runs `ip netns set NAME NSID|auto`.
func (c *command) netnsSet(ctx context.Context, args []string, opts []netnsutil.Option) error {
	if len(args) < 2 {
		return usageErr("No netns name specified")
	}
	if args[1] == "auto" {
		_, err := netnsutil.SetIDAuto(ctx, args[0], opts...)
		return err
	}
	id, err := strconv.Atoi(args[1])
	if err != nil || id < 0 {
		return usageErr("Invalid \"netnsid\" value")
	}
	return netnsutil.SetID(ctx, args[0], id, opts...)
}

// netnsIdentify runs `ip netns identify [PID]`.
func (c *command) netnsIdentify(ctx context.Context, args []string) error {
	pid := os.Getpid()
	if len(args) > 0 {
		p, err := strconv.Atoi(args[0])
		if err != nil {
			return usageErr("Invalid pid \"" + args[0] + "\"")
		}
		pid = p
	}
	names, err := netnsutil.Identify(ctx, pid)
	if err != nil {
		return err
	}
	for _, n := range names {
		fmt.Fprintln(c.stdout, n)
	}
	return nil
}

// netnsExec runs `ip netns exec NAME COMMAND [ARGS]` and exits with the
// command's status.
func (c *command) netnsExec(ctx context.Context, args []string) error {
	if len(args) < 2 {
		return usageErr("No netns name specified")
	}
	cmd, err := netnsutil.Exec(ctx, args[0], args[1], args[2:]...)
	if errors.Is(err, exec.ErrNotFound) {
		// ip's child fails to exec it, and exits with 1.
		return &exitError{"exec of \"" + args[1] + "\" failed: No such file or directory", 1}
	}
	if err != nil {
		return c.netnsError(args[0], err)
	}
	cmd.Stdin, cmd.Stdout, cmd.Stderr = c.stdin, c.stdout, c.stderr
	err = cmd.Run()
	var xe *exec.ExitError
	if errors.As(err, &xe) {
		return &exitError{"", xe.ExitCode()}
	}
	if err != nil {
		return &exitError{"exec of \"" + args[1] + "\" failed: " + strerror(errnoText(err)), 255}
	}
	return nil
}
