package main

import (
	"fmt"
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
	if s, ok := nameOrNumber[rtnl.Scope](v, 8); ok {
		return s, nil
	}
	return 0, invarg("invalid scope value.", v)
}

// named returns the one of values whose String, the name ip gives it, is
// v.
func named[T fmt.Stringer](v string, values ...T) (T, bool) {
	for _, t := range values {
		if t.String() == v {
			return t, true
		}
	}
	var zero T
	return zero, false
}

// nameOrNumber reads a value of one of rtnl's named number types, such as
// rtnl.Table, from its number (of at most bits bits) or from the name its
// String method prints. Names are looked up among 0 to 255, where ip's
// name tables are.
func nameOrNumber[T interface {
	~uint8 | ~uint32
	String() string
}](v string, bits int) (T, bool) {
	if bits > 0 {
		if n, err := parseCUint(v, bits); err == nil {
			return T(n), true
		}
	}
	for i := range 256 {
		if t := T(i); t.String() == v {
			return t, true
		}
	}
	return 0, false
}

// parseCUint reads an unsigned number of at most bits bits as ip's
// get_u32 and kin read it with C's strtoul in base 0: decimal, 0x… hex or
// 0… octal. Go's other notations (0b…, 0o…, _ between digits) are not C's
// and are refused.
func parseCUint(s string, bits int) (uint64, error) {
	if strings.Contains(s, "_") || len(s) > 1 && s[0] == '0' && strings.ContainsAny(s[1:2], "bBoO") {
		return 0, &strconv.NumError{Func: "ParseUint", Num: s, Err: strconv.ErrSyntax}
	}
	return strconv.ParseUint(s, 0, bits)
}
