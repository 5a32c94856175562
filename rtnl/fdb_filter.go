package rtnl

import (
	"fmt"

	"golang.org/x/sys/unix"
)

// An FDBFilter narrows the FDB entries a list returns, as the selectors of
// `bridge fdb show` do. Filters combine: an entry must pass them all. The
// kernel filters by bridge and by device itself; nlkit applies the others
// to what comes back.
type FDBFilter func(*fdbFilter)

type fdbFilter struct {
	bridge  int32
	port    int32
	vlan    uint16
	states  NeighState
	dynamic bool
	invalid error
}

// FilterFDBBridge keeps the entries of the bridge with the given index and
// of its ports (`br BRDEV`). The kernel applies it.
func FilterFDBBridge(index int32) FDBFilter {
	return func(f *fdbFilter) {
		if index <= 0 {
			f.fail(errInvalid("fdb bridge index", fmt.Sprintf("%d", index)))
		}
		f.bridge = index
	}
}

// FilterFDBPort keeps the entries of the device with the given index, a
// bridge port or any other (`brport DEV`, `dev DEV`). The kernel applies
// it. As with bridge, the entries' JSON then has no "ifname".
func FilterFDBPort(index int32) FDBFilter {
	return func(f *fdbFilter) {
		if index <= 0 {
			f.fail(errInvalid("fdb device index", fmt.Sprintf("%d", index)))
		}
		f.port = index
	}
}

// FilterFDBVLAN keeps the entries of one VLAN (`vlan VID`).
func FilterFDBVLAN(vid uint16) FDBFilter {
	return func(f *fdbFilter) {
		if vid == 0 || vid >= 4095 {
			f.fail(errInvalid("fdb vlan", fmt.Sprintf("%d: want 1 to 4094", vid)))
		}
		f.vlan = vid
	}
}

// FilterFDBState keeps the entries with one of the state bits (`state
// STATE`, once per state): [NeighPermanent] for `permanent`, [NeighNoARP]
// for `static`, [NeighStale] for `stale`, [NeighReachable] for `dynamic`.
func FilterFDBState(states NeighState) FDBFilter {
	return func(f *fdbFilter) { f.states |= states }
}

// FilterFDBDynamic leaves out the permanent entries (`dynamic`).
func FilterFDBDynamic() FDBFilter {
	return func(f *fdbFilter) { f.dynamic = true }
}

func (f *fdbFilter) fail(err error) {
	if f.invalid == nil {
		f.invalid = err
	}
}

func newFDBFilter(filters []FDBFilter) (fdbFilter, error) {
	var f fdbFilter
	for _, fn := range filters {
		fn(&f)
	}
	return f, f.invalid
}

// dumpRequest returns the payload of the RTM_GETNEIGH dump of family
// AF_BRIDGE, as bridge sends it to a kernel with strict checking: an ndmsg
// with the device's index, and NDA_MASTER with the bridge's.
func (f *fdbFilter) dumpRequest() []byte {
	var w writer
	putNdMsg(&w, fdbFamily, f.port, 0, 0)
	if f.bridge != 0 {
		w.Uint32(unix.NDA_MASTER, uint32(f.bridge))
	}
	return w.Bytes()
}

// match reports whether e passes the filter, as bridge's print_fdb
// decides.
func (f *fdbFilter) match(e *FDBEntry) bool {
	switch {
	case f.port != 0 && e.LinkIndex != f.port:
		return false
	case f.states != 0 && e.State&f.states == 0:
		return false
	case f.vlan != 0 && e.VLAN != f.vlan:
		return false
	case f.dynamic && e.State&NeighPermanent != 0:
		return false
	}
	return true
}
