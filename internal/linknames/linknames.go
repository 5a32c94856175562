// Package linknames names the links of a network namespace, and finds
// links by name, for the families whose messages carry link indexes
// (generic netlink, xfrm).
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

// A NetNS calls a function with the descriptor of a network namespace,
// valid during the call: a connection's WithNetNSFD method, which keeps
// the connection's Close from closing the descriptor meanwhile.
type NetNS func(fn func(nsFD int) error) error

// ReadIn returns the names of the links of the namespace ns gives.
func ReadIn(ctx context.Context, ns NetNS) (Names, error) {
	var names Names
	err := ns(func(nsFD int) error {
		var err error
		names, err = Read(ctx, nsFD)
		return err
	})
	return names, err
}

// IndexIn returns the index of the link named name in the namespace ns
// gives, as Index does.
func IndexIn(ctx context.Context, ns NetNS, name string) (int32, error) {
	var index int32
	err := ns(func(nsFD int) error {
		var err error
		index, err = Index(ctx, nsFD, name)
		return err
	})
	return index, err
}

// Name returns the name of the link index, or "ifN" as ip prints a link it
// cannot name.
func (n Names) Name(index int32) string {
	if name, ok := n[index]; ok {
		return name
	}
	return "if" + strconv.FormatUint(uint64(uint32(index)), 10)
}

// Index returns the index of the link named name in the namespace nsFD. A
// missing link gives an error matching nlkit.ErrNotExist.
func Index(ctx context.Context, nsFD int, name string) (int32, error) {
	c, err := rtnl.Dial(ctx, rtnl.WithNetNS(nsFD))
	if err != nil {
		return 0, err
	}
	defer c.Close()
	l, err := c.LinkByName(ctx, name)
	return l.Index, err
}
