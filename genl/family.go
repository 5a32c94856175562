package genl

import (
	"context"
	"errors"
	"fmt"

	"golang.org/x/sys/unix"

	"github.com/nlkit/nlkit/attrs"
	"github.com/nlkit/nlkit/internal/nlconn"
)

// A Family is a generic netlink family as the kernel's controller (nlctrl)
// describes it: what `genl ctrl get name NAME` prints.
type Family struct {
	// Name is the family's name, such as "mptcp_pm".
	Name string
	// ID is the family's number: the netlink message type of its messages.
	ID uint16
	// Version is the version of the family's interface.
	Version uint32
	// HeaderSize is the size of the family's own header, which follows the
	// generic netlink header; 0 for most families.
	HeaderSize uint32
	// MaxAttr is the highest attribute number of the family's commands.
	MaxAttr uint32
	// Ops are the family's commands.
	Ops []Op
	// Groups are the family's multicast groups.
	Groups []Group
}

// An Op is a command of a family.
type Op struct {
	// ID is the command number.
	ID uint32
	// Flags say what the command can do and who may run it.
	Flags OpFlags
}

// OpFlags are the capabilities of a command (GENL_* in
// <linux/genetlink.h>).
type OpFlags uint32

// The flags of a command.
const (
	OpAdminPerm    OpFlags = unix.GENL_ADMIN_PERM     // needs CAP_NET_ADMIN
	OpCanDo        OpFlags = unix.GENL_CMD_CAP_DO     // runs as a single request
	OpCanDump      OpFlags = unix.GENL_CMD_CAP_DUMP   // dumps
	OpHasPolicy    OpFlags = unix.GENL_CMD_CAP_HASPOL // checks its attributes against a policy
	OpUnsAdminPerm OpFlags = unix.GENL_UNS_ADMIN_PERM // needs CAP_NET_ADMIN in the namespace's user namespace
)

// A Group is a multicast group of a family, which [Conn.Listen] joins.
type Group struct {
	// ID is the group's number.
	ID uint32
	// Name is the group's name, such as "mptcp_pm_events".
	Name string
}

// Group returns the family's multicast group of the given name.
func (f Family) Group(name string) (Group, bool) {
	for _, g := range f.Groups {
		if g.Name == name {
			return g, true
		}
	}
	return Group{}, false
}

// controllerID is the fixed family number of the controller, nlctrl.
const controllerID = unix.GENL_ID_CTRL

// controllerVersion is the version that requests to the controller carry:
// 0, as iproute2 sends them.
const controllerVersion = 0

// Family returns the family of the given name, resolving it with the kernel
// the first time the Conn is asked for it. The kernel loads a family's module
// when it is asked for it, when it can. A family that the kernel does not
// know gives a [*FamilyError], which matches [ErrNotSupported] and
// [ErrNotExist]. A family keeps its number while its module stays loaded: a
// Conn that outlives an unload and reload of the module should be dialled
// again.
func (c *Conn) Family(ctx context.Context, name string) (Family, error) {
	c.mu.Lock()
	f, ok := c.families[name]
	c.mu.Unlock()
	if ok {
		return f, nil
	}
	if name == "" || len(name) >= unix.GENL_NAMSIZ {
		return Family{}, Invalid("family name", fmt.Sprintf("%q: want 1 to %d bytes", name, unix.GENL_NAMSIZ-1))
	}
	var e attrs.Encoder
	e.Reset(controllerHeader(unix.CTRL_CMD_GETFAMILY))
	e.String(unix.CTRL_ATTR_FAMILY_NAME, name)
	var decodeErr error
	err := c.nl.Execute(ctx, "genl: get family "+name, controllerID, 0, e.Bytes(), func(m nlconn.Message) error {
		if m.Type != controllerID {
			return nil
		}
		f, decodeErr = decodeFamilyMessage(m.Data)
		return decodeErr
	})
	if errors.Is(err, unix.ENOENT) {
		return Family{}, &FamilyError{Name: name, Err: err}
	}
	if err != nil {
		return Family{}, err
	}
	if f.Name != name {
		return Family{}, fmt.Errorf("genl: get family %s: the kernel answered with family %q", name, f.Name)
	}
	c.mu.Lock()
	c.families[name] = f
	c.mu.Unlock()
	return f, nil
}

// Families returns every family the kernel has, as `genl ctrl list` does.
// The families it returns are cached as [Conn.Family] caches them.
func (c *Conn) Families(ctx context.Context) ([]Family, error) {
	fs, err := nlconn.Collect(ctx, c.nl, "genl: list families", controllerID, 0,
		controllerHeader(unix.CTRL_CMD_GETFAMILY), decodeFamilyDump)
	if err != nil {
		return fs, err
	}
	c.mu.Lock()
	for _, f := range fs {
		c.families[f.Name] = f
	}
	c.mu.Unlock()
	return fs, nil
}

// ListFamilies returns every family of the calling thread's network
// namespace; see [Conn.Families].
func ListFamilies(ctx context.Context) ([]Family, error) {
	return withConn(ctx, func(c *Conn) ([]Family, error) { return c.Families(ctx) })
}

// GetFamily returns the family of the given name in the calling thread's
// network namespace; see [Conn.Family].
func GetFamily(ctx context.Context, name string) (Family, error) {
	return withConn(ctx, func(c *Conn) (Family, error) { return c.Family(ctx, name) })
}

// controllerHeader returns the generic netlink header of a request to the
// controller.
func controllerHeader(cmd uint8) []byte {
	return []byte{cmd, controllerVersion, 0, 0}
}

// decodeFamilyDump decodes one message of the controller's family dump.
func decodeFamilyDump(m nlconn.Message) (Family, bool, error) {
	if m.Type != controllerID {
		return Family{}, false, nil
	}
	f, err := decodeFamilyMessage(m.Data)
	return f, err == nil, err
}

// decodeFamilyMessage decodes a CTRL_CMD_NEWFAMILY message's payload, its
// generic netlink header included.
func decodeFamilyMessage(b []byte) (Family, error) {
	m, err := ParseMessage(b)
	if err != nil {
		return Family{}, err
	}
	if m.Command != unix.CTRL_CMD_NEWFAMILY {
		return Family{}, fmt.Errorf("controller command %d, want CTRL_CMD_NEWFAMILY", m.Command)
	}
	return decodeFamily(m.Data)
}

// decodeFamily decodes a family's attributes (CTRL_ATTR_*).
func decodeFamily(b []byte) (Family, error) {
	var f Family
	d := attrs.NewDecoder(b)
	for d.Next() {
		switch d.Type() {
		case unix.CTRL_ATTR_FAMILY_ID:
			f.ID = d.Uint16()
		case unix.CTRL_ATTR_FAMILY_NAME:
			f.Name = d.String()
		case unix.CTRL_ATTR_VERSION:
			f.Version = d.Uint32()
		case unix.CTRL_ATTR_HDRSIZE:
			f.HeaderSize = d.Uint32()
		case unix.CTRL_ATTR_MAXATTR:
			f.MaxAttr = d.Uint32()
		case unix.CTRL_ATTR_OPS:
			ops := d.Nested()
			for ops.Next() {
				var op Op
				od := ops.Nested()
				for od.Next() {
					switch od.Type() {
					case unix.CTRL_ATTR_OP_ID:
						op.ID = od.Uint32()
					case unix.CTRL_ATTR_OP_FLAGS:
						op.Flags = OpFlags(od.Uint32())
					}
				}
				if err := od.Err(); err != nil {
					return f, fmt.Errorf("CTRL_ATTR_OPS: %w", err)
				}
				f.Ops = append(f.Ops, op)
			}
			if err := ops.Err(); err != nil {
				return f, fmt.Errorf("CTRL_ATTR_OPS: %w", err)
			}
		case unix.CTRL_ATTR_MCAST_GROUPS:
			groups := d.Nested()
			for groups.Next() {
				var g Group
				gd := groups.Nested()
				for gd.Next() {
					switch gd.Type() {
					case unix.CTRL_ATTR_MCAST_GRP_ID:
						g.ID = gd.Uint32()
					case unix.CTRL_ATTR_MCAST_GRP_NAME:
						g.Name = gd.String()
					}
				}
				if err := gd.Err(); err != nil {
					return f, fmt.Errorf("CTRL_ATTR_MCAST_GROUPS: %w", err)
				}
				f.Groups = append(f.Groups, g)
			}
			if err := groups.Err(); err != nil {
				return f, fmt.Errorf("CTRL_ATTR_MCAST_GROUPS: %w", err)
			}
		}
	}
	if err := d.Err(); err != nil {
		return f, err
	}
	if f.ID == 0 || f.Name == "" {
		return f, fmt.Errorf("family without CTRL_ATTR_FAMILY_ID or CTRL_ATTR_FAMILY_NAME")
	}
	return f, nil
}
