package main

import (
	"net/netip"
	"strconv"
	"strings"

	"github.com/nlkit/nlkit/rtnl"
)

// parseAddr reads an IP address.
func parseAddr(v string) (netip.Addr, error) {
	a, err := netip.ParseAddr(v)
	if err != nil {
		return a, usageErr("Error: an inet address is expected rather than \"" + v + "\".")
	}
	return a, nil
}

// parsePrefix reads ADDR[/LEN]; without a length the prefix is the
// address alone.
func parsePrefix(v string) (netip.Prefix, error) {
	if !strings.Contains(v, "/") {
		a, err := parseAddr(v)
		if err != nil {
			return netip.Prefix{}, err
		}
		return netip.PrefixFrom(a, a.BitLen()), nil
	}
	p, err := netip.ParsePrefix(v)
	if err != nil {
		return p, usageErr("Error: an inet prefix is expected rather than \"" + v + "\".")
	}
	return p, nil
}

// parseScope reads a scope by ip's name or number.
func parseScope(v string) (rtnl.Scope, error) {
	if n, err := strconv.ParseUint(v, 0, 8); err == nil {
		return rtnl.Scope(n), nil
	}
	for i := range 256 {
		if s := rtnl.Scope(i); s.String() == v {
			return s, nil
		}
	}
	return 0, usageErr("Error: argument \"" + v + "\" is wrong: invalid scope value.")
}
