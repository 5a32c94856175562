package main

import (
	"bufio"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"strings"

	"github.com/nlkit/nlkit/netnsutil"
	"github.com/nlkit/nlkit/rtnl"
)

// vrfUsage is ip vrf's usage message.
func vrfUsage() error {
	return usageErr("Usage:\tip vrf show [NAME] ...\n" +
		"\tip vrf exec [NAME] cmd ...\n" +
		"\tip vrf identify [PID]\n" +
		"\tip vrf pids [NAME]")
}

// vrf runs `ip vrf show|identify|pids|exec`.
func (c *command) vrf(ctx context.Context, args []string) error {
	if len(args) == 0 {
		return c.vrfShow(ctx, nil)
	}
	cmd, args := args[0], args[1:]
	switch {
	case matches(cmd, "identify"):
		return c.vrfIdentify(args)
	case matches(cmd, "pids"):
		return c.vrfPids(ctx, args)
	case matches(cmd, "exec"):
		return c.vrfExec(ctx, args)
	case matches(cmd, "show"), matches(cmd, "lst"), matches(cmd, "list"):
		return c.vrfShow(ctx, args)
	case matches(cmd, "help"):
		return vrfUsage()
	}
	return usageErr("Command \"" + cmd + "\" is unknown, try \"ip vrf help\".")
}

// vrfNumber returns the table of the VRF name, or 0 when name is no VRF.
func (c *command) vrfNumber(ctx context.Context, name string) uint32 {
	t, err := c.vrfTableOf(ctx, name)
	if err != nil {
		return 0
	}
	return uint32(t)
}

// vrfShow runs `ip vrf show [NAME]`.
func (c *command) vrfShow(ctx context.Context, args []string) error {
	switch {
	case len(args) > 1:
		return vrfUsage()
	case len(args) == 1:
		table := c.vrfNumber(ctx, args[0])
		if table == 0 {
			return usageErr("Invalid VRF")
		}
		fmt.Fprintf(c.stdout, "%s %d\n", args[0], table)
		return nil
	}
	links, err := c.conn.Links(ctx, rtnl.FilterKind("vrf"))
	if err != nil {
		return err
	}
	type vrfRow struct {
		Name  string `json:"name"`
		Table uint32 `json:"table"`
	}
	var rows []json.Marshaler
	var text strings.Builder
	for _, l := range links {
		v, ok := l.Info.Data.(*rtnl.Vrf)
		if !ok || v.Table == 0 {
			continue
		}
		b, err := json.Marshal(vrfRow{l.Name, v.Table})
		if err != nil {
			return err
		}
		rows = append(rows, json.RawMessage(b))
		fmt.Fprintf(&text, "%-16s %5d\n", l.Name, v.Table)
	}
	if c.opts.json {
		return c.printList(rows)
	}
	fmt.Fprintf(c.stdout, "%-16s  %5s\n%s\n", "Name", "Table", "-----------------------")
	if len(rows) == 0 {
		text.WriteString("No VRF has been configured\n")
	}
	fmt.Fprint(c.stdout, text.String())
	return nil
}

// vrfIdentify runs `ip vrf identify [PID]`: the VRF whose cgroup the
// process is in, from /proc/PID/cgroup (this process without a PID).
func (c *command) vrfIdentify(args []string) error {
	pid := os.Getpid()
	switch {
	case len(args) > 1:
		return invarg("Extra arguments specified\n", args[1])
	case len(args) == 1:
		n, err := strconv.ParseUint(args[0], 10, 32)
		if err != nil {
			return invarg("Invalid pid\n", args[0])
		}
		pid = int(n)
	}
	f, err := os.Open(fmt.Sprintf("/proc/%d/cgroup", pid))
	if err != nil {
		return &exitError{"Failed to lookup vrf association: " + strerror(errnoText(err)), 1}
	}
	defer f.Close()
	s := bufio.NewScanner(f)
	for s.Scan() {
		line := s.Text()
		if !strings.Contains(line, "::/") {
			continue // only the controller-less cgroup tells
		}
		if _, vrf, ok := strings.Cut(line, "/vrf/"); ok {
			fmt.Fprintln(c.stdout, vrf)
			break
		}
	}
	return nil
}

// vrfPids runs `ip vrf pids NAME`: the processes in the VRF's cgroups,
// .../vrf/NAME in the cgroup2 hierarchy, of this namespace.
func (c *command) vrfPids(ctx context.Context, args []string) error {
	if len(args) != 1 {
		return &exitError{"Invalid arguments", 1}
	}
	name := args[0]
	if c.vrfNumber(ctx, name) == 0 {
		return &exitError{"Invalid VRF name", 1}
	}
	mnt, err := cgroup2Mount()
	if err != nil {
		return err
	}
	netns := c.opts.netns
	if netns == "" {
		if names, err := netnsutil.Identify(ctx, os.Getpid()); err == nil && len(names) > 0 {
			netns = names[0]
		}
	}
	return filepath.WalkDir(mnt, func(path string, d os.DirEntry, err error) error {
		if err != nil || !d.IsDir() || d.Name() != "vrf" {
			return nil
		}
		if parent := filepath.Base(filepath.Dir(path)); netns != "" && parent != netns {
			return filepath.SkipDir
		}
		c.printCgroupPids(filepath.Join(path, name, "cgroup.procs"))
		return filepath.SkipDir
	})
}

// printCgroupPids prints the processes of a cgroup.procs file as ip vrf
// pids does: each pid and its command name.
func (c *command) printCgroupPids(procs string) {
	b, err := os.ReadFile(procs)
	if err != nil {
		return // no such cgroup: nothing to show
	}
	for _, pid := range strings.Fields(string(b)) {
		comm, err := os.ReadFile("/proc/" + pid + "/comm")
		name := strings.TrimSuffix(string(comm), "\n")
		if err != nil {
			name = "<terminated?>"
		}
		fmt.Fprintf(c.stdout, "%5s  %s\n", pid, name)
	}
}

// cgroup2Mount finds where the cgroup2 hierarchy is mounted.
func cgroup2Mount() (string, error) {
	f, err := os.Open("/proc/mounts")
	if err != nil {
		return "", err
	}
	defer f.Close()
	s := bufio.NewScanner(f)
	for s.Scan() {
		if fields := strings.Fields(s.Text()); len(fields) > 2 && fields[2] == "cgroup2" {
			return fields[1], nil
		}
	}
	return "", errors.New("no cgroup2 mount: ip vrf mounts one, which this example does not do")
}

// vrfExec runs `ip vrf exec NAME CMD…` as far as this example can: ip
// puts the process in the VRF's cgroup with a BPF program that binds its
// sockets to the VRF, which nlkit has no part in.
func (c *command) vrfExec(ctx context.Context, args []string) error {
	switch {
	case len(args) < 1:
		return &exitError{"No VRF name specified", 1}
	case len(args) < 2:
		return &exitError{"No command specified", 1}
	case c.vrfNumber(ctx, args[0]) == 0:
		return usageErr("Invalid VRF name")
	}
	return usageErr("ip vrf exec is not part of this example: it needs a cgroup with a BPF program, not netlink")
}
