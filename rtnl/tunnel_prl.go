package rtnl

import (
	"context"
	"fmt"
	"net/netip"
	"os"
	"runtime"
	"unsafe"

	"github.com/josharian/native"
	"golang.org/x/sys/unix"
)

// A PotentialRouter is an entry of the potential router list of an ISATAP
// tunnel (a sit tunnel with ISATAP set): struct ip_tunnel_prl. The kernel
// keeps a list for any sit tunnel, but uses it only with ISATAP.
type PotentialRouter struct {
	// Addr is the router's IPv4 address.
	Addr netip.Addr
	// Default marks a default router (PRL_DEFAULT): ip's prl-default, and
	// "pdr" where ip tunnel show lists the routers ("pr" otherwise).
	Default bool
}

// The ioctls of the potential router list (SIOCDEVPRIVATE + 4, 5 and 6 in
// linux/if_tunnel.h): the kernel has no netlink form of the list.
const (
	siocGetPRL = unix.SIOCDEVPRIVATE + 4
	siocAddPRL = unix.SIOCDEVPRIVATE + 5
	siocDelPRL = unix.SIOCDEVPRIVATE + 6
)

// prlDefault is PRL_DEFAULT, prlSize the size of struct ip_tunnel_prl and
// prlMax the most entries PotentialRouters reads.
const (
	prlDefault = 0x1
	prlSize    = 16
	prlMax     = 256
)

// AddPotentialRouter adds r to the potential router list of the ISATAP
// tunnel name, as `ip tunnel prl dev NAME prl-default|prl-nodefault ADDR`
// does (SIOCADDPRL, on a socket in the Conn's namespace). An address the
// list has already gives an error matching unix.EEXIST; a device that is
// not a sit tunnel one matching unix.EOPNOTSUPP (a sit tunnel without
// ISATAP takes the router, as the kernel takes it), and a missing one
// unix.ENODEV. A router that is not an IPv4 address is an
// [*InvalidError].
func (c *Conn) AddPotentialRouter(ctx context.Context, name string, r PotentialRouter) error {
	if !r.Addr.Is4() {
		return errInvalid("potential router", fmt.Sprintf("%v is not an IPv4 address", r.Addr))
	}
	buf := make([]byte, prlSize)
	putPotentialRouter(buf, r)
	return c.prlIoctl(ctx, "add potential router "+r.Addr.String(), name, siocAddPRL, buf)
}

// DeletePotentialRouter deletes the router addr from the potential router
// list of the ISATAP tunnel name, as `ip tunnel prl dev NAME prl-delete
// ADDR` does (SIOCDELPRL); the unspecified address 0.0.0.0 empties the
// list. An address the list lacks gives an error matching unix.ENXIO; see
// [Conn.AddPotentialRouter] for the others.
func (c *Conn) DeletePotentialRouter(ctx context.Context, name string, addr netip.Addr) error {
	if !addr.Is4() {
		return errInvalid("potential router", fmt.Sprintf("%v is not an IPv4 address", addr))
	}
	buf := make([]byte, prlSize)
	putPotentialRouter(buf, PotentialRouter{Addr: addr})
	return c.prlIoctl(ctx, "delete potential router "+addr.String(), name, siocDelPRL, buf)
}

// PotentialRouters returns the potential router list of the ISATAP tunnel
// name, as ip tunnel show lists it (SIOCGETPRL), in the kernel's order, up
// to 256 routers.
func (c *Conn) PotentialRouters(ctx context.Context, name string) ([]PotentialRouter, error) {
	buf := make([]byte, prlSize*(1+prlMax))
	native.Endian.PutUint32(buf[8:], prlSize*prlMax) // datalen: room after the request
	if err := c.prlIoctl(ctx, "list potential routers", name, siocGetPRL, buf); err != nil {
		return nil, err
	}
	n := int(native.Endian.Uint32(buf[8:])) / prlSize
	var rs []PotentialRouter
	for i := 1; i <= n && i <= prlMax; i++ {
		e := buf[i*prlSize:]
		rs = append(rs, PotentialRouter{
			Addr:    netip.AddrFrom4([4]byte(e[:4])),
			Default: native.Endian.Uint16(e[4:])&prlDefault != 0,
		})
	}
	return rs, nil
}

// putPotentialRouter writes r as a struct ip_tunnel_prl.
func putPotentialRouter(b []byte, r PotentialRouter) {
	a := r.Addr.As4()
	copy(b, a[:])
	var flags uint16
	if r.Default {
		flags = prlDefault
	}
	native.Endian.PutUint16(b[4:], flags)
}

// prlIfreq is a struct ifreq whose union holds a pointer (ifr_data).
type prlIfreq struct {
	name [unix.IFNAMSIZ]byte
	data unsafe.Pointer
	_    [24 - unsafe.Sizeof(uintptr(0))]byte
}

// prlIoctl runs the ioctl req on the device name with data, on an AF_INET
// socket made in the Conn's namespace.
func (c *Conn) prlIoctl(ctx context.Context, op, name string, req uint, data []byte) error {
	op = "rtnl: " + op + " of " + name
	if len(name) == 0 || len(name) >= unix.IFNAMSIZ {
		return errInvalid("potential router list", fmt.Sprintf("bad device name %q", name))
	}
	if err := ctx.Err(); err != nil {
		return err
	}
	fd := -1
	err := c.nl.InNetNS(func() error {
		var err error
		fd, err = unix.Socket(unix.AF_INET, unix.SOCK_DGRAM|unix.SOCK_CLOEXEC, 0)
		return os.NewSyscallError("socket", err)
	})
	if err != nil {
		if fd >= 0 {
			unix.Close(fd) // made, but the thread failed to switch back
		}
		return fmt.Errorf("%s: %w", op, err)
	}
	defer unix.Close(fd)
	var ifr prlIfreq
	copy(ifr.name[:], name)
	ifr.data = unsafe.Pointer(&data[0])
	_, _, errno := unix.Syscall(unix.SYS_IOCTL, uintptr(fd), uintptr(req), uintptr(unsafe.Pointer(&ifr)))
	runtime.KeepAlive(data)
	if errno != 0 {
		return fmt.Errorf("%s: %w", op, os.NewSyscallError("ioctl", errno))
	}
	return nil
}
