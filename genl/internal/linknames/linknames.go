// Package linknames names the links of a network namespace for the objects
// built on generic netlink, whose messages carry link indexes.
package linknames

import (
	"context"
	"strconv"

	"github.com/nlkit/nlkit/rtnl"
)

// A Names maps the link indexes of a namespace to their names.
type Names map[int32]string

// Read returns the names of the links of the namespace nsFD.
func Read(ctx context.Context, nsFD int) (Names, error) {
	c, err := rtnl.Dial(ctx, rtnl.WithNetNS(nsFD))
	if err != nil {
		return nil, err
	}
	defer c.Close()
	links, err := c.Links(ctx)
	if err != nil {
		return nil, err
	}
	names := make(Names, len(links))
	for _, l := range links {
		names[l.Index] = l.Name
	}
	return names, nil
}

// Name returns the name of the link index, or "ifN" as ip prints a link it
// cannot name.
func (n Names) Name(index int32) string {
	if name, ok := n[index]; ok {
		return name
	}
	return "if" + strconv.FormatUint(uint64(uint32(index)), 10)
}
