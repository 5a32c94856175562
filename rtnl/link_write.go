package rtnl

import (
	"context"
	"fmt"
	"net"
	"strings"

	"github.com/josharian/native"
	"golang.org/x/sys/unix"

	"github.com/nlkit/nlkit/attrs"
)

// A writer builds one request: the attribute encoder, and the file
// descriptors opened for it (namespaces given by path), which are closed
// once the request has been sent.
type writer struct {
	attrs.Encoder
	fds []int
}

// netns appends the attribute that names ns (IFLA_NET_NS_FD or
// IFLA_NET_NS_PID), opening a namespace given by path.
func (w *writer) netns(ns NetNS) error {
	switch ns.kind {
	case netnsFD:
		w.Uint32(unix.IFLA_NET_NS_FD, uint32(ns.fd))
	case netnsPID:
		w.Uint32(unix.IFLA_NET_NS_PID, uint32(ns.pid))
	case netnsPath:
		fd, err := unix.Open(ns.path, unix.O_RDONLY|unix.O_CLOEXEC, 0)
		if err != nil {
			return fmt.Errorf("open network namespace %s: %w", ns.path, err)
		}
		w.fds = append(w.fds, fd)
		w.Uint32(unix.IFLA_NET_NS_FD, uint32(fd))
	}
	return nil
}

// close closes the descriptors the request opened.
func (w *writer) close() {
	for _, fd := range w.fds {
		unix.Close(fd)
	}
	w.fds = nil
}

func errKindMismatch(kind string, data LinkData) error {
	return errInvalid("link info", fmt.Sprintf("kind %q with %T data, which is for kind %q", kind, data, data.LinkKind()))
}

// ValidateLinkName reports whether name can name a link: 1 to 15 bytes, no
// '/', ':' or white space, and neither "." nor "..", as the kernel requires.
func ValidateLinkName(name string) error {
	return validateName("link name", name, unix.IFNAMSIZ-1)
}

// ValidateAltName reports whether name can be an alternative name of a
// link: the rules of [ValidateLinkName], up to 127 bytes.
func ValidateAltName(name string) error {
	return validateName("alternative name", name, maxAltNameLen)
}

func validateName(what, name string, maxLen int) error {
	switch {
	case name == "":
		return errInvalid(what, "empty")
	case len(name) > maxLen:
		return errInvalid(what, fmt.Sprintf("%q is %d bytes, longer than %d", name, len(name), maxLen))
	case name == "." || name == "..":
		return errInvalid(what, fmt.Sprintf("%q", name))
	case strings.ContainsAny(name, "/: \t\n\v\f\r"):
		return errInvalid(what, fmt.Sprintf("%q contains '/', ':' or white space", name))
	}
	return nil
}

// validateNewLink checks the link a create request describes. An empty name
// is allowed where the kernel picks one (a veth peer).
func validateNewLink(l *Link, nameOptional bool) error {
	if l.Name != "" || !nameOptional {
		if err := ValidateLinkName(l.Name); err != nil {
			return err
		}
	}
	if l.Index < 0 {
		return errInvalid("link index", fmt.Sprintf("%d", l.Index))
	}
	if l.Alias != "" {
		// The kernel ignores IFLA_IFALIAS when it creates a link.
		return errInvalid("link alias", "the kernel sets no alias on a new link: set it with SetLink once the link exists")
	}
	if l.MTU != 0 && l.MinMTU != nil && l.MTU < *l.MinMTU {
		return errInvalid("MTU", fmt.Sprintf("%d is below the minimum %d", l.MTU, *l.MinMTU))
	}
	return nil
}

// encodeLinkAttrs appends the attributes of l that a create request
// carries, IFLA_LINKINFO last.
func encodeLinkAttrs(w *writer, l *Link) error {
	if l.ParentIndex != nil && *l.ParentIndex != 0 {
		w.Int32(unix.IFLA_LINK, *l.ParentIndex)
	}
	if l.Name != "" {
		w.String(unix.IFLA_IFNAME, l.Name)
	}
	putInt32(w, unix.IFLA_LINK_NETNSID, l.LinkNetNSID)
	if l.TxQueueLen != 0 {
		w.Uint32(unix.IFLA_TXQLEN, l.TxQueueLen)
	}
	if l.MTU != 0 {
		w.Uint32(unix.IFLA_MTU, l.MTU)
	}
	if l.Address != nil {
		w.HardwareAddr(unix.IFLA_ADDRESS, l.Address)
	}
	if l.Broadcast != nil {
		w.HardwareAddr(unix.IFLA_BROADCAST, l.Broadcast)
	}
	if l.Group != 0 {
		w.Uint32(unix.IFLA_GROUP, l.Group)
	}
	if l.MasterIndex != 0 {
		w.Int32(unix.IFLA_MASTER, l.MasterIndex)
	}
	putUint32(w, unix.IFLA_NUM_TX_QUEUES, l.NumTxQueues)
	putUint32(w, unix.IFLA_NUM_RX_QUEUES, l.NumRxQueues)
	putUint32(w, unix.IFLA_GSO_MAX_SIZE, l.GSOMaxSize)
	putUint32(w, unix.IFLA_GSO_MAX_SEGS, l.GSOMaxSegs)
	putUint32(w, unix.IFLA_GRO_MAX_SIZE, l.GROMaxSize)
	if l.AddrGenMode != nil {
		encodeAddrGenMode(w, *l.AddrGenMode)
	}
	if l.Info != nil {
		return l.Info.encode(w)
	}
	return nil
}

func encodeAddrGenMode(w *writer, mode AddrGenMode) {
	spec := w.Nest(unix.IFLA_AF_SPEC)
	in6 := w.Nest(unix.AF_INET6)
	w.Uint8(unix.IFLA_INET6_ADDR_GEN_MODE, uint8(mode))
	w.End(in6)
	w.End(spec)
}

// peer appends the nested attribute typ describing the peer a pair of
// links is created with (a veth's or a netkit's other end): an ifinfomsg,
// the namespace to create it in, and its attributes.
func (w *writer) peer(typ uint16, what string, peer *Link, ns NetNS) error {
	if err := validateNewLink(peer, true); err != nil {
		return err
	}
	n := w.Nest(typ)
	putIfInfoMsg(w, unix.AF_UNSPEC, 0, peer.Flags&unix.IFF_UP, peer.Flags&unix.IFF_UP)
	if err := w.netns(ns); err != nil {
		return fmt.Errorf("%s: %w", what, err)
	}
	if err := encodeLinkAttrs(w, peer); err != nil {
		return err
	}
	w.End(n)
	return nil
}

// putIfInfoMsg appends a struct ifinfomsg.
func putIfInfoMsg(w *writer, family uint8, index int32, flags, change LinkFlags) {
	var hdr [ifInfoMsgLen]byte
	hdr[0] = family
	native.Endian.PutUint32(hdr[4:], uint32(index))
	native.Endian.PutUint32(hdr[8:], uint32(flags))
	native.Endian.PutUint32(hdr[12:], uint32(change))
	w.Append(hdr[:])
}

// An AddOption changes how [Conn.AddLink] creates a link.
type AddOption func(*addOptions)

type addOptions struct {
	netns NetNS
}

// InNetNS creates the link directly in another network namespace, as
// `ip link add … netns NS` does.
func InNetNS(ns NetNS) AddOption {
	return func(o *addOptions) { o.netns = ns }
}

// AddLink creates the link l describes, as `ip link add` does: its Name,
// Info (the kind and its settings, such as &Vxlan{…}), ParentIndex (the
// lower device, `link DEV`), and any of MTU, TxQueueLen, Address,
// Broadcast, Group, MasterIndex, NumTxQueues, NumRxQueues, GSO and GRO
// limits and AddrGenMode. Flags may hold IFF_UP to create it up. An Alias
// is refused: the kernel would ignore it; set it with [Conn.SetLink].
//
// Invalid input (a bad name, a kind and data that disagree) is rejected
// before anything is sent. An existing name gives an error matching
// [ErrExist]; a kind this kernel lacks, one matching [ErrNotSupported]
// ("Unknown device type").
func (c *Conn) AddLink(ctx context.Context, l Link, opts ...AddOption) error {
	var o addOptions
	for _, opt := range opts {
		opt(&o)
	}
	var w writer
	defer w.close()
	if err := w.addLink(&l, o); err != nil {
		return err
	}
	return c.nl.Execute(ctx, "rtnl: add link "+l.Name, unix.RTM_NEWLINK,
		unix.NLM_F_CREATE|unix.NLM_F_EXCL, w.Bytes(), nil)
}

// addLink builds the payload of an RTM_NEWLINK request creating l.
func (w *writer) addLink(l *Link, o addOptions) error {
	if err := validateNewLink(l, false); err != nil {
		return err
	}
	if l.Info == nil || (l.Info.Kind == "" && l.Info.Data == nil) {
		return errInvalid("link "+l.Name, "no kind: set Info.Kind or Info.Data")
	}
	if l.Info.SlaveData != nil {
		// The kernel ignores port settings when it creates a link.
		return errInvalid("link "+l.Name, "port settings (Info.SlaveData) are not applied on create: set them with SetLink once the link has its master")
	}
	if l.Info.Kind == "" {
		info := *l.Info
		info.Kind = info.Data.LinkKind()
		l.Info = &info
	}
	putIfInfoMsg(w, unix.AF_UNSPEC, 0, l.Flags&unix.IFF_UP, l.Flags&unix.IFF_UP)
	if err := w.netns(o.netns); err != nil {
		return fmt.Errorf("rtnl: add link %s: %w", l.Name, err)
	}
	if err := encodeLinkAttrs(w, l); err != nil {
		return fmt.Errorf("rtnl: add link %s: %w", l.Name, err)
	}
	if err := w.Err(); err != nil {
		return fmt.Errorf("rtnl: add link %s: %w", l.Name, err)
	}
	return nil
}

// LinkChange lists the changes [Conn.SetLink] makes to a link, as the
// arguments of `ip link set dev DEV …` do. Nil fields are left as they are.
type LinkChange struct {
	// Up brings the link up (true) or down (false).
	Up *bool
	// ARP, Multicast, Promisc and Allmulti turn the flags on or off;
	// ARP false sets NOARP.
	ARP, Multicast, Promisc, Allmulti *bool
	// Name renames the link. Kernels before 6.2 refuse (EBUSY) to rename
	// a link that is up, even in the request that brings it down: bring it
	// down with one SetLink, then rename it with another.
	Name *string
	// MTU, TxQueueLen and Group set those values.
	MTU, TxQueueLen, Group *uint32
	// Address and Broadcast set the link-layer addresses.
	Address, Broadcast net.HardwareAddr
	// MasterIndex enslaves the link to a master; 0 releases it (nomaster).
	MasterIndex *int32
	// NetNS moves the link to another network namespace.
	NetNS NetNS
	// Alias sets the alias; "" removes it.
	Alias *string
	// AddrGenMode sets the IPv6 address generation mode.
	AddrGenMode *AddrGenMode
	// GSOMaxSize, GSOMaxSegs and GROMaxSize set the offload limits.
	GSOMaxSize, GSOMaxSegs, GROMaxSize *uint32
	// Info changes kind-specific settings: Data for the link's kind
	// (`type bridge …`), SlaveData for its port settings
	// (`type bridge_slave …`).
	Info *LinkInfo
	// ProtoDown holds the link down for a protocol (`protodown on|off`);
	// only some kinds (vxlan, macvlan, some drivers) allow it.
	ProtoDown *bool
	// ProtoDownReason sets or clears one protodown reason bit
	// (`protodown_reason`).
	ProtoDownReason *ProtoDownReasonChange
	// XDPDetach removes the XDP program attached in the mode (`xdp off`,
	// `xdpgeneric off`, …).
	XDPDetach *XDPMode
	// VF changes an SR-IOV virtual function (`vf N …`).
	VF *VFChange
}

// flags returns the ifinfomsg flags and change mask of ch.
func (ch *LinkChange) flags() (flags, change LinkFlags) {
	set := func(p *bool, f LinkFlags, on bool) {
		if p == nil {
			return
		}
		change |= f
		if *p == on {
			flags |= f
		}
	}
	set(ch.Up, unix.IFF_UP, true)
	set(ch.ARP, unix.IFF_NOARP, false)
	set(ch.Multicast, unix.IFF_MULTICAST, true)
	set(ch.Promisc, unix.IFF_PROMISC, true)
	set(ch.Allmulti, unix.IFF_ALLMULTI, true)
	return flags, change
}

// SetLink changes the link with the given index, as `ip link set` does. A
// missing link gives an error matching [ErrNotExist].
func (c *Conn) SetLink(ctx context.Context, index int32, ch LinkChange) error {
	var w writer
	defer w.close()
	if err := w.setLink(index, &ch); err != nil {
		return err
	}
	return c.nl.Execute(ctx, fmt.Sprintf("rtnl: set link %d", index), unix.RTM_NEWLINK, 0, w.Bytes(), nil)
}

// setLink builds the payload of an RTM_NEWLINK request changing a link.
func (w *writer) setLink(index int32, ch *LinkChange) error {
	if index <= 0 {
		return errInvalid("link index", fmt.Sprintf("%d", index))
	}
	if ch.Name != nil {
		if err := ValidateLinkName(*ch.Name); err != nil {
			return err
		}
	}
	flags, change := ch.flags()
	putIfInfoMsg(w, unix.AF_UNSPEC, index, flags, change)
	if ch.Name != nil {
		w.String(unix.IFLA_IFNAME, *ch.Name)
	}
	putUint32(w, unix.IFLA_TXQLEN, ch.TxQueueLen)
	putUint32(w, unix.IFLA_MTU, ch.MTU)
	if ch.Address != nil {
		w.HardwareAddr(unix.IFLA_ADDRESS, ch.Address)
	}
	if ch.Broadcast != nil {
		w.HardwareAddr(unix.IFLA_BROADCAST, ch.Broadcast)
	}
	putUint32(w, unix.IFLA_GROUP, ch.Group)
	putInt32(w, unix.IFLA_MASTER, ch.MasterIndex)
	if err := w.netns(ch.NetNS); err != nil {
		return fmt.Errorf("rtnl: set link %d: %w", index, err)
	}
	if ch.Alias != nil {
		w.String(unix.IFLA_IFALIAS, *ch.Alias)
	}
	if ch.AddrGenMode != nil {
		encodeAddrGenMode(w, *ch.AddrGenMode)
	}
	putUint32(w, unix.IFLA_GSO_MAX_SIZE, ch.GSOMaxSize)
	putUint32(w, unix.IFLA_GSO_MAX_SEGS, ch.GSOMaxSegs)
	putUint32(w, unix.IFLA_GRO_MAX_SIZE, ch.GROMaxSize)
	if err := ch.encodeLowerChanges(w); err != nil {
		return fmt.Errorf("rtnl: set link %d: %w", index, err)
	}
	if ch.Info != nil {
		info := *ch.Info
		if info.Kind == "" && info.Data != nil {
			info.Kind = info.Data.LinkKind()
		}
		if err := info.encode(w); err != nil {
			return fmt.Errorf("rtnl: set link %d: %w", index, err)
		}
	}
	if err := w.Err(); err != nil {
		return fmt.Errorf("rtnl: set link %d: %w", index, err)
	}
	return nil
}

// DeleteLink deletes the link with the given index, as `ip link del` does.
// Deleting one end of a veth pair deletes both. A missing link gives an
// error matching [ErrNotExist].
func (c *Conn) DeleteLink(ctx context.Context, index int32) error {
	if index <= 0 {
		return errInvalid("link index", fmt.Sprintf("%d", index))
	}
	var w writer
	putIfInfoMsg(&w, unix.AF_UNSPEC, index, 0, 0)
	return c.nl.Execute(ctx, fmt.Sprintf("rtnl: delete link %d", index), unix.RTM_DELLINK, 0, w.Bytes(), nil)
}

// DeleteLinkByName deletes the link with the given name.
func (c *Conn) DeleteLinkByName(ctx context.Context, name string) error {
	if err := ValidateLinkName(name); err != nil {
		return err
	}
	var w writer
	putIfInfoMsg(&w, unix.AF_UNSPEC, 0, 0, 0)
	w.String(unix.IFLA_IFNAME, name)
	return c.nl.Execute(ctx, "rtnl: delete link "+name, unix.RTM_DELLINK, 0, w.Bytes(), nil)
}

// DeleteLinkGroup deletes every link in the interface group, as
// `ip link del group N` does.
func (c *Conn) DeleteLinkGroup(ctx context.Context, group uint32) error {
	var w writer
	putIfInfoMsg(&w, unix.AF_UNSPEC, 0, 0, 0)
	w.Uint32(unix.IFLA_GROUP, group)
	return c.nl.Execute(ctx, fmt.Sprintf("rtnl: delete link group %d", group), unix.RTM_DELLINK, 0, w.Bytes(), nil)
}
