package rtnl

import (
	"golang.org/x/sys/unix"

	"github.com/nlkit/nlkit/internal/jsonw"
)

// NexthopFlags are the flags of a nexthop (RTNH_F_*, and the RTM_F_* bits
// ip prints with them).
type NexthopFlags uint32

// Nexthop flags, in the order ip prints them.
const (
	NexthopDead            NexthopFlags = unix.RTNH_F_DEAD          // dead
	NexthopOnlink          NexthopFlags = unix.RTNH_F_ONLINK        // onlink: the gateway is on the link
	NexthopPervasive       NexthopFlags = unix.RTNH_F_PERVASIVE     // pervasive
	NexthopOffload         NexthopFlags = unix.RTNH_F_OFFLOAD       // offload
	NexthopTrap            NexthopFlags = unix.RTNH_F_TRAP          // trap
	NexthopNotify          NexthopFlags = unix.RTM_F_NOTIFY         // notify
	NexthopLinkDown        NexthopFlags = unix.RTNH_F_LINKDOWN      // linkdown
	NexthopUnresolved      NexthopFlags = unix.RTNH_F_UNRESOLVED    // unresolved
	NexthopRTOffload       NexthopFlags = unix.RTM_F_OFFLOAD        // rt_offload
	NexthopRTTrap          NexthopFlags = unix.RTM_F_TRAP           // rt_trap
	NexthopRTOffloadFailed NexthopFlags = unix.RTM_F_OFFLOAD_FAILED // rt_offload_failed
)

// writeNexthopFlags writes the "flags" array ip prints for routes and
// nexthops: the names of the flags it knows, in its order, unknown bits
// left out; an empty array for none.
func writeNexthopFlags(w *jsonw.Writer, f NexthopFlags) {
	w.OpenArray("flags")
	for _, n := range [...]struct {
		flag NexthopFlags
		name string
	}{
		{NexthopDead, "dead"},
		{NexthopOnlink, "onlink"},
		{NexthopPervasive, "pervasive"},
		{NexthopOffload, "offload"},
		{NexthopTrap, "trap"},
		{NexthopNotify, "notify"},
		{NexthopLinkDown, "linkdown"},
		{NexthopUnresolved, "unresolved"},
		{NexthopRTOffload, "rt_offload"},
		{NexthopRTTrap, "rt_trap"},
		{NexthopRTOffloadFailed, "rt_offload_failed"},
	} {
		if f&n.flag != 0 {
			w.String("", n.name)
		}
	}
	w.CloseArray()
}
