package main

import (
	"bufio"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/netip"
	"strings"

	"github.com/nlkit/nlkit"
	"github.com/nlkit/nlkit/genl/seg6"
)

// sr runs `ip sr hmac show|set` and `ip sr tunsrc show|set`.
func (c *command) sr(ctx context.Context, args []string) error {
	if len(args) == 0 || matches(args[0], "help") {
		return usageErr("Usage: ip sr { COMMAND | help }\n" +
			"          ip sr hmac show\n" +
			"          ip sr hmac set KEYID ALGO\n" +
			"          ip sr tunsrc show\n" +
			"          ip sr tunsrc set ADDRESS\n" +
			"where  ALGO := { sha1 | sha256 }")
	}
	incomplete := incomplete()
	unknown := func(w string) error { return invarg("unknown", w) }
	obj := args[0]
	isHMAC, isTunsrc := matches(obj, "hmac"), matches(obj, "tunsrc")
	if !isHMAC && !isTunsrc {
		return unknown(obj)
	}
	if len(args) < 2 {
		return incomplete
	}
	cmd, args := args[1], args[2:]
	if !matches(cmd, "show") && !matches(cmd, "set") {
		return unknown(cmd)
	}
	set := matches(cmd, "set") && !matches(cmd, "show")
	var key seg6.HMACKey
	var tunsrc netip.Addr
	switch {
	case set && isHMAC:
		if len(args) < 1 {
			return incomplete
		}
		id, err := parseCUint(args[0], 32)
		if err != nil || id == 0 {
			return invarg("hmac KEYID value is invalid", args[0])
		}
		if len(args) < 2 {
			return incomplete
		}
		key.ID = uint32(id)
		switch args[1] {
		case "sha1":
			key.Algorithm = seg6.SHA1
		case "sha256":
			key.Algorithm = seg6.SHA256
		default:
			return invarg("hmac ALGO value is invalid", args[1])
		}
		// As ip's getpass, with no terminal: the prompt on standard error,
		// the secret the first line of standard input.
		fmt.Fprint(c.stderr, "Enter secret for HMAC key ID (blank to delete): ")
		line, _ := bufio.NewReader(c.stdin).ReadString('\n')
		key.Secret = strings.TrimSuffix(line, "\n")
	case set:
		if len(args) < 1 {
			return incomplete
		}
		a, err := netip.ParseAddr(args[0])
		if err != nil || !a.Is6() {
			return &exitError{"Error: inet6 address is expected rather than \"" + args[0] + "\".", 1}
		}
		tunsrc = a
	}
	gc, err := c.genlConn(ctx)
	if err != nil {
		return err
	}
	defer gc.Close()
	switch {
	case set && isHMAC:
		return srSetError(seg6.SetHMACKey(ctx, gc, key))
	case set:
		return srSetError(seg6.SetTunnelSource(ctx, gc, tunsrc))
	case isTunsrc:
		s, err := seg6.GetTunnelSource(ctx, gc)
		if err != nil {
			return err
		}
		if c.opts.json {
			return c.printList([]json.Marshaler{s})
		}
		fmt.Fprintf(c.stdout, "tunsrc addr %s\n", s.Addr)
		return nil
	}
	keys, err := seg6.HMACKeys(ctx, gc)
	if err != nil {
		if c.opts.json {
			fmt.Fprint(c.stdout, "[") // ip has opened its list when the dump fails
		}
		return dumpError(err, 1)
	}
	if c.opts.json {
		elems := make([]json.Marshaler, len(keys))
		for i, k := range keys {
			elems[i] = k
		}
		return c.printList(elems)
	}
	for _, k := range keys {
		o, err := marshalObject(k)
		if err != nil {
			return err
		}
		fmt.Fprintf(c.stdout, "hmac %s algo %s secret \"%s\"\n", o.num("hmac"), o.str("algo"), o.str("secret"))
	}
	return nil
}

// srSetError is how ip sr reports a set the kernel refused: as any
// kernel error, but with exit status 1.
func srSetError(err error) error {
	var ke *nlkit.Error
	if errors.As(err, &ke) {
		return &exitError{kernelMessage(ke), 1}
	}
	return err
}
