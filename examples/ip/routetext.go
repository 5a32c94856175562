package main

import (
	"encoding/json"
	"errors"
	"strconv"
	"strings"

	"golang.org/x/sys/unix"

	"github.com/nlkit/nlkit"
	"github.com/nlkit/nlkit/rtnl"
)

// The text of a route's metrics says more than their JSON: which are
// locked, and the times with their units. routeObject puts that text, as
// a JSON string, in place of the "metrics" array of the objects it makes
// for the text forms; routeText writes it as it is.

// metricsText is the text ip writes for a route's metrics, from their
// JSON object and the lock bits: "NAME [lock ]VALUE " for each, in the
// JSON's (RTAX_*) order.
func metricsText(raw json.RawMessage, lock uint32) string {
	var objs []json.RawMessage
	json.Unmarshal(raw, &objs)
	if len(objs) == 0 {
		return ""
	}
	o, err := parseObject(objs[0])
	if err != nil {
		return ""
	}
	var b strings.Builder
	for _, m := range o {
		name, bit := metricTextName(m.key)
		b.WriteString(name + " ")
		if lock&(1<<bit) != 0 {
			b.WriteString("lock ")
		}
		switch m.key {
		case "ecn":
			b.WriteString("ecn ")
		case "rtt", "rttvar", "rto_min":
			ms, _ := strconv.ParseUint(string(m.value), 10, 32)
			if ms >= 1000 {
				b.WriteString(strconv.FormatFloat(float64(ms)/1e3, 'g', 6, 64) + "s ")
			} else {
				b.WriteString(strconv.FormatUint(ms, 10) + "ms ")
			}
		default:
			var s string
			if json.Unmarshal(m.value, &s) != nil {
				s = string(m.value)
			}
			b.WriteString(s + " ")
		}
	}
	return b.String()
}

// metricTextName is the text's name of the metric of a JSON key, and its
// RTAX_* number, whose bit says it is locked.
func metricTextName(key string) (string, int) {
	switch key {
	case "mtu":
		return key, unix.RTAX_MTU
	case "window":
		return key, unix.RTAX_WINDOW
	case "rtt":
		return key, unix.RTAX_RTT
	case "rttvar":
		return key, unix.RTAX_RTTVAR
	case "ssthresh":
		return key, unix.RTAX_SSTHRESH
	case "cwnd":
		return key, unix.RTAX_CWND
	case "advmss":
		return key, unix.RTAX_ADVMSS
	case "reordering":
		return key, unix.RTAX_REORDERING
	case "hoplimit":
		return key, unix.RTAX_HOPLIMIT
	case "initcwnd":
		return key, unix.RTAX_INITCWND
	case "ecn", "features":
		return "features", unix.RTAX_FEATURES
	case "rto_min":
		return key, unix.RTAX_RTO_MIN
	case "initrwnd":
		return key, unix.RTAX_INITRWND
	case "quickack":
		return key, unix.RTAX_QUICKACK
	case "congestion":
		return "congctl", unix.RTAX_CC_ALGO
	case "fastopen_no_cookie":
		return key, unix.RTAX_FASTOPEN_NO_COOKIE
	}
	return key, 0
}

// withMetricsText puts the text of r's metrics in o for the text forms.
func (c *command) withMetricsText(o object, r rtnl.Route) object {
	if c.opts.json || r.Metrics == nil || o.get("metrics") == nil {
		return o
	}
	t, _ := json.Marshal(metricsText(o.get("metrics"), r.Metrics.Lock))
	return o.set("metrics", t)
}

// flowText is the text of a "flow" object: "realm TO " or "realms
// FROM/TO ".
func flowText(o object) string {
	if from := o.str("from"); from != "" {
		return "realms " + from + "/" + o.str("to") + " "
	}
	return "realm " + o.str("to") + " "
}

// terminated is how ip reports a dump the kernel refused, such as one of a
// table that does not exist: the kernel's message, then "Dump terminated"
// (or "Flush terminated"), exit status 2.
func terminated(err error, what string) error {
	var ke *nlkit.Error
	if err == nil || !errors.As(err, &ke) || ke.Message == "" {
		return err
	}
	return &exitError{kernelMessage(ke) + "\n" + what + " terminated", 2}
}
