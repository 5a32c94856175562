// Package xfrm manages IPsec security associations (states, the SAD) and
// security policies (the SPD) over NETLINK_XFRM, as `ip xfrm state` and
// `ip xfrm policy` do.
//
// A [Conn] is bound to one network namespace ([Dial] with [WithNetNS] or
// [WithNetNSPath]); the package-level functions use a connection to the
// calling thread's namespace. Every call takes a context.
//
// States ([State]) are added, updated, deleted, read, listed (with
// [StateFilter]s; the protocol and address filters run in the kernel),
// flushed and counted ([Conn.SADInfo]); [Conn.AllocSPI] asks the kernel for
// an SPI. Algorithms ([Algorithm]) are named as the kernel knows them
// (cbc(aes), hmac(sha256), rfc4106(gcm(aes)) …) or by the short names ip
// accepts (aes, sha256 …); keys whose length does not fit a known
// algorithm are rejected before sending with an [*InvalidError].
//
// Policies ([Policy], with [Template]s) are added, updated, deleted, read
// by selector and direction or by index ([PolicyID]), listed, flushed and
// counted ([Conn.SPDInfo]), and the SPD hash thresholds set
// ([Conn.SetSPDHashThresholds]); the default policies of traffic no policy
// matches are read and set ([Conn.DefaultPolicies],
// [Conn.SetDefaultPolicies]).
//
// [Conn.DeleteAllStates] and [Conn.DeleteAllPolicies] delete what matches
// ip's deleteall selectors. Security contexts are written and read on
// states and policies; a kernel without a security module that labels
// IPsec accepts them and drops them.
//
// [Conn.GetAEvent] reads a state's replay and lifetime counters and the
// thresholds of its async events; [Conn.SetAEvent] sets them.
//
// [Conn.Monitor] streams typed events: acquires, soft and hard expires of
// states and policies, new, updated and deleted states and policies,
// flushes, reports, NAT-T mappings and async events.
//
// Errors are *nlkit.Error values carrying the kernel's extended-ack
// message; test them with errors.Is and [ErrNotExist], [ErrExist],
// [ErrNotSupported] (a protocol the kernel lacks: it says "Requested type
// not found", EPROTONOSUPPORT; or an algorithm it lacks: ENOSYS) or an
// errno.
//
// # Text
//
// [State.Text], [Policy.Text] and [Event.Text] print what iproute2 6.1's
// `ip xfrm state show`, `ip xfrm policy show` and `ip xfrm monitor` print
// for the same object, byte for byte, with [TextOptions] for ip's -s and
// nokeys; [SADInfo.Text], [SPDInfo.Text] and [DefaultPolicies.Text] print
// the counts and the default policies as ip does.
//
// # JSON
//
// iproute2 prints no JSON for xfrm. State and Policy marshal to the form
// nlkit proposes (snake_case keys, addresses as strings, SPIs and marks as
// "0x…" strings, flags as arrays of names, enums as names, XFRM_INF as the
// largest uint64), with a key for every field `ip -s xfrm state show` and
// `ip -s xfrm policy show` print:
//
//	{"src":"10.0.0.1","dst":"10.0.0.2","family":"inet","proto":"esp",
//	 "spi":"0x1","reqid":0,"mode":"tunnel","replay_window":0,"seq":0,
//	 "flags":[],"auth_trunc":{"name":"hmac(sha256)","key":"0x…",
//	 "key_len":256,"trunc_len":96},"enc":{"name":"cbc(aes)","key":"0x…",
//	 "key_len":256},"replay":{"seq":0,"oseq":0,"bitmap":"0"},
//	 "sel":{"src":"0.0.0.0/0","dst":"0.0.0.0/0","user":0},
//	 "lifetime_config":{…},"lifetime_current":{…},"stats":{…}}
//
// An [AEvent] marshals to src, dst, family, proto, spi, reqid, flags,
// mark and mark_mask, if_id, replay or replay_esn, lifetime_current,
// replay_thresh and etimer_thresh. [SADInfo] marshals to
// {"count":N,"buckets":{"count":X,"max":Y}}, [SPDInfo] to its in, out,
// fwd and socket counts, buckets and the IPv4 and IPv6 hash thresholds,
// and [DefaultPolicies] to {"in":"accept","fwd":"block","out":"accept"}.
//
// A policy's selector members come first, at the top level, then dir,
// action, index, priority, ptype, share, flags, the lifetimes, mark and
// mark_mask, tmpl (an array of templates, each with its level: "required",
// "use" or, for a level ip has no name for, a number) and if_id.
//
// Devices (a selector's dev, an offload's dev) print by name, as ip xfrm
// names them, or as "ifN" for an index with no name. The messages carry
// indexes: the lists, gets and monitor of a Conn name them in the Conn's
// namespace (LinkName beside LinkIndex), and writes take either, looking a
// name up before anything is sent (a missing device matches ErrNotExist).
package xfrm
