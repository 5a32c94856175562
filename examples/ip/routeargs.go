package main

import (
	"context"
	"net/netip"
	"strconv"
	"strings"

	"golang.org/x/sys/unix"

	"github.com/nlkit/nlkit/rtnl"
)

// routeWrite runs `ip route add|change|replace|append|prepend|del ROUTE`
// with every option of ip 6.1's iproute_modify: the destination (with a
// route type, `to`, and for -M a label), `from`, `src`, `via [FAMILY]`,
// `as [to]`, `dev`, `tos`/`dsfield`, `metric`, `table`, `vrf`,
// `protocol`, `scope`, `realms`, `onlink`, `pref`, `expires`, `nhid`,
// `encap`, `ttl-propagate`, the metrics (see parseRouteMetric) and the
// `nexthop` list of a multipath route.
func (c *command) routeWrite(ctx context.Context, args []string, write func(context.Context, rtnl.Route) error) error {
	r := rtnl.Route{Family: c.opts.family}
	if r.Family == unix.AF_PACKET || r.Family == unix.AF_BRIDGE {
		r.Family = 0
	}
	w := words{list: args}
	dstSet := false
	for w.more() {
		k := w.take()
		var err error
		switch {
		case k == "src":
			r.PrefSrc, err = w.addr()
		case k == "as":
			w.takeIf("to")
			var v string
			if v, err = w.value(); err == nil {
				r.NewLabels, err = parseLabels(v)
			}
		case k == "via":
			err = c.parseVia(&w, &r.Family, &r.Gateway, &r.Via)
		case k == "from":
			var v string
			if v, err = w.value(); err == nil {
				r.Src, err = parsePrefix(v)
			}
		case k == "tos", matches(k, "dsfield"):
			r.TOS, err = w.dsfield("tos")
		case k == "expires":
			r.Expires, err = w.u32("expires")
		case k == "metric", k == "priority", k == "preference":
			r.Metric, err = w.u32("metric")
		case k == "dev", k == "oif":
			var l rtnl.Link
			if l, err = c.linkWord(ctx, &w); err == nil {
				r.LinkIndex = l.Index
			}
		case k == "pref":
			var v string
			if v, err = w.value(); err == nil {
				p, ok := named(v, rtnl.RoutePrefLow, rtnl.RoutePrefMedium, rtnl.RoutePrefHigh)
				if !ok {
					err = invarg("\"pref\" value is invalid\n", v)
				}
				r.Pref = &p
			}
		case matches(k, "realms"):
			r.Realms, err = w.realms()
		case k == "onlink":
			r.Flags |= rtnl.RouteOnLink
		case k == "nexthop":
			r.Nexthops, err = c.parseRouteNexthops(ctx, &w, r.Family)
		case k == "nhid":
			r.NexthopID, err = w.u32("id")
		case matches(k, "protocol"):
			var v string
			if v, err = w.value(); err == nil {
				r.Protocol, err = parseProtocol(v)
			}
		case matches(k, "table"):
			var v string
			if v, err = w.value(); err == nil {
				r.Table, err = parseTable(v)
			}
		case k == "vrf":
			r.Table, err = c.vrfTable(ctx, &w)
		case k == "encap":
			r.Encap, err = c.parseEncap(ctx, &w)
		case k == "ttl-propagate":
			var v string
			if v, err = w.value(); err == nil {
				on := v == "enabled"
				if !on && v != "disabled" {
					err = invarg("\"ttl-propagate\" value is invalid\n", v)
				}
				r.TTLPropagate = &on
			}
		case matches(k, "scope"):
			var v string
			if v, err = w.value(); err == nil {
				r.Scope, err = parseScope(v)
			}
		default:
			var handled bool
			if handled, err = parseRouteMetric(k, &w, &r.Metrics); handled {
				break
			}
			if k == "to" {
				if k, err = w.value(); err != nil {
					break
				}
			}
			if k != "" && (k[0] < '0' || k[0] > '9') {
				if t, terr := parseRouteType(k); terr == nil {
					r.Type = t
					if k, err = w.value(); err != nil {
						break
					}
				}
			}
			if dstSet {
				return duparg2("to", k)
			}
			err = c.routeDst(&r, k)
			dstSet = true
		}
		if err != nil {
			return err
		}
	}
	if !dstSet && r.Family != unix.AF_MPLS {
		return usageErr("Error: argument \"to\" is required.")
	}
	return write(ctx, r)
}

// routeDst reads the destination: a label for an MPLS route, else a
// prefix or "default".
func (c *command) routeDst(r *rtnl.Route, v string) error {
	if r.Family == unix.AF_MPLS {
		n, err := parseCUint(v, 20)
		if err != nil {
			return usageErr("Error: an mpls label is expected rather than \"" + v + "\".")
		}
		r.Label = uint32(n)
		return nil
	}
	p, err := c.routePrefix(v)
	if err != nil {
		return err
	}
	if (v == "default" || v == "all" || v == "any") && r.Family == 0 && c.opts.family == unix.AF_UNSPEC {
		// ip's "default" is of the family the other arguments give, or
		// IPv4: the zero Prefix leaves it open.
		p = netip.Prefix{}
	}
	r.Dst = p
	return nil
}

// parseVia reads `via [inet|inet6|mpls] ADDR`: a gateway of the route's
// family goes in gw, one of another family in via, as ip sends RTA_VIA.
// The first address the route names sets its family.
func (c *command) parseVia(w *words, family *uint8, gw, via *netip.Addr) error {
	if f, ok := familyByName(w.peek()); ok && (f == unix.AF_INET || f == unix.AF_INET6) {
		w.take()
		a, err := w.addr()
		if err != nil {
			return err
		}
		if *family != 0 && *family != f {
			*via = a
		} else {
			*gw = a
		}
		return nil
	}
	a, err := w.addr()
	if err != nil {
		return err
	}
	if *family != 0 && *family != familyOf(a) {
		*via = a
		return nil
	}
	*gw = a
	return nil
}

// vrfTable takes a VRF device's name and returns its table.
func (c *command) vrfTable(ctx context.Context, w *words) (rtnl.Table, error) {
	v, err := w.value()
	if err != nil {
		return 0, err
	}
	return c.vrfTableOf(ctx, v)
}

// vrfTableOf returns the table of the VRF device v.
func (c *command) vrfTableOf(ctx context.Context, v string) (rtnl.Table, error) {
	l, err := c.linkByName(ctx, v)
	if err != nil {
		return 0, err
	}
	if l.Info != nil {
		if vrf, ok := l.Info.Data.(*rtnl.Vrf); ok {
			return rtnl.Table(vrf.Table), nil
		}
	}
	return 0, invarg("Invalid VRF\n", v)
}

// realms takes route realms, FROM/TO or TO.
func (w *words) realms() (uint32, error) {
	v, err := w.value()
	if err != nil {
		return 0, err
	}
	r, err := rtnl.ParseRealms(v)
	if err != nil {
		return 0, invarg("\"realm\" value is invalid\n", v)
	}
	return r, nil
}

// parseRouteNexthops reads the `nexthop NH [nexthop NH …]` list that
// ends a multipath route: ip reads the rest of the line as next hops.
func (c *command) parseRouteNexthops(ctx context.Context, w *words, family uint8) ([]rtnl.RouteNexthop, error) {
	var nhs []rtnl.RouteNexthop
	for {
		nh := rtnl.RouteNexthop{}
		for w.more() && w.peek() != "nexthop" {
			var err error
			switch k := w.take(); k {
			case "via":
				err = c.parseVia(w, &family, &nh.Gateway, &nh.Via)
			case "dev":
				var l rtnl.Link
				if l, err = c.linkWord(ctx, w); err == nil {
					nh.LinkIndex = l.Index
				}
			case "weight":
				var n uint32
				if n, err = w.u32("weight"); err == nil && (n == 0 || n > 256) {
					err = invarg("\"weight\" is invalid\n", strconv.Itoa(int(n)))
				}
				nh.Weight = int(n)
			case "onlink":
				nh.Flags |= rtnl.RouteOnLink
			case "realms":
				nh.Realms, err = w.realms()
			case "encap":
				nh.Encap, err = c.parseEncap(ctx, w)
			case "as":
				w.takeIf("to")
				var v string
				if v, err = w.value(); err == nil {
					nh.NewLabels, err = parseLabels(v)
				}
			default:
				return nil, usageErr("Error: \"nexthop\" or end of line is expected instead of \"" + k + "\"")
			}
			if err != nil {
				return nil, err
			}
		}
		nhs = append(nhs, nh)
		if !w.takeIf("nexthop") {
			return nhs, nil
		}
	}
}

// parseRouteMetric reads one of the route metrics keyword k starts:
// `mtu`, `hoplimit`, `advmss`, `reordering`, `rtt`, `rttvar`, `rto_min`,
// `window`, `cwnd`, `initcwnd`, `initrwnd`, `ssthresh`, `congctl` (each
// may be preceded by `lock`), `features ecn`, `quickack`,
// `fastopen_no_cookie`. It reports false for any other keyword.
func parseRouteMetric(k string, w *words, mp **rtnl.RouteMetrics) (bool, error) {
	m := *mp
	if m == nil {
		m = &rtnl.RouteMetrics{}
	}
	var (
		field *(*uint32)
		bit   int
		scale uint32
	)
	switch {
	case k == "mtu":
		field, bit = &m.MTU, unix.RTAX_MTU
	case k == "hoplimit":
		field, bit = &m.HopLimit, unix.RTAX_HOPLIMIT
	case k == "advmss":
		field, bit = &m.AdvMSS, unix.RTAX_ADVMSS
	case matches(k, "reordering"):
		field, bit = &m.Reordering, unix.RTAX_REORDERING
	case k == "rtt":
		field, bit, scale = &m.RTT, unix.RTAX_RTT, 8
	case matches(k, "rttvar"):
		field, bit, scale = &m.RTTVar, unix.RTAX_RTTVAR, 4
	case k == "rto_min":
		field, bit, scale = &m.RTOMin, unix.RTAX_RTO_MIN, 1
	case matches(k, "window"):
		field, bit = &m.Window, unix.RTAX_WINDOW
	case matches(k, "cwnd"):
		field, bit = &m.CWnd, unix.RTAX_CWND
	case matches(k, "initcwnd"):
		field, bit = &m.InitCWnd, unix.RTAX_INITCWND
	case matches(k, "initrwnd"):
		field, bit = &m.InitRWnd, unix.RTAX_INITRWND
	case matches(k, "ssthresh"):
		field, bit = &m.SSThresh, unix.RTAX_SSTHRESH
	case matches(k, "features"):
		v, err := w.value()
		if err != nil {
			return true, err
		}
		if v != "ecn" {
			return true, invarg("\"features\" value not valid\n", v)
		}
		ecn := uint32(unix.RTAX_FEATURE_ECN)
		m.Features = &ecn
		*mp = m
		return true, nil
	case matches(k, "quickack"), k == "fastopen_no_cookie":
		n, err := w.u32(k)
		if err == nil && n > 1 {
			err = invarg("\""+k+"\" value should be 0 or 1\n", strconv.Itoa(int(n)))
		}
		if k == "fastopen_no_cookie" {
			m.FastOpenNoCookie = &n
		} else {
			m.QuickAck = &n
		}
		*mp = m
		return true, err
	case matches(k, "congctl"):
		if w.takeIf("lock") {
			m.Lock |= 1 << unix.RTAX_CC_ALGO
		}
		v, err := w.value()
		m.CongCtl = v
		*mp = m
		return true, err
	default:
		return false, nil
	}
	if w.takeIf("lock") || k == "rto_min" {
		m.Lock |= 1 << bit
	}
	v, err := w.value()
	if err != nil {
		return true, err
	}
	var n uint64
	if scale != 0 {
		var raw bool
		n, raw, err = parseTimeRTT(v)
		if err == nil && !raw {
			n *= uint64(scale)
		}
	} else {
		n, err = parseCUint(v, 32)
	}
	if err != nil || n > 1<<32-1 || bit == unix.RTAX_HOPLIMIT && n > 255 {
		return true, invarg("\""+k+"\" value is invalid\n", v)
	}
	u := uint32(n)
	*field = &u
	*mp = m
	return true, nil
}

// parseTimeRTT reads a time as ip's get_time_rtt does: a number with the
// suffix s/sec/secs (seconds) or ms/msec/msecs (milliseconds), in
// milliseconds rounded up; without a suffix the number is raw, in the
// kernel's unit.
func parseTimeRTT(v string) (uint64, bool, error) {
	num, unit := v, ""
	for _, suffix := range []string{"msecs", "msec", "ms", "secs", "sec", "s"} {
		if len(v) > len(suffix) && strings.EqualFold(v[len(v)-len(suffix):], suffix) {
			num, unit = v[:len(v)-len(suffix)], strings.ToLower(suffix)
			break
		}
	}
	var f float64
	if strings.Contains(num, ".") {
		var err error
		if f, err = strconv.ParseFloat(num, 64); err != nil || f < 0 {
			return 0, false, strconv.ErrSyntax
		}
	} else {
		n, err := parseCUint(num, 32)
		if err != nil {
			return 0, false, err
		}
		f = float64(n)
	}
	if unit == "" {
		return ceil(f), true, nil
	}
	if unit[0] == 's' {
		f *= 1000
	}
	return ceil(f), false, nil
}

// ceil rounds f up to a whole number, as get_time_rtt does.
func ceil(f float64) uint64 {
	n := uint64(f)
	if float64(n) < f {
		n++
	}
	return n
}
