package rtnl

import (
	"context"
	"fmt"

	"golang.org/x/sys/unix"
)

// fdbMACLen is the length of the MAC address of an FDB entry, the only one
// bridge and the kernel accept (ETH_ALEN).
const fdbMACLen = 6

// maxVNI is the largest vxlan network identifier (24 bits).
const maxVNI = 1<<24 - 1

// AddFDB adds the entry e describes, as `bridge fdb add` does: MAC on the
// device e.LinkIndex, in the bridge's table (Flags with [NeighMaster]) or
// the device's own ([NeighSelf], the default), with State ([FDBPermanent]
// when zero, [FDBStatic], [FDBDynamic]), the other Flags (router,
// extern_learn, sticky, use), VLAN, and for a vxlan device Dst, Port, VNI,
// SrcVNI, ViaIndex or NHID.
//
// Invalid input is rejected with an [*InvalidError] before anything is
// sent: no device, a MAC address that is not 6 bytes long, a VLAN above
// 4094, a VNI above 2^24-1, NHID with Dst, Port or VNI. A missing device
// gives an error matching [ErrNotExist]; an entry that exists already, one
// matching [ErrExist].
func (c *Conn) AddFDB(ctx context.Context, e FDBEntry) error {
	return c.newFDB(ctx, "add", e, nlmNeighAdd)
}

// AppendFDB adds the entry e describes, as `bridge fdb append` does
// (NLM_F_APPEND): on a vxlan device, another remote for the same MAC
// address, such as a further 00:00:00:00:00:00 entry for flooding. See
// [Conn.AddFDB].
func (c *Conn) AppendFDB(ctx context.Context, e FDBEntry) error {
	return c.newFDB(ctx, "append", e, nlmNeighAppend)
}

// ReplaceFDB adds the entry e describes, or changes it if it exists, as
// `bridge fdb replace` does. See [Conn.AddFDB].
func (c *Conn) ReplaceFDB(ctx context.Context, e FDBEntry) error {
	return c.newFDB(ctx, "replace", e, nlmNeighReplace)
}

func (c *Conn) newFDB(ctx context.Context, verb string, e FDBEntry, flags uint16) error {
	var w writer
	if err := w.fdbRequest(&e); err != nil {
		return err
	}
	return c.nl.Execute(ctx, fdbOp(verb, &e), unix.RTM_NEWNEIGH, flags, w.Bytes(), nil)
}

// DeleteFDB deletes the entry e describes, as `bridge fdb del` does: MAC on
// the device e.LinkIndex, in the master's table or the device's own as
// Flags say (without either, the master's when MasterIndex is set, as for
// a bridge's entry [Conn.FDB] lists), with VLAN and, for one remote of a
// vxlan entry, Dst, Port, VNI and ViaIndex. An entry from [Conn.FDB] can be
// passed as it is. A missing entry gives an error matching [ErrNotExist].
func (c *Conn) DeleteFDB(ctx context.Context, e FDBEntry) error {
	var w writer
	if err := w.fdbRequest(&e); err != nil {
		return err
	}
	return c.nl.Execute(ctx, fdbOp("delete", &e), unix.RTM_DELNEIGH, 0, w.Bytes(), nil)
}

// fdbOp names an operation on e for errors.
func fdbOp(verb string, e *FDBEntry) string {
	return fmt.Sprintf("rtnl: %s fdb entry %s on link %d", verb, e.MAC, e.LinkIndex)
}

// validateFDBEntry checks the entry a request describes.
func validateFDBEntry(e *FDBEntry) error {
	switch {
	case e.LinkIndex <= 0:
		return errInvalid("fdb device index", fmt.Sprintf("%d", e.LinkIndex))
	case len(e.MAC) != fdbMACLen:
		return errInvalid("fdb MAC address", fmt.Sprintf("%d bytes, want %d", len(e.MAC), fdbMACLen))
	case e.VLAN > 4094:
		return errInvalid("fdb vlan", fmt.Sprintf("%d: want 0 to 4094", e.VLAN))
	case e.VNI != nil && *e.VNI > maxVNI:
		return errInvalid("fdb vni", fmt.Sprintf("%d: above %d", *e.VNI, maxVNI))
	case e.SrcVNI != nil && *e.SrcVNI > maxVNI:
		return errInvalid("fdb src_vni", fmt.Sprintf("%d: above %d", *e.SrcVNI, maxVNI))
	case e.NHID != 0 && (e.Dst.IsValid() || e.Port != nil || e.VNI != nil):
		return errInvalid("fdb nhid", "dst, port and vni are mutually exclusive with nhid")
	case e.ViaIndex < 0:
		return errInvalid("fdb via index", fmt.Sprintf("%d", e.ViaIndex))
	}
	return nil
}

// fdbRequest builds the payload of an RTM_NEWNEIGH or RTM_DELNEIGH request
// of family AF_BRIDGE for e, with the attributes in the order bridge sends
// them for `bridge fdb add MAC dev DEV [dst IP] [vlan VID] [nhid ID]
// [port PORT] [vni VNI] [src_vni VNI] [via DEV]`.
func (w *writer) fdbRequest(e *FDBEntry) error {
	if err := validateFDBEntry(e); err != nil {
		return err
	}
	flags := e.Flags &^ NeighOffloaded
	switch {
	case flags&(NeighSelf|NeighMaster) != 0:
	case e.MasterIndex != 0:
		flags |= NeighMaster // a bridge's entry, as FDB lists it
	default:
		flags |= NeighSelf
	}
	state := e.State
	if state == NeighNone {
		state = FDBPermanent
	}
	putNdMsg(w, fdbFamily, e.LinkIndex, state, flags)
	w.Raw(unix.NDA_LLADDR, e.MAC)
	putAddr(w, unix.NDA_DST, e.Dst)
	if e.VLAN != 0 {
		w.Uint16(unix.NDA_VLAN, e.VLAN)
	}
	if e.NHID != 0 {
		w.Uint32(ndaNHID, e.NHID)
	}
	if e.Port != nil && *e.Port != 0 {
		w.Port(unix.NDA_PORT, *e.Port)
	}
	putUint32(w, unix.NDA_VNI, e.VNI)
	putUint32(w, unix.NDA_SRC_VNI, e.SrcVNI)
	if e.ViaIndex != 0 {
		w.Uint32(unix.NDA_IFINDEX, uint32(e.ViaIndex))
	}
	return w.Err()
}
