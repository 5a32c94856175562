package rtnl

import (
	"strconv"
	"strings"

	"github.com/nlkit/nlkit/internal/ipproto"
)

// This file reads the names ip prints for DS fields, realms and IP
// protocols back into numbers, from the same tables the JSON is written
// with, so that a command line can take what a listing shows.

// ParseDSField reads a DS field (TOS) value as ip's `tos` and `dsfield`
// take it: a name of Debian's /etc/iproute2/rt_dsfield (such as "AF11" or
// "EF"), or a hexadecimal number of at most 8 bits, with or without "0x"
// (ip reads "10" as 0x10). Anything else is an [*InvalidError].
func ParseDSField(s string) (uint8, error) {
	for v := range 256 {
		if name := dsfieldName(uint8(v)); name == s && !strings.HasPrefix(name, "0x") {
			return uint8(v), nil
		}
	}
	n, err := strconv.ParseUint(strings.TrimPrefix(strings.TrimPrefix(s, "0x"), "0X"), 16, 8)
	if err != nil || s == "" {
		return 0, errInvalid("DS field", strconv.Quote(s))
	}
	return uint8(n), nil
}

// ParseRealms reads route realms as ip's `realms` takes them: a number
// for the raw value (the source realm in the high 16 bits, the
// destination realm in the low ones), "TO", "FROM/TO" or "FROM/", each
// realm a number up to 255 or a name of Debian's /etc/iproute2/rt_realms
// ("cosmos" for 0). Anything else is an [*InvalidError].
func ParseRealms(s string) (uint32, error) {
	if n, err := strconv.ParseUint(s, 0, 32); err == nil {
		return uint32(n), nil
	}
	var realms uint32
	to := s
	if from, rest, ok := strings.Cut(s, "/"); ok {
		v, ok := parseRealm(from)
		if !ok {
			return 0, errInvalid("realms", strconv.Quote(s))
		}
		realms, to = v<<16, rest
	}
	if to != "" {
		v, ok := parseRealm(to)
		if !ok {
			return 0, errInvalid("realms", strconv.Quote(s))
		}
		realms |= v
	}
	return realms, nil
}

// parseRealm reads one realm: its name or a number up to 255, as ip's
// realm table holds them.
func parseRealm(s string) (uint32, bool) {
	if s == realmName(0) {
		return 0, true
	}
	n, err := strconv.ParseUint(s, 0, 8)
	return uint32(n), err == nil
}

// ParseIPProto reads an IP protocol as ip's `ipproto` takes it: a name of
// netbase's /etc/protocols (such as "tcp"), "ipproto-N", or a number of
// at most 8 bits. Anything else is an [*InvalidError].
func ParseIPProto(s string) (uint8, error) {
	if n, err := strconv.ParseUint(s, 0, 8); err == nil {
		return uint8(n), nil
	}
	if p, ok := ipproto.Number(s); ok {
		return p, nil
	}
	if n, ok := strings.CutPrefix(s, "ipproto-"); ok {
		if p, err := strconv.ParseUint(n, 10, 8); err == nil && ipProtoString(uint8(p)) == s {
			return uint8(p), nil
		}
	}
	return 0, errInvalid("IP protocol", strconv.Quote(s))
}
