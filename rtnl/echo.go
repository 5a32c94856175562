package rtnl

import "github.com/nlkit/nlkit/internal/nlconn"

// WithEcho makes the connection ask the kernel, with each change it makes
// (adding, changing or removing links, addresses, routes, neighbours,
// rules, nexthop objects…), for the object as the kernel made or removed
// it, as `ip -echo` does (NLM_F_ECHO). fn is called with it as an Event
// ([EventNew] for an object made or changed, [EventDelete] for one
// removed), on the calling goroutine, before the call that made the change
// returns; like a notification's, its object names no links. The kernel
// sends back some changes only (not a link's settings changed by
// [Conn.SetLink], for one); a message that does not decode is not passed
// on. Changes sent in a [Batch] are not echoed.
func WithEcho(fn func(Event)) Option {
	return func(o *options) {
		o.Echo = func(m nlconn.Message) {
			if ev, ok, err := decodeEvent(m); ok && err == nil {
				fn(ev)
			}
		}
	}
}
