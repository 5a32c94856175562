package main

import (
	"context"
	"encoding/json"
	"fmt"
	"net/netip"
	"strings"

	"golang.org/x/sys/unix"

	"github.com/nlkit/nlkit/genl/tcpmetrics"
)

// tcpmetrics runs `ip tcp_metrics show|delete|flush`.
func (c *command) tcpmetrics(ctx context.Context, args []string) error {
	cmd := "list"
	if len(args) > 0 {
		switch w := args[0]; {
		case matches(w, "list"), matches(w, "lst"), matches(w, "show"):
		case matches(w, "delete"), matches(w, "remove"):
			cmd = "delete"
		case matches(w, "flush"):
			cmd = "flush"
		case matches(w, "help"):
			return tcpmetricsUsage()
		default:
			return &exitError{"Command \"" + w + "\" is unknown, try \"ip tcp_metrics help\".", 255}
		}
		args = args[1:]
	}
	f, exactDst, exactSrc, err := c.tcpmetricsSelector(args, cmd == "delete")
	if err != nil {
		return err
	}
	if cmd == "delete" && !exactDst {
		return missarg("address")
	}
	if cmd == "flush" && exactDst {
		cmd = "delete"
	}
	gc, err := c.genlConn(ctx)
	if err != nil {
		return err
	}
	defer gc.Close()
	src := netip.Addr{}
	if exactSrc {
		src = f.Src
	}
	switch {
	case cmd == "delete":
		return tcpmetrics.Delete(ctx, gc, f.Dst.Addr(), src)
	case cmd == "flush":
		if f.Dst.Bits() <= 0 && !f.Src.IsValid() && f.Family == unix.AF_UNSPEC {
			// ip flushes every entry for a prefix of length 0 too.
			f = tcpmetrics.Filter{}
		}
		n, err := tcpmetrics.Flush(ctx, gc, f)
		if err == nil && n == 0 && f != (tcpmetrics.Filter{}) {
			fmt.Fprintln(c.stderr, "Nothing to flush.")
		}
		return err
	case exactDst:
		// ip prints the one entry as text, even with -j.
		e, err := tcpmetrics.Get(ctx, gc, f.Dst.Addr(), src)
		if err != nil {
			return err
		}
		fmt.Fprint(c.stdout, tcpmetricsText(&e))
		return nil
	}
	entries, err := tcpmetrics.Entries(ctx, gc, f)
	if err != nil {
		return err
	}
	if !c.opts.json {
		for i := range entries {
			fmt.Fprint(c.stdout, tcpmetricsText(&entries[i]))
		}
		return nil
	}
	elems := make([]json.Marshaler, len(entries))
	for i, e := range entries {
		elems[i] = e
	}
	return c.printList(elems)
}

// tcpmetricsUsage is ip tcp_metrics' usage message.
func tcpmetricsUsage() error {
	return usageErr("Usage:\tip tcp_metrics/tcpmetrics { COMMAND | help }\n" +
		"\tip tcp_metrics { show | flush } SELECTOR\n" +
		"\tip tcp_metrics delete [ address ] ADDRESS\n" +
		"SELECTOR := [ [ address ] PREFIX ]")
}

// tcpmetricsSelector reads `[[address|addr] PREFIX] [src|source
// ADDRESS]`, as ip does: exactDst and exactSrc say whether the prefixes
// are single addresses. Like ip 6.1, it skips the word after each
// selector, so that only the first is read.
func (c *command) tcpmetricsSelector(args []string, del bool) (f tcpmetrics.Filter, exactDst, exactSrc bool, err error) {
	switch c.opts.family {
	case unix.AF_UNSPEC, unix.AF_INET, unix.AF_INET6:
		f.Family = int(c.opts.family)
	default:
		return f, false, false, &exitError{fmt.Sprintf("Unsupported protocol family: %d", c.opts.family), 1}
	}
	var haveDst, haveSrc bool
	for ; len(args) > 0; args = args[min(2, len(args)):] {
		who, srcWord := args[0], args[0] == "src" || args[0] == "source"
		if srcWord || who == "addr" || who == "address" {
			if len(args) < 2 {
				return f, false, false, incomplete()
			}
			args = args[1:]
		} else {
			who = "address"
		}
		v := args[0]
		if matches(v, "help") {
			return f, false, false, tcpmetricsUsage()
		}
		if (srcWord && haveSrc) || (!srcWord && haveDst) {
			return f, false, false, duparg2(who, v)
		}
		p, err := c.parseAnyPrefix(v)
		if err != nil {
			return f, false, false, err
		}
		exact := p.Bits() == p.Addr().BitLen()
		specific := &exitError{"Error: a specific IP address is expected rather than \"" + v + "\"", 1}
		if srcWord {
			if !exact {
				return f, false, false, specific
			}
			f.Src, haveSrc, exactSrc = p.Addr(), true, true
			continue
		}
		if del && !exact {
			return f, false, false, specific
		}
		f.Dst, haveDst, exactDst = p, true, exact
	}
	return f, exactDst, exactSrc, nil
}

// tcpmetricsText is an entry's line as ip tcp_metrics show writes it.
func tcpmetricsText(e *tcpmetrics.Entry) string {
	var b strings.Builder
	b.WriteString(e.Dst.String())
	if e.AgeMillis != nil {
		fmt.Fprintf(&b, " age %.03fsec", float64(*e.AgeMillis)/1000)
	}
	if e.TWTSStamp != nil {
		var tsval uint32
		if e.TWTSVal != nil {
			tsval = *e.TWTSVal
		}
		fmt.Fprintf(&b, " tw_ts %d/%d ago", tsval, *e.TWTSStamp)
	}
	for _, m := range []struct {
		name string
		v    *uint32
	}{{"ssthresh", e.SSThresh}, {"cwnd", e.Cwnd}, {"reordering", e.Reordering}} {
		if m.v != nil {
			fmt.Fprintf(&b, " %s %d", m.name, *m.v)
		}
	}
	if rtt := e.RTTMicros(); rtt != 0 {
		fmt.Fprintf(&b, " rtt %dus", rtt)
	}
	if rttvar := e.RTTVarMicros(); rttvar != 0 {
		fmt.Fprintf(&b, " rttvar %dus", rttvar)
	}
	if e.FastOpenMSS != nil {
		fmt.Fprintf(&b, " fo_mss %d", *e.FastOpenMSS)
	}
	if e.FastOpenSynDrops != nil {
		var ts uint64
		if e.FastOpenSynDropTS != nil {
			ts = *e.FastOpenSynDropTS
		}
		fmt.Fprintf(&b, " fo_syn_drops %d/%.03fusec ago", *e.FastOpenSynDrops, float64(ts)/1e6)
	}
	if e.FastOpenCookie != nil {
		fmt.Fprintf(&b, " fo_cookie %x", e.FastOpenCookie[:min(len(e.FastOpenCookie), 16)])
	}
	if e.Src.IsValid() {
		b.WriteString(" source " + e.Src.String())
	}
	return b.String() + "\n"
}
