package main

import (
	"context"
	"fmt"
	"net/netip"
)

// token runs `ip token list|get|set|del`.
func (c *command) token(ctx context.Context, args []string) error {
	if len(args) == 0 {
		return c.tokenList(ctx, nil)
	}
	switch cmd := args[0]; {
	case matches(cmd, "list"), matches(cmd, "lst"), matches(cmd, "show"), matches(cmd, "get"):
		return c.tokenList(ctx, args[1:])
	case matches(cmd, "set"), matches(cmd, "add"):
		return c.tokenSet(ctx, args[1:], false)
	case matches(cmd, "delete"):
		return c.tokenSet(ctx, args[1:], true)
	case matches(cmd, "help"):
		return tokenUsage()
	default:
		return unknownCommand(cmd, "token")
	}
}

// tokenDev reads the device of `dev DEV` as ip token does.
func (c *command) tokenDev(ctx context.Context, name string) (int32, error) {
	l, err := c.conn.LinkByName(ctx, name)
	if err != nil {
		return 0, invarg("dev is invalid\n", name)
	}
	return l.Index, nil
}

// tokenList runs `ip token list|get [dev DEV]`: like ip, it skips the
// words before dev and ignores those after it.
func (c *command) tokenList(ctx context.Context, args []string) error {
	var index int32
	for ; len(args) > 0; args = args[1:] {
		if args[0] != "dev" {
			continue
		}
		if len(args) < 2 {
			return incomplete()
		}
		var err error
		if index, err = c.tokenDev(ctx, args[1]); err != nil {
			return err
		}
		break
	}
	tokens, err := c.conn.Tokens(ctx)
	if err != nil {
		return err
	}
	var objs []object
	for _, t := range tokens {
		if index != 0 && t.LinkIndex != index {
			continue
		}
		o, err := marshalObject(t)
		if err != nil {
			return err
		}
		objs = append(objs, o)
	}
	return c.printObjects(objs, func(o object) {
		fmt.Fprintf(c.stdout, "token %s dev %s\n", o.str("token"), o.str("ifname"))
	})
}

// tokenSet runs `ip token set TOKEN dev DEV` and `ip token del dev DEV`
// (which sets "::"): like ip, it takes the first token and device given.
func (c *command) tokenSet(ctx context.Context, args []string, del bool) error {
	var index int32
	token := netip.IPv6Unspecified()
	haveToken := del
	for ; len(args) > 0; args = args[1:] {
		switch {
		case args[0] == "dev":
			if len(args) < 2 {
				return incomplete()
			}
			args = args[1:]
			if index == 0 {
				var err error
				if index, err = c.tokenDev(ctx, args[0]); err != nil {
					return err
				}
			}
		case matches(args[0], "help"):
			return tokenUsage()
		case !haveToken:
			p, err := parsePrefix(args[0])
			if err != nil || !p.Addr().Is6() {
				return &exitError{"Error: inet6 prefix is expected rather than \"" + args[0] + "\".", 1}
			}
			token, haveToken = p.Addr(), true
		}
	}
	if !haveToken {
		return &exitError{"Not enough information: token is required.", 1}
	}
	if index == 0 {
		return &exitError{`Not enough information: "dev" argument is required.`, 1}
	}
	return c.conn.SetToken(ctx, index, token)
}

// tokenUsage is ip token's usage message.
func tokenUsage() error {
	return usageErr("Usage: ip token [ list | set | del | get ] [ TOKEN ] [ dev DEV ]")
}
