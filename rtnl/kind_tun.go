package rtnl

import (
	"context"
	"errors"
	"fmt"
	"math"
	"os/user"
	"strconv"

	"golang.org/x/sys/unix"

	"github.com/nlkit/nlkit/attrs"
	"github.com/nlkit/nlkit/internal/jsonw"
	"github.com/nlkit/nlkit/internal/nlconn"
)

// tunDevice is the clone device that creates tun and tap links.
const tunDevice = "/dev/net/tun"

// TuntapMode is the kind of a tun/tap device (IFF_TUN or IFF_TAP), as
// `ip tuntap add … mode tun|tap` chooses it.
type TuntapMode uint8

// Tun/tap modes.
const (
	// TuntapTun is a layer 3 device: IP packets, no link-layer header.
	TuntapTun TuntapMode = unix.IFF_TUN
	// TuntapTap is an Ethernet device.
	TuntapTap TuntapMode = unix.IFF_TAP
)

// String returns "tun" or "tap", or "UNKNOWN:N" as ip prints another value.
func (m TuntapMode) String() string {
	switch m {
	case TuntapTun:
		return "tun"
	case TuntapTap:
		return "tap"
	}
	return "UNKNOWN:" + strconv.Itoa(int(m))
}

// Tun is the data of a tun or tap device (kind "tun", IFLA_TUN_*), as the
// kernel reports it. It is read-only: the kernel creates tun/tap devices
// through /dev/net/tun, not rtnetlink; create them with [Conn.AddTuntap]
// (`ip tuntap add`), and delete them with [Conn.DeleteLink] or
// [Conn.DeleteLinkByName].
//
// The kernel reports Mode, PI, VnetHdr, Persist and MultiQueue for every
// device (Linux 4.15 and later); the other fields are nil when it does not
// report them.
type Tun struct {
	// Mode is tun or tap (`mode tun|tap`).
	Mode TuntapMode
	// PI reports that packets carry the 4-byte packet information header
	// (`pi`; IFF_NO_PI clear).
	PI bool
	// VnetHdr reports the virtio-net header (`vnet_hdr`).
	VnetHdr bool
	// MultiQueue reports a multi-queue device (`multi_queue`).
	MultiQueue bool
	// NumQueues and NumDisabledQueues count the attached queues, enabled
	// and disabled; reported for multi-queue devices only.
	NumQueues, NumDisabledQueues *uint32
	// Persist reports that the device outlives the file descriptors
	// attached to it.
	Persist bool
	// Owner and Group are the user and group allowed to attach to the
	// device (`user`, `group`), nil when unrestricted.
	Owner, Group *uint32
	// OwnerName and GroupName are the names of Owner and Group in the
	// local user and group databases (os/user), looked up when the link is
	// decoded, so that MarshalJSON prints them as ip does without any
	// I/O; "" when they do not resolve.
	OwnerName, GroupName string

	present                tunAttrs
	numQueues, numDisabled uint32
	owner, group           uint32
}

// tunAttrs records which IFLA_TUN_* attributes the kernel sent, for the
// JSON, which prints only those.
type tunAttrs uint8

const (
	tunHasType tunAttrs = 1 << iota
	tunHasPI
	tunHasVnetHdr
	tunHasMultiQueue
	tunHasPersist
)

// LinkKind returns "tun".
func (*Tun) LinkKind() string { return "tun" }

func (t *Tun) encode(*writer) error {
	return errInvalid("tun data", "the kernel creates and changes tun/tap devices through /dev/net/tun, not rtnetlink: use Conn.AddTuntap")
}

func (t *Tun) decode(d attrs.Decoder) error {
	for d.Next() {
		switch d.Type() {
		case unix.IFLA_TUN_TYPE:
			t.Mode = TuntapMode(d.Uint8())
			t.present |= tunHasType
		case unix.IFLA_TUN_PI:
			t.PI = d.Uint8() != 0
			t.present |= tunHasPI
		case unix.IFLA_TUN_VNET_HDR:
			t.VnetHdr = d.Uint8() != 0
			t.present |= tunHasVnetHdr
		case unix.IFLA_TUN_MULTI_QUEUE:
			t.MultiQueue = d.Uint8() != 0
			t.present |= tunHasMultiQueue
		case unix.IFLA_TUN_PERSIST:
			t.Persist = d.Uint8() != 0
			t.present |= tunHasPersist
		case unix.IFLA_TUN_NUM_QUEUES:
			t.NumQueues = uint32Field(&d, &t.numQueues)
		case unix.IFLA_TUN_NUM_DISABLED_QUEUES:
			t.NumDisabledQueues = uint32Field(&d, &t.numDisabled)
		case unix.IFLA_TUN_OWNER:
			t.Owner = uint32Field(&d, &t.owner)
		case unix.IFLA_TUN_GROUP:
			t.Group = uint32Field(&d, &t.group)
		}
	}
	if err := d.Err(); err != nil {
		return err
	}
	if t.Owner != nil {
		if u, err := user.LookupId(strconv.FormatUint(uint64(*t.Owner), 10)); err == nil {
			t.OwnerName = u.Username
		}
	}
	if t.Group != nil {
		if g, err := user.LookupGroupId(strconv.FormatUint(uint64(*t.Group), 10)); err == nil {
			t.GroupName = g.Name
		}
	}
	return nil
}

// writeJSON writes info_data as ip 6.1 prints it: multi_queue always, the
// queue counts only for a multi-queue device, user and group as names when
// they resolve and as numbers otherwise.
func (t *Tun) writeJSON(w *jsonw.Writer) {
	if t.present&tunHasType != 0 {
		w.String("type", t.Mode.String())
	}
	if t.present&tunHasPI != 0 {
		w.Bool("pi", t.PI)
	}
	if t.present&tunHasVnetHdr != 0 {
		w.Bool("vnet_hdr", t.VnetHdr)
	}
	if t.present&tunHasMultiQueue == 0 || !t.MultiQueue {
		w.Bool("multi_queue", false)
	} else {
		w.Bool("multi_queue", true)
		writeJSONUint(w, "numqueues", t.NumQueues)
		writeJSONUint(w, "numdisabled", t.NumDisabledQueues)
	}
	if t.present&tunHasPersist != 0 {
		w.Bool("persist", t.Persist)
	}
	tunJSONNameOrID(w, "user", t.Owner, t.OwnerName)
	tunJSONNameOrID(w, "group", t.Group, t.GroupName)
}

func tunJSONNameOrID(w *jsonw.Writer, key string, id *uint32, name string) {
	switch {
	case id == nil:
	case name != "":
		w.String(key, name)
	default:
		w.Uint(key, uint64(*id))
	}
}

// Tuntap describes a tun or tap device: one to create with
// [Conn.AddTuntap] (`ip tuntap add`), or one listed by [Conn.Tuntaps]
// (`ip tuntap show`).
type Tuntap struct {
	// Name is the device name (`dev NAME`). When creating, an empty name,
	// or one with a %d, lets the kernel choose (tunN, tapN).
	Name string
	// Index is the interface index of a listed device; AddTuntap ignores
	// it.
	Index int32
	// Mode is TuntapTun or TuntapTap (`mode tun|tap`); required.
	Mode TuntapMode
	// PI keeps the 4-byte packet information header on packets (`pi`):
	// without it the device is created with IFF_NO_PI.
	PI bool
	// VnetHdr enables the virtio-net header (`vnet_hdr`, IFF_VNET_HDR).
	VnetHdr bool
	// MultiQueue makes a multi-queue device (`multi_queue`,
	// IFF_MULTI_QUEUE).
	MultiQueue bool
	// OneQueue sets the obsolete IFF_ONE_QUEUE flag (`one_queue`), which
	// the kernel ignores. Listed devices never have it: netlink does not
	// report it (see [Conn.Tuntaps]).
	OneQueue bool
	// Persist reports that a listed device is persistent. AddTuntap always
	// makes the device persistent, as ip does, and ignores it.
	Persist bool
	// Owner and Group restrict who may attach to the device (`user`,
	// `group`): a uid and a gid, nil for anyone.
	Owner, Group *uint32
}

// tunFlags returns the IFF_* flags TUNSETIFF takes for t, as ip sets them:
// IFF_NO_PI unless PI, and IFF_TUN_EXCL, so that an existing device is an
// error rather than attached to.
func (t *Tuntap) tunFlags() uint16 {
	flags := uint16(t.Mode) | unix.IFF_TUN_EXCL
	if !t.PI {
		flags |= unix.IFF_NO_PI
	}
	if t.VnetHdr {
		flags |= unix.IFF_VNET_HDR
	}
	if t.MultiQueue {
		flags |= unix.IFF_MULTI_QUEUE
	}
	if t.OneQueue {
		flags |= unix.IFF_ONE_QUEUE
	}
	return flags
}

func (t *Tuntap) validate() error {
	if t.Name != "" {
		if err := ValidateLinkName(t.Name); err != nil {
			return err
		}
	}
	if t.Mode != TuntapTun && t.Mode != TuntapTap {
		return errInvalid("tuntap mode", fmt.Sprintf("%d: want TuntapTun or TuntapTap", t.Mode))
	}
	if t.Owner != nil && *t.Owner == math.MaxUint32 {
		return errInvalid("tuntap owner", "uid 4294967295 (-1) is no user")
	}
	if t.Group != nil && *t.Group == math.MaxUint32 {
		return errInvalid("tuntap group", "gid 4294967295 (-1) is no group")
	}
	return nil
}

// AddTuntap creates a persistent tun or tap device in the Conn's network
// namespace, as `ip tuntap add` does, and returns its name (the one the
// kernel chose when t.Name is empty or a pattern such as "tap%d").
//
// Tun/tap devices are not created over netlink: AddTuntap opens
// /dev/net/tun, asks for the device with ioctl TUNSETIFF (with IFF_TUN_EXCL,
// so that an existing device of that name is an error matching [ErrExist]
// rather than attached to), sets the owner and group with TUNSETOWNER and
// TUNSETGROUP when given, makes it persistent with TUNSETPERSIST and closes
// the descriptor. The kernel creates the device in the namespace of the
// thread that opened /dev/net/tun: when the Conn is bound to another
// namespace than the caller's, the open happens on a throw-away OS thread
// switched into the Conn's namespace, which the Go runtime then destroys;
// the caller's threads never change namespace. Switching needs
// CAP_SYS_ADMIN, like binding the Conn to a namespace did.
//
// Delete the device with [Conn.DeleteLink] or [Conn.DeleteLinkByName]; its
// settings appear in [Link.Info] as a [*Tun].
func (c *Conn) AddTuntap(ctx context.Context, t Tuntap) (string, error) {
	if err := t.validate(); err != nil {
		return "", err
	}
	if err := ctx.Err(); err != nil {
		return "", err
	}
	op := "rtnl: add tuntap " + t.Name
	ifr, err := unix.NewIfreq(t.Name)
	if err != nil {
		return "", fmt.Errorf("%s: %w", op, err)
	}
	ifr.SetUint16(t.tunFlags())

	fd := -1
	err = c.nl.InNetNS(func() error {
		var err error
		fd, err = unix.Open(tunDevice, unix.O_RDWR|unix.O_CLOEXEC, 0)
		return err
	})
	if err != nil {
		if fd >= 0 {
			unix.Close(fd) // opened, but the thread failed to switch back
		}
		return "", &tunError{op: op, call: "open " + tunDevice, err: err}
	}
	defer unix.Close(fd)
	if err := unix.IoctlIfreq(fd, unix.TUNSETIFF, ifr); err != nil {
		return "", &tunError{op: op, call: "ioctl(TUNSETIFF)", err: err}
	}
	name := ifr.Name()
	op = "rtnl: add tuntap " + name
	if t.Owner != nil {
		if err := unix.IoctlSetInt(fd, unix.TUNSETOWNER, int(*t.Owner)); err != nil {
			return "", &tunError{op: op, call: "ioctl(TUNSETOWNER)", err: err}
		}
	}
	if t.Group != nil {
		if err := unix.IoctlSetInt(fd, unix.TUNSETGROUP, int(*t.Group)); err != nil {
			return "", &tunError{op: op, call: "ioctl(TUNSETGROUP)", err: err}
		}
	}
	if err := unix.IoctlSetInt(fd, unix.TUNSETPERSIST, 1); err != nil {
		return "", &tunError{op: op, call: "ioctl(TUNSETPERSIST)", err: err}
	}
	return name, nil
}

// A tunError reports a failed system call of AddTuntap. It unwraps to the
// errno; an existing device (EBUSY with IFF_TUN_EXCL) matches [ErrExist],
// and a kernel without /dev/net/tun matches [ErrNotSupported].
type tunError struct {
	op, call string
	err      error
}

func (e *tunError) Error() string { return e.op + ": " + e.call + ": " + e.err.Error() }

func (e *tunError) Unwrap() error { return e.err }

func (e *tunError) Is(target error) bool {
	var errno unix.Errno
	if !errors.As(e.err, &errno) {
		return false
	}
	switch target {
	case ErrExist:
		return e.call == "ioctl(TUNSETIFF)" && errno == unix.EBUSY
	case ErrNotSupported:
		return e.call == "open "+tunDevice && (errno == unix.ENOENT || errno == unix.ENODEV || errno == unix.ENXIO)
	}
	return false
}

// Tuntaps lists the tun and tap devices of the Conn's namespace, as
// `ip -j tuntap show` does; their JSON is what it prints for each.
//
// ip reads the flags, owner and group from sysfs (/sys/class/net/NAME/
// tun_flags, owner, group), which shows the namespace sysfs was mounted in;
// Tuntaps reads them from the devices' netlink data (IFLA_TUN_*), which is
// always the Conn's namespace and needs no privilege. The one difference:
// netlink does not report IFF_ONE_QUEUE, IFF_NAPI or IFF_NAPI_FRAGS, so a
// device created with `one_queue` (an obsolete flag the kernel ignores) or
// with NAPI lacks "one_queue", or the hexadecimal leftover ip prints for
// the NAPI flags. The processes attached to each device, which
// `ip -d tuntap show` lists (as invalid JSON in iproute2 6.1), are not
// reported.
func (c *Conn) Tuntaps(ctx context.Context) ([]Tuntap, error) {
	links, err := nlconn.Collect(ctx, c.nl, "rtnl: dump tuntaps", unix.RTM_GETLINK, 0, tuntapDumpRequest(), decodeLinkMessage)
	var out []Tuntap
	for i := range links {
		if t, ok := tuntapOf(&links[i]); ok {
			out = append(out, t)
		}
	}
	return out, err
}

// tuntapDumpRequest is the request of `ip tuntap show`: a link dump for
// AF_UNSPEC that asks the kernel for the links of kind "tun" only.
func tuntapDumpRequest() []byte {
	var e attrs.Encoder
	e.Reset(make([]byte, ifInfoMsgLen, 32))
	n := e.Nest(unix.IFLA_LINKINFO)
	e.Raw(unix.IFLA_INFO_KIND, []byte("tun"))
	e.End(n)
	return e.Bytes()
}

// tuntapOf returns what `ip tuntap show` reports of l: links of kind "tun"
// whose type is ARPHRD_NONE (tun) or ARPHRD_ETHER (tap), like ip.
func tuntapOf(l *Link) (Tuntap, bool) {
	if l.Info == nil || l.Info.Kind != "tun" || (l.Type != unix.ARPHRD_NONE && l.Type != unix.ARPHRD_ETHER) {
		return Tuntap{}, false
	}
	t := Tuntap{Name: l.Name, Index: l.Index}
	if d, ok := l.Info.Data.(*Tun); ok {
		t.Mode, t.PI, t.VnetHdr, t.MultiQueue, t.Persist = d.Mode, d.PI, d.VnetHdr, d.MultiQueue, d.Persist
		if d.Owner != nil {
			t.Owner = new(uint32)
			*t.Owner = *d.Owner
		}
		if d.Group != nil {
			t.Group = new(uint32)
			*t.Group = *d.Group
		}
	}
	return t, true
}

// Flags returns the device's IFF_* flags as the kernel's tun_flags in sysfs
// shows them, as far as they are known: IFF_TUN or IFF_TAP, IFF_NO_PI,
// IFF_ONE_QUEUE, IFF_MULTI_QUEUE, IFF_VNET_HDR and IFF_PERSIST.
func (t *Tuntap) Flags() uint32 {
	flags := uint32(t.Mode) & (unix.IFF_TUN | unix.IFF_TAP)
	for _, f := range []struct {
		on   bool
		flag uint32
	}{
		{!t.PI, unix.IFF_NO_PI}, {t.OneQueue, unix.IFF_ONE_QUEUE}, {t.MultiQueue, unix.IFF_MULTI_QUEUE},
		{t.VnetHdr, unix.IFF_VNET_HDR}, {t.Persist, unix.IFF_PERSIST},
	} {
		if f.on {
			flags |= f.flag
		}
	}
	return flags
}

// MarshalJSON encodes the device as `ip -j tuntap show` (iproute2 6.1)
// prints it: {"ifname":…,"flags":[…],"user":N,"group":N}, the flags in ip's
// order ("pi" and "filter" go together: IFF_NOFILTER is IFF_NO_PI's bit),
// user and group as numbers and only when set.
func (t Tuntap) MarshalJSON() ([]byte, error) {
	var w jsonw.Writer
	w.Open("")
	w.String("ifname", t.Name)
	w.OpenArray("flags")
	flags := t.Flags()
	for _, f := range []struct {
		set  bool
		name string
	}{
		{flags&unix.IFF_TUN != 0, "tun"},
		{flags&unix.IFF_TAP != 0, "tap"},
		{flags&unix.IFF_NO_PI == 0, "pi"},
		{flags&unix.IFF_ONE_QUEUE != 0, "one_queue"},
		{flags&unix.IFF_MULTI_QUEUE != 0, "multi_queue"},
		{flags&unix.IFF_VNET_HDR != 0, "vnet_hdr"},
		{flags&unix.IFF_PERSIST != 0, "persist"},
		{flags&unix.IFF_NOFILTER == 0, "filter"},
	} {
		if f.set {
			w.String("", f.name)
		}
	}
	w.CloseArray()
	if t.Owner != nil {
		w.Uint("user", uint64(*t.Owner))
	}
	if t.Group != nil {
		w.Uint("group", uint64(*t.Group))
	}
	w.Close()
	return w.Bytes(), nil
}
