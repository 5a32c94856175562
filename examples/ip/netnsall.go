package main

import (
	"context"
	"fmt"

	"github.com/nlkit/nlkit/netnsutil"
)

// netnsExecAll runs `ip -all netns exec COMMAND [ARGS]`: the command in
// each named namespace, in the order of /run/netns, after a line
// "netns: NAME" and an empty one, whatever the command's status, as ip
// does.
func (c *command) netnsExecAll(ctx context.Context, args []string) error {
	if len(args) < 1 {
		return usageErr("No command specified")
	}
	all, err := netnsutil.List(ctx)
	if err != nil {
		return err
	}
	for _, ns := range all {
		fmt.Fprintf(c.stdout, "\nnetns: %s\n", ns.Name)
		err := c.netnsExec(ctx, append([]string{ns.Name}, args...))
		if ee, ok := err.(*exitError); ok && ee.msg != "" {
			fmt.Fprintln(c.stderr, ee.msg)
		}
	}
	return nil
}
