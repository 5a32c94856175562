package main

import (
	"strings"

	"github.com/nlkit/nlkit/rtnl"
)

// routeFromSelector reads `from [root|match|exact] PREFIX` of ip route
// show, args at "from"; it leaves args at the prefix, which the caller
// moves past.
func (c *command) routeFromSelector(args *[]string) (rtnl.RouteFilter, error) {
	a := *args
	if len(a) < 2 {
		return nil, incomplete()
	}
	kind := "exact"
	if a[1] == "root" || a[1] == "match" || a[1] == "exact" {
		kind, a = a[1], a[1:]
		if len(a) < 2 {
			return nil, incomplete()
		}
	}
	*args = a
	p, err := c.routePrefix(a[1])
	if err != nil {
		return nil, err
	}
	switch kind {
	case "root":
		return rtnl.FilterRouteFromRoot(p), nil
	case "match":
		return rtnl.FilterRouteFromMatch(p), nil
	}
	return rtnl.FilterRouteFromExact(p), nil
}

// routeRealmsSelector reads `realms FROM/TO`, `realms TO` or `realms
// FROM/`: the realms given select, the others do not matter. It reports
// whether both were given: ip then leaves the realms out of what it
// prints.
func routeRealmsSelector(v string) (rtnl.RouteFilter, bool, error) {
	realms, err := rtnl.ParseRealms(v)
	if err != nil {
		return nil, false, invarg("invalid realms\n", v)
	}
	mask := uint32(0xffff)
	if from, to, ok := strings.Cut(v, "/"); ok {
		mask = 0
		if from != "" {
			mask |= 0xffff0000
		}
		if to != "" {
			mask |= 0xffff
		}
	}
	return rtnl.FilterRouteRealms(realms, mask), mask == 0xffffffff, nil
}
