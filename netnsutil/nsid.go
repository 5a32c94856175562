package netnsutil

import (
	"context"
	"errors"
	"fmt"
	"os"

	"golang.org/x/sys/unix"

	"github.com/nlkit/nlkit/attrs"
	"github.com/nlkit/nlkit/internal/jsonw"
	"github.com/nlkit/nlkit/internal/netnsdir"
	"github.com/nlkit/nlkit/internal/nlconn"
)

// rtgenmsgLen is struct rtgenmsg (one byte, the family) with its padding.
const rtgenmsgLen = 4

// dumpRetries is how many times ListIDs dumps again after an interrupted
// dump.
const dumpRetries = 4

// An idQuery asks the kernel about nsids over an rtnetlink connection in
// the chosen namespace.
type idQuery struct {
	c *nlconn.Conn
}

func newIDQuery(ctx context.Context, o options) (*idQuery, error) {
	c, err := nlconn.Dial(ctx, unix.NETLINK_ROUTE, nlconn.Config{NetNS: o.nsFD(), DumpRetries: dumpRetries})
	if err != nil {
		return nil, fmt.Errorf("netnsutil: %w", err)
	}
	return &idQuery{c: c}, nil
}

func (q *idQuery) close() { q.c.Close() }

// nsidRequest builds an rtgenmsg followed by NETNSA_FD fd and, when
// withID, NETNSA_NSID id.
func nsidRequest(fd int, withID bool, id int32) []byte {
	var e attrs.Encoder
	e.Reset(make([]byte, rtgenmsgLen, 32)) // family AF_UNSPEC
	e.Uint32(unix.NETNSA_FD, uint32(fd))
	if withID {
		e.Int32(unix.NETNSA_NSID, id)
	}
	return e.Bytes()
}

// parseNSID decodes an RTM_NEWNSID message: its NETNSA_NSID and
// NETNSA_CURRENT_NSID (-1 when absent).
func parseNSID(m nlconn.Message) (nsid, current int, err error) {
	if len(m.Data) < rtgenmsgLen {
		return 0, 0, fmt.Errorf("netlink: RTM_NEWNSID of %d bytes is too short", len(m.Data))
	}
	nsid, current = -2, -1
	d := attrs.NewDecoder(m.Data[rtgenmsgLen:])
	for d.Next() {
		switch d.Type() {
		case unix.NETNSA_NSID:
			nsid = int(d.Int32())
		case unix.NETNSA_CURRENT_NSID:
			current = int(d.Int32())
		}
	}
	if err := d.Err(); err != nil {
		return 0, 0, err
	}
	if nsid == -2 {
		return 0, 0, errors.New("netlink: RTM_NEWNSID without NETNSA_NSID")
	}
	return nsid, current, nil
}

// idOf returns the nsid of the namespace at path, or -1.
func (q *idQuery) idOf(ctx context.Context, path string) (int, error) {
	fd, err := unix.Open(path, unix.O_RDONLY|unix.O_CLOEXEC, 0)
	if err != nil {
		return -1, &os.PathError{Op: "open", Path: path, Err: err}
	}
	defer unix.Close(fd)
	return q.idOfFD(ctx, fd)
}

func (q *idQuery) idOfFD(ctx context.Context, fd int) (int, error) {
	id := -1
	err := q.c.Execute(ctx, "netnsutil: get nsid", unix.RTM_GETNSID, 0, nsidRequest(fd, false, 0), func(m nlconn.Message) error {
		if m.Type != unix.RTM_NEWNSID {
			return nil
		}
		nsid, _, err := parseNSID(m)
		if err != nil {
			return err
		}
		id = nsid
		return nil
	})
	if err != nil {
		return -1, err
	}
	if id < 0 {
		id = -1
	}
	return id, nil
}

// ID returns the nsid that the caller's namespace (or that of [InNetNS])
// has given the named namespace, or -1 if it has given none. A missing
// name gives an error matching [nlkit.ErrNotExist].
func ID(ctx context.Context, name string, opts ...Option) (int, error) {
	id := -1
	err := queryNamed(ctx, name, opts, func(q *idQuery, fd int) (err error) {
		id, err = q.idOfFD(ctx, fd)
		return err
	})
	return id, err
}

// queryNamed opens the named namespace, and an idQuery in the namespace
// opts choose, and calls fn with the query and the named namespace's
// descriptor.
func queryNamed(ctx context.Context, name string, opts []Option, fn func(q *idQuery, fd int) error) error {
	o, err := getOptions(opts)
	if err != nil {
		return err
	}
	ns, err := Open(name)
	if err != nil {
		return err
	}
	defer ns.Close()
	q, err := newIDQuery(ctx, o)
	if err != nil {
		return err
	}
	defer q.close()
	return fn(q, ns.fd)
}

// SetID gives the named namespace the nsid id (0 or more) in the caller's
// namespace (or that of [InNetNS]), as `ip netns set NAME ID` does. The
// kernel refuses, with an error matching [nlkit.ErrExist], if the namespace
// has an nsid already or id is taken.
func SetID(ctx context.Context, name string, id int, opts ...Option) error {
	if id < 0 || id > 1<<31-1 {
		return fmt.Errorf("netnsutil: set nsid of %s: invalid nsid %d: it must be 0 or more", name, id)
	}
	_, err := setID(ctx, name, int32(id), opts)
	return err
}

// SetIDAuto has the kernel choose an nsid for the named namespace in the
// caller's namespace (or that of [InNetNS]), as `ip netns set NAME auto`
// does, and returns it. If the namespace has an nsid already, the error
// matches [nlkit.ErrExist].
func SetIDAuto(ctx context.Context, name string, opts ...Option) (int, error) {
	return setID(ctx, name, -1, opts)
}

func setID(ctx context.Context, name string, id int32, opts []Option) (int, error) {
	got := -1
	err := queryNamed(ctx, name, opts, func(q *idQuery, fd int) error {
		op := fmt.Sprintf("netnsutil: set nsid of %s", name)
		if err := q.c.Execute(ctx, op, unix.RTM_NEWNSID, 0, nsidRequest(fd, true, id), nil); err != nil {
			return err
		}
		if id >= 0 {
			got = int(id)
			return nil
		}
		var err error
		got, err = q.idOfFD(ctx, fd)
		if err == nil && got < 0 {
			err = fmt.Errorf("%s: the kernel assigned no nsid", op)
		}
		return err
	})
	return got, err
}

// A PeerID is an nsid that a namespace has given one of its peers, as
// `ip netns list-id` lists them.
type PeerID struct {
	// NSID is the nsid.
	NSID int
	// CurrentNSID is, for [ListTargetIDs], the nsid that the listing
	// namespace has given the same peer; -1 when it has given none, and
	// always -1 from [ListIDs].
	CurrentNSID int
	// Name is the peer's name in /run/netns (the first, in directory
	// order, to which the listing namespace has given that nsid), or "" when
	// it has none. It is looked up as ip does: by CurrentNSID when set,
	// else by NSID, even for [ListTargetIDs], where NSID is the target's.
	Name string
}

// ListIDs lists the nsids that the caller's namespace (or that of
// [InNetNS]) has given to other namespaces, with the names of those found
// in /run/netns, as `ip -j netns list-id` does.
func ListIDs(ctx context.Context, opts ...Option) ([]PeerID, error) {
	return listIDs(ctx, -1, opts)
}

// ListTargetIDs lists the nsids that another namespace, the one the
// caller's namespace (or that of [InNetNS]) knows by the nsid target, has
// given to its peers, as `ip -j netns list-id target-nsid TARGET` does.
// Each comes with CurrentNSID, the listing namespace's own nsid for the same
// peer. An unknown target is an error (the kernel's EINVAL).
func ListTargetIDs(ctx context.Context, target int, opts ...Option) ([]PeerID, error) {
	if target < 0 || target > 1<<31-1 {
		return nil, fmt.Errorf("netnsutil: list nsids: invalid target nsid %d: it must be 0 or more", target)
	}
	return listIDs(ctx, target, opts)
}

func listIDs(ctx context.Context, target int, opts []Option) ([]PeerID, error) {
	o, err := getOptions(opts)
	if err != nil {
		return nil, err
	}
	q, err := newIDQuery(ctx, o)
	if err != nil {
		return nil, err
	}
	defer q.close()
	var e attrs.Encoder
	e.Reset(make([]byte, rtgenmsgLen, 16))
	if target >= 0 {
		e.Int32(unix.NETNSA_TARGET_NSID, int32(target))
	}
	req := e.Bytes()
	ids, err := nlconn.Collect(ctx, q.c, "netnsutil: list nsids", unix.RTM_GETNSID, 0, req, func(m nlconn.Message) (PeerID, bool, error) {
		if m.Type != unix.RTM_NEWNSID {
			return PeerID{}, false, nil
		}
		nsid, current, err := parseNSID(m)
		return PeerID{NSID: nsid, CurrentNSID: current}, err == nil, err
	})
	if err != nil {
		return nil, err
	}
	if len(ids) == 0 {
		return []PeerID{}, nil
	}
	// Name each nsid after the first /run/netns entry that has it.
	ns, err := names()
	if err != nil {
		return nil, err
	}
	byID := make(map[int]string)
	for _, name := range ns {
		id, err := q.idOf(ctx, netnsdir.Path(name))
		if err != nil && ctx.Err() != nil {
			return nil, ctx.Err()
		}
		if err != nil || id < 0 {
			continue
		}
		if _, ok := byID[id]; !ok {
			byID[id] = name
		}
	}
	for i := range ids {
		p := &ids[i]
		name, ok := "", false
		if p.CurrentNSID >= 0 {
			name, ok = byID[p.CurrentNSID]
		}
		if !ok && p.NSID >= 0 {
			name = byID[p.NSID]
		}
		p.Name = name
	}
	return ids, nil
}

// MarshalJSON encodes the entry as `ip -j netns list` (iproute2 6.1) prints
// it: {"name":…,"id":…}, without "id" when there is none.
func (n NamedNS) MarshalJSON() ([]byte, error) {
	var w jsonw.Writer
	w.Open("")
	w.String("name", n.Name)
	if n.ID >= 0 {
		w.Int("id", int64(n.ID))
	}
	w.Close()
	return w.Bytes(), nil
}

// MarshalJSON encodes the entry as `ip -j netns list-id` (iproute2 6.1)
// prints it: {"nsid":…,"current-nsid":…,"name":…}, without "current-nsid"
// when it is negative and without "name" when there is none.
func (p PeerID) MarshalJSON() ([]byte, error) {
	var w jsonw.Writer
	w.Open("")
	if p.NSID >= 0 {
		w.Int("nsid", int64(p.NSID))
	}
	if p.CurrentNSID >= 0 {
		w.Int("current-nsid", int64(p.CurrentNSID))
	}
	if p.Name != "" {
		w.String("name", p.Name)
	}
	w.Close()
	return w.Bytes(), nil
}
