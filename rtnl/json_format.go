package rtnl

import (
	"net/netip"
	"strconv"

	"github.com/nlkit/nlkit/internal/jsonw"
)

// This file holds the value formats that the JSON of links, link kinds and
// addresses shares, as iproute2 6.1 prints them, and the writers of the
// optional members that ip prints only when the kernel reports them.

// unsigned is the constraint of the formatters of unsigned fields, named
// types included.
type unsigned interface {
	~uint8 | ~uint16 | ~uint32 | ~uint64
}

// inetNtop formats a as glibc's inet_ntop does, as ip prints addresses:
// unlike netip.Addr.String, it writes an IPv4-compatible IPv6 address
// (::a.b.c.d) with a dotted quad, and it drops any zone.
func inetNtop(a netip.Addr) string {
	if a.Is6() && !a.Is4In6() {
		b := a.As16()
		zero := true
		for _, c := range b[:12] {
			zero = zero && c == 0
		}
		if zero && (b[12] != 0 || b[13] != 0) {
			return "::" + netip.AddrFrom4([4]byte(b[12:])).String()
		}
	}
	return a.WithZone("").String()
}

// printfHex formats v as C's printf "%#x" does: "0" for zero, else "0x"
// and lower-case hexadecimal digits.
func printfHex[T unsigned](v T) string {
	return jsonw.PrintfHex(uint64(v))
}

// nameOrIndex returns name, or "ifN" for the index when name is empty, as
// ip names a link it cannot find.
func nameOrIndex(name string, index int32) string {
	if name != "" {
		return name
	}
	return "if" + strconv.FormatUint(uint64(uint32(index)), 10)
}

// writeJSONLink writes "link", the name of a kind's underlying device (or
// "ifN"), when its index is set and not zero.
func writeJSONLink(w *jsonw.Writer, index *int32, name string) {
	if index != nil && *index != 0 {
		w.String("link", nameOrIndex(name, *index))
	}
}

// writeJSONUint writes key with *p as a number when p is not nil.
func writeJSONUint[T unsigned](w *jsonw.Writer, key string, p *T) {
	if p != nil {
		w.Uint(key, uint64(*p))
	}
}

// writeJSONHex writes key with *p in hexadecimal ([printfHex]) when p is
// not nil.
func writeJSONHex[T unsigned](w *jsonw.Writer, key string, p *T) {
	if p != nil {
		w.String(key, printfHex(*p))
	}
}

// writeJSONNonZeroHex writes key with *p in hexadecimal ([printfHex]) when
// p is set and not zero, as ip prints a firewall mark or a flow label.
func writeJSONNonZeroHex[T unsigned](w *jsonw.Writer, key string, p *T) {
	if p != nil && *p != 0 {
		w.String(key, printfHex(*p))
	}
}

// writeJSONBool writes key with *p, true or false, when p is not nil (ip's
// print_on_off, or a setting printed both ways).
func writeJSONBool(w *jsonw.Writer, key string, p *bool) {
	if p != nil {
		w.Bool(key, *p)
	}
}

// writeJSONTrue writes key: true when p is set and true, as ip prints a
// setting only when it is on.
func writeJSONTrue(w *jsonw.Writer, key string, p *bool) {
	if p != nil && *p {
		w.Bool(key, true)
	}
}
