package main

import (
	"context"
	"encoding/json"
	"fmt"
	"strings"

	"github.com/nlkit/nlkit/genl/ila"
)

// ilaUsage is ip ila's usage message.
func ilaUsage() error {
	return usageErr("Usage: ip ila add loc_match LOCATOR_MATCH loc LOCATOR [ dev DEV ] OPTIONS\n" +
		"       ip ila del loc_match LOCATOR_MATCH [ loc LOCATOR ] [ dev DEV ]\n" +
		"       ip ila list\n" +
		"OPTIONS := [ csum-mode { adj-transport | neutral-map |\n" +
		"                         neutral-map-auto | no-action } ]\n" +
		"           [ ident-type { luid | use-format } ]")
}

// ila runs `ip ila add|del|list`.
func (c *command) ila(ctx context.Context, args []string) error {
	if len(args) == 0 || matches(args[0], "help") {
		return ilaUsage()
	}
	gc, err := c.genlConn(ctx)
	if err != nil {
		return err
	}
	defer gc.Close()
	if err := genlFamilyError(genlProbe(ctx, gc, "ila")); err != nil {
		return err
	}
	cmd, args := args[0], args[1:]
	switch {
	case matches(cmd, "add"), matches(cmd, "delete"):
		adding := matches(cmd, "add")
		m, err := c.parseIla(ctx, args, adding)
		if ee, ok := err.(*exitError); ok && ee.code == 1 {
			// ip reports what it could not read and sends the request
			// all the same, with none of the attributes.
			fmt.Fprintln(c.stderr, ee.msg)
			m, err = ila.Mapping{}, nil
		}
		if err != nil {
			return err
		}
		if adding {
			return ila.Add(ctx, gc, m)
		}
		return ila.Delete(ctx, gc, m)
	case matches(cmd, "list"):
		if len(args) > 0 {
			return &exitError{`"ip ila show" does not take any arguments.`, 1}
		}
		ms, err := ila.Mappings(ctx, gc)
		if err != nil {
			return dumpError(err, 1)
		}
		if c.opts.json {
			elems := make([]json.Marshaler, len(ms))
			for i, m := range ms {
				elems[i] = m
			}
			return c.printList(elems)
		}
		for _, m := range ms {
			fmt.Fprint(c.stdout, ilaText(m)+c.lineEnd())
		}
		return nil
	}
	return usageErr("Command \"" + cmd + "\" is unknown, try \"ip ila help\".")
}

// parseIla reads `loc_match MATCH loc LOCATOR [dev DEV] [csum-mode MODE]
// [ident-type TYPE]` as ip does; a bad or missing value is an error of
// exit status 1, which ip reports before it sends the request anyway.
func (c *command) parseIla(ctx context.Context, args []string, adding bool) (ila.Mapping, error) {
	var m ila.Mapping
	var locSet, matchSet bool
	for ; len(args) > 0; args = args[1:] {
		w := args[0]
		isLoc, isMatch, isCsum, isIdent, isDev := matches(w, "loc"), matches(w, "loc_match"), matches(w, "csum-mode"),
			matches(w, "ident-type"), matches(w, "dev")
		if !isLoc && !isMatch && !isCsum && !isIdent && !isDev {
			return m, ilaUsage()
		}
		if len(args) < 2 {
			return m, incomplete()
		}
		args = args[1:]
		v := args[0]
		switch {
		case isLoc, isMatch:
			l, err := ila.ParseLocator(v)
			if err != nil {
				what := "locator"
				if isMatch {
					what = "locator to match"
				}
				return m, &exitError{"Bad " + what + ": " + v, 1}
			}
			if isLoc {
				m.Locator, locSet = l, true
			} else {
				m.LocatorMatch, matchSet = l, true
			}
		case isCsum:
			mode, ok := named(v, ila.CsumAdjustTransport, ila.CsumNeutralMap, ila.CsumNoAction, ila.CsumNeutralMapAuto)
			if !ok {
				return m, &exitError{"Bad csum-mode: " + v, 1}
			}
			m.CsumMode = &mode
		case isIdent:
			t, ok := named(v, ila.IdentLUID, ila.IdentUseFormat)
			if !ok {
				return m, &exitError{"Bad ident-type: " + v, 1}
			}
			m.IdentType = &t
		case isDev:
			l, err := c.conn.LinkByName(ctx, v)
			if err != nil {
				return m, &exitError{"No such interface: " + v, 1}
			}
			m.LinkIndex = &l.Index
		}
	}
	if adding && !locSet {
		return m, &exitError{"ila: missing locator", 1}
	}
	if adding && !matchSet {
		return m, &exitError{"ila: missing locator0match", 1}
	}
	return m, nil
}

// ilaText is a translation's line as ip ila list writes it (the checksum
// mode and the identifier type run together, as in ip 6.1).
func ilaText(m ila.Mapping) string {
	var b strings.Builder
	fmt.Fprintf(&b, "%-20s%-20s", m.LocatorMatch, m.Locator)
	o, _ := marshalObject(m)
	if dev := o.str("interface"); m.LinkIndex != nil {
		fmt.Fprintf(&b, "%-16s", dev)
	} else {
		fmt.Fprintf(&b, "%-10s ", "-")
	}
	if m.CsumMode != nil {
		b.WriteString(m.CsumMode.String())
	} else {
		fmt.Fprintf(&b, "%-10s ", "-")
	}
	if m.IdentType != nil {
		b.WriteString(m.IdentType.String())
	} else {
		b.WriteString("-")
	}
	return b.String()
}
