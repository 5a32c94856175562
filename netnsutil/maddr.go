package netnsutil

import (
	"context"
	"encoding/hex"
	"errors"
	"fmt"
	"io/fs"
	"net"
	"net/netip"
	"os"
	"strconv"
	"strings"
	"unicode"
	"unsafe"

	"github.com/josharian/native"
	"golang.org/x/sys/unix"

	"github.com/nlkit/nlkit"
	"github.com/nlkit/nlkit/internal/jsonw"
)

// A Maddr is one multicast address of a device, from /proc/net/dev_mcast
// (a link-layer address), /proc/net/igmp (IPv4) or /proc/net/igmp6 (IPv6).
type Maddr struct {
	// Family is unix.AF_PACKET for a link-layer address, unix.AF_INET or
	// unix.AF_INET6 for a group.
	Family int
	// Link is the link-layer address (AF_PACKET).
	Link net.HardwareAddr
	// Addr is the group's address (AF_INET, AF_INET6).
	Addr netip.Addr
	// Users counts the references to the address.
	Users int
	// Static reports a link-layer address added with [AddMaddr] (its
	// global use count is set).
	Static bool
}

// A MaddrLink is a device and its multicast addresses, as one element of
// `ip -j maddr show`.
type MaddrLink struct {
	Index int
	Name  string
	// Addrs lists the link-layer addresses, then the IPv4 groups, then the
	// IPv6 groups, each in the kernel's order.
	Addrs []Maddr
}

// MaddrFilter selects what [Maddrs] lists. The zero MaddrFilter selects
// everything.
type MaddrFilter struct {
	// Dev keeps only the device of that name (`dev NAME`).
	Dev string
	// Family keeps only one family: unix.AF_PACKET (`-0`, link-layer
	// addresses), unix.AF_INET (`-4`) or unix.AF_INET6 (`-6`); 0 keeps all.
	Family int
}

// Maddrs lists the multicast addresses of the devices of the caller's
// namespace (or that of [InNetNS]), as `ip maddr show` does: by device
// index, devices without any left out. The data comes from
// /proc/thread-self/net/{dev_mcast,igmp,igmp6}, read on a thread in the
// namespace; a file that is missing (no IPv6, say) lists nothing. An
// unknown Dev gives an empty list, as with ip.
func Maddrs(ctx context.Context, f MaddrFilter, opts ...Option) ([]MaddrLink, error) {
	o, err := getOptions(opts)
	if err != nil {
		return nil, err
	}
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	switch f.Family {
	case 0, unix.AF_PACKET, unix.AF_INET, unix.AF_INET6:
	default:
		return nil, fmt.Errorf("netnsutil: list multicast addresses: unsupported family %d", f.Family)
	}
	var dev, igmp, igmp6 []byte
	read := func(name string, want bool, into *[]byte) error {
		if !want {
			return nil
		}
		b, err := os.ReadFile("/proc/thread-self/net/" + name)
		if errors.Is(err, fs.ErrNotExist) {
			return nil
		}
		*into = b
		return err
	}
	err = o.do(func() error {
		return errors.Join(
			read("dev_mcast", f.Family == 0 || f.Family == unix.AF_PACKET, &dev),
			read("igmp", f.Family == 0 || f.Family == unix.AF_INET, &igmp),
			read("igmp6", f.Family == 0 || f.Family == unix.AF_INET6, &igmp6),
		)
	})
	if err != nil {
		return nil, fmt.Errorf("netnsutil: list multicast addresses: %w", err)
	}
	var all []maddrEntry
	all = append(all, parseDevMcast(dev)...)
	all = append(all, parseIGMP(igmp)...)
	all = append(all, parseIGMP6(igmp6)...)
	return groupMaddrs(all, f.Dev), nil
}

// A maddrEntry is one line of the proc files.
type maddrEntry struct {
	index int
	name  string
	Maddr
}

// parseDevMcast parses /proc/net/dev_mcast: "index name users global hex".
func parseDevMcast(b []byte) []maddrEntry {
	var out []maddrEntry
	for line := range strings.Lines(string(b)) {
		f := strings.Fields(line)
		if len(f) < 5 {
			continue
		}
		index, err1 := strconv.Atoi(f[0])
		users, err2 := strconv.Atoi(f[2])
		global, err3 := strconv.Atoi(f[3])
		addr, err4 := hex.DecodeString(f[4])
		if err1 != nil || err2 != nil || err3 != nil || err4 != nil {
			continue
		}
		out = append(out, maddrEntry{index, f[1], Maddr{
			Family: unix.AF_PACKET, Link: net.HardwareAddr(addr), Users: users, Static: global != 0,
		}})
	}
	return out
}

// parseIGMP parses /proc/net/igmp: a header line, then for each device a
// line "index name: count querier" followed by one tab-indented line
// "group users timer reporter" per group, the group in hex of its
// network-order bytes read as a host-order number.
func parseIGMP(b []byte) []maddrEntry {
	var out []maddrEntry
	var index int
	var name string
	first := true
	for line := range strings.Lines(string(b)) {
		if first {
			first = false
			continue
		}
		f := strings.Fields(line)
		if len(f) < 2 {
			continue
		}
		if line[0] != '\t' {
			index, _ = strconv.Atoi(f[0])
			name = strings.TrimSuffix(f[1], ":")
			continue
		}
		group, err1 := strconv.ParseUint(f[0], 16, 32)
		users, err2 := strconv.Atoi(f[1])
		if err1 != nil || err2 != nil {
			continue
		}
		var a [4]byte
		native.Endian.PutUint32(a[:], uint32(group))
		out = append(out, maddrEntry{index, name, Maddr{Family: unix.AF_INET, Addr: netip.AddrFrom4(a), Users: users}})
	}
	return out
}

// parseIGMP6 parses /proc/net/igmp6: "index name hex users flags timer".
func parseIGMP6(b []byte) []maddrEntry {
	var out []maddrEntry
	for line := range strings.Lines(string(b)) {
		f := strings.Fields(line)
		if len(f) < 4 {
			continue
		}
		index, err1 := strconv.Atoi(f[0])
		addr, err2 := hex.DecodeString(f[2])
		users, err3 := strconv.Atoi(f[3])
		if err1 != nil || err2 != nil || err3 != nil || len(addr) != 16 {
			continue
		}
		out = append(out, maddrEntry{index, f[1], Maddr{Family: unix.AF_INET6, Addr: netip.AddrFrom16([16]byte(addr)), Users: users}})
	}
	return out
}

// groupMaddrs orders the entries by device index, keeping the order of the
// entries of one device (a stable sort, as ip's insertion does), keeps
// those of dev if it is set, and groups them by device.
func groupMaddrs(all []maddrEntry, dev string) []MaddrLink {
	var sorted []maddrEntry
	for _, e := range all {
		if dev != "" && e.name != dev {
			continue
		}
		i := len(sorted)
		for i > 0 && sorted[i-1].index > e.index {
			i--
		}
		sorted = append(sorted, maddrEntry{})
		copy(sorted[i+1:], sorted[i:])
		sorted[i] = e
	}
	out := []MaddrLink{}
	for _, e := range sorted {
		if n := len(out); n == 0 || out[n-1].Index != e.index {
			out = append(out, MaddrLink{Index: e.index, Name: e.name})
		}
		l := &out[len(out)-1]
		l.Addrs = append(l.Addrs, e.Maddr)
	}
	return out
}

// AddMaddr adds the link-layer multicast address addr (6 bytes) to the
// device dev in the caller's namespace (or that of [InNetNS]), as
// `ip maddr add ADDR dev DEV` does (SIOCADDMULTI). A missing device gives
// an error matching [nlkit.ErrNotExist].
func AddMaddr(ctx context.Context, dev string, addr net.HardwareAddr, opts ...Option) error {
	return modifyMaddr(ctx, "add", unix.SIOCADDMULTI, dev, addr, opts)
}

// DeleteMaddr removes a link-layer multicast address added with
// [AddMaddr], as `ip maddr del ADDR dev DEV` does (SIOCDELMULTI). A missing
// device or address gives an error matching [nlkit.ErrNotExist].
func DeleteMaddr(ctx context.Context, dev string, addr net.HardwareAddr, opts ...Option) error {
	return modifyMaddr(ctx, "delete", unix.SIOCDELMULTI, dev, addr, opts)
}

// ifreqHW is struct ifreq with its struct sockaddr ifr_hwaddr.
type ifreqHW struct {
	name   [unix.IFNAMSIZ]byte
	family uint16
	data   [14]byte
	_      [8]byte // the rest of the union
}

func modifyMaddr(ctx context.Context, verb string, req uint, dev string, addr net.HardwareAddr, opts []Option) error {
	op := fmt.Sprintf("netnsutil: %s multicast address %s dev %s", verb, addr, dev)
	o, err := getOptions(opts)
	if err != nil {
		return err
	}
	if err := ctx.Err(); err != nil {
		return err
	}
	if err := checkIfname(dev); err != nil {
		return fmt.Errorf("%s: %w", op, err)
	}
	if len(addr) != 6 {
		return fmt.Errorf("%s: invalid address length %d - must be 6 bytes", op, len(addr))
	}
	var ifr ifreqHW
	copy(ifr.name[:], dev)
	copy(ifr.data[:], addr) // family AF_UNSPEC, as the kernel requires
	var fd int
	err = o.do(func() error {
		// The socket's namespace, that of the thread making it, is the
		// one the ioctl acts in.
		var err error
		fd, err = unix.Socket(unix.AF_INET, unix.SOCK_DGRAM|unix.SOCK_CLOEXEC, 0)
		return err
	})
	if err != nil {
		return fmt.Errorf("%s: %w", op, os.NewSyscallError("socket", err))
	}
	defer unix.Close(fd)
	_, _, errno := unix.Syscall(unix.SYS_IOCTL, uintptr(fd), uintptr(req), uintptr(unsafe.Pointer(&ifr)))
	if errno != 0 {
		return &nlkit.Error{Op: op, Errno: errno}
	}
	return nil
}

// checkIfname applies ip's check of a device name.
func checkIfname(name string) error {
	if name == "" || len(name) >= unix.IFNAMSIZ {
		return fmt.Errorf("invalid device name %q", name)
	}
	for _, r := range name {
		if r == '/' || unicode.IsSpace(r) || r == 0 {
			return fmt.Errorf("invalid device name %q", name)
		}
	}
	return nil
}

// MarshalJSON encodes the address as an element of "maddr" in
// `ip -j maddr show` (iproute2 6.1): {"link":…} or
// {"family":…,"address":…}, then "users" when not 1 and "features" for a
// static address.
func (m Maddr) MarshalJSON() ([]byte, error) {
	var w jsonw.Writer
	w.Open("")
	m.writeJSON(&w)
	w.Close()
	return w.Bytes(), nil
}

func (m *Maddr) writeJSON(w *jsonw.Writer) {
	switch m.Family {
	case unix.AF_PACKET:
		w.String("link", linkString(m.Link))
	case unix.AF_INET:
		w.String("family", "inet")
		w.String("address", m.Addr.String())
	case unix.AF_INET6:
		w.String("family", "inet6")
		w.String("address", m.Addr.String())
	default:
		w.String("family", strconv.Itoa(m.Family))
	}
	if m.Users != 1 {
		w.Uint("users", uint64(uint32(m.Users)))
	}
	if m.Static {
		w.String("features", "static")
	}
}

// linkString formats a link-layer address as ip does: lower-case hex bytes
// joined by ':' (and "00" for an empty one).
func linkString(a net.HardwareAddr) string {
	if len(a) == 0 {
		return "00"
	}
	var b strings.Builder
	for i, c := range a {
		if i > 0 {
			b.WriteByte(':')
		}
		b.WriteString(hex.EncodeToString([]byte{c}))
	}
	return b.String()
}

// MarshalJSON encodes the device and its addresses as one element of
// `ip -j maddr show` (iproute2 6.1): {"ifindex":…,"ifname":…,"maddr":[…]}.
func (l MaddrLink) MarshalJSON() ([]byte, error) {
	var w jsonw.Writer
	w.Open("")
	w.Int("ifindex", int64(l.Index))
	w.String("ifname", l.Name)
	w.OpenArray("maddr")
	for i := range l.Addrs {
		w.Open("")
		l.Addrs[i].writeJSON(&w)
		w.Close()
	}
	w.CloseArray()
	w.Close()
	return w.Bytes(), nil
}
