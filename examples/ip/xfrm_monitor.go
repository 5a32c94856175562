package main

import (
	"context"
	"encoding/json"
	"errors"

	"golang.org/x/sys/unix"

	"github.com/nlkit/nlkit/xfrm"
)

// monitor runs `ip xfrm monitor [nokeys] [all | OBJECTS]`: it prints the
// events as ip does, or, with -j, one JSON object a line, until ctx ends.
func (c *xfrmCommand) monitor(ctx context.Context, args []string) error {
	var groups []xfrm.Group
	var nokeys bool
	for _, w := range args {
		switch {
		case w == "nokeys":
			nokeys = true
		case w == "all":
		case matches(w, "acquire"):
			groups = append(groups, xfrm.GroupAcquire)
		case matches(w, "expire"):
			groups = append(groups, xfrm.GroupExpire)
		case matches(w, "SA"):
			groups = append(groups, xfrm.GroupSA)
		case matches(w, "policy"):
			groups = append(groups, xfrm.GroupPolicy)
		case matches(w, "report"):
			groups = append(groups, xfrm.GroupReport)
		case matches(w, "aevent"):
			groups = append(groups, xfrm.GroupAEvents)
		case matches(w, "all-nsid"):
			return usageErr("ip xfrm monitor " + w + " is not part of this example.")
		default:
			return usageErr("Argument \"" + w + "\" is unknown, try \"ip xfrm monitor help\".")
		}
	}
	for ev, err := range c.x.Monitor(ctx, groups...) {
		switch {
		case errors.Is(err, unix.ENOBUFS):
			continue
		case err != nil && ctx.Err() != nil:
			return nil
		case err != nil:
			return err
		}
		if c.opts.json {
			b, err := json.Marshal(ev)
			if err != nil {
				return err
			}
			c.stdout.Write(append(b, '\n'))
			continue
		}
		c.printText(ev.Text(c.textOptions(nokeys)))
	}
	return nil
}
