package netnsutil

import (
	"context"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"strconv"

	"golang.org/x/sys/unix"

	"github.com/nlkit/nlkit/internal/netnsdir"
)

// Add creates a new, empty network namespace named name, as
// `ip netns add NAME` does: it is bind-mounted onto /run/netns/NAME, where
// `ip netns` sees it. The namespace is made on a thread of its own that
// returns to its namespace afterwards; the caller's thread never moves.
//
// A name in use gives an error matching [nlkit.ErrExist], an invalid one
// an error matching [ErrInvalidName]. Without privilege (CAP_SYS_ADMIN) the
// error matches [io/fs.ErrPermission]. On failure nothing is left behind.
func Add(ctx context.Context, name string) error {
	return named(ctx, "add", name, netnsdir.Add)
}

// Attach gives the network namespace of the process pid the name name, as
// `ip netns attach NAME PID` does. A missing process gives an error
// matching [nlkit.ErrNotExist].
func Attach(ctx context.Context, name string, pid int) error {
	if pid <= 0 {
		return fmt.Errorf("netnsutil: attach %s: invalid pid %d", name, pid)
	}
	src := "/proc/" + strconv.Itoa(pid) + "/ns/net"
	return named(ctx, "attach", name, func(name string) error { return netnsdir.Attach(name, src) })
}

// Delete removes the name of a namespace, as `ip netns delete NAME` does:
// the bind mount is detached and the file removed. The namespace itself is
// freed by the kernel once nothing refers to it: open handles ([NetNS],
// rtnl connections), sockets and processes in it keep it alive. A missing
// name gives an error matching [nlkit.ErrNotExist].
func Delete(ctx context.Context, name string) error {
	return named(ctx, "delete", name, netnsdir.Delete)
}

// named checks ctx and name, then does op, the netnsdir function fn, on
// the name.
func named(ctx context.Context, op, name string, fn func(name string) error) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	if err := ValidateName(name); err != nil {
		return err
	}
	if err := fn(name); err != nil {
		return fmt.Errorf("netnsutil: %s %s: %w", op, name, err)
	}
	return nil
}

// names lists the entries of /run/netns in directory order, as ip does; a
// missing directory has none.
func names() ([]string, error) {
	dir, err := os.Open(RunDir)
	if errors.Is(err, fs.ErrNotExist) {
		return nil, nil
	}
	if err != nil {
		return nil, fmt.Errorf("netnsutil: %w", err)
	}
	defer dir.Close()
	var out []string
	for {
		ents, err := dir.ReadDir(256)
		for _, e := range ents {
			out = append(out, e.Name())
		}
		if err == io.EOF {
			return out, nil
		}
		if err != nil {
			return nil, fmt.Errorf("netnsutil: %w", err)
		}
	}
}

// A NamedNS is one entry of /run/netns, as `ip netns list` shows it.
type NamedNS struct {
	// Name is the namespace's name.
	Name string
	// ID is the nsid the listing namespace has given this one, or -1 when
	// it has given none (or the entry is not a namespace).
	ID int
}

// List lists the named namespaces in /run/netns, in directory order, with
// the nsid that the caller's namespace (or that of [InNetNS]) has given
// each, as `ip -j netns list` does.
func List(ctx context.Context, opts ...Option) ([]NamedNS, error) {
	o, err := getOptions(opts)
	if err != nil {
		return nil, err
	}
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	ns, err := names()
	if err != nil {
		return nil, err
	}
	out := make([]NamedNS, 0, len(ns))
	if len(ns) == 0 {
		return out, nil
	}
	q, err := newIDQuery(ctx, o)
	if err != nil {
		return nil, err
	}
	defer q.close()
	for _, name := range ns {
		id, err := q.idOf(ctx, netnsdir.Path(name))
		if err != nil && ctx.Err() != nil {
			return nil, ctx.Err()
		}
		if err != nil {
			id = -1 // ip lists the entry without an id
		}
		out = append(out, NamedNS{Name: name, ID: id})
	}
	return out, nil
}

// Identify returns the names of the network namespace of the process pid,
// in the order of /run/netns, or none if it has no name. A missing process
// gives an error matching [nlkit.ErrNotExist].
//
// `ip netns identify PID` prints only the last of several names for the
// same namespace; Identify returns them all.
func Identify(ctx context.Context, pid int) ([]string, error) {
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	if pid <= 0 {
		return nil, fmt.Errorf("netnsutil: identify: invalid pid %d", pid)
	}
	var want unix.Stat_t
	path := "/proc/" + strconv.Itoa(pid) + "/ns/net"
	if err := unix.Stat(path, &want); err != nil {
		return nil, fmt.Errorf("netnsutil: identify pid %d: %w", pid, &os.PathError{Op: "stat", Path: path, Err: err})
	}
	ns, err := names()
	if err != nil {
		return nil, err
	}
	var out []string
	for _, name := range ns {
		var st unix.Stat_t
		if unix.Stat(netnsdir.Path(name), &st) == nil && st.Dev == want.Dev && st.Ino == want.Ino {
			out = append(out, name)
		}
	}
	return out, nil
}

// Pids returns the processes whose network namespace is the named one, in
// the order of /proc, as `ip netns pids NAME` does. Only processes count
// (their main threads), not other threads. A missing name gives an error
// matching [nlkit.ErrNotExist].
func Pids(ctx context.Context, name string) ([]int, error) {
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	path, err := namePath(name)
	if err != nil {
		return nil, err
	}
	var want unix.Stat_t
	if err := unix.Stat(path, &want); err != nil {
		return nil, fmt.Errorf("netnsutil: pids %s: %w", name, &os.PathError{Op: "stat", Path: path, Err: err})
	}
	proc, err := os.Open("/proc")
	if err != nil {
		return nil, fmt.Errorf("netnsutil: pids %s: %w", name, err)
	}
	defer proc.Close()
	ents, err := proc.ReadDir(-1)
	if err != nil {
		return nil, fmt.Errorf("netnsutil: pids %s: %w", name, err)
	}
	var out []int
	for i, e := range ents {
		if i%256 == 0 {
			if err := ctx.Err(); err != nil {
				return nil, err
			}
		}
		pid, err := strconv.Atoi(e.Name())
		if err != nil || pid <= 0 {
			continue
		}
		var st unix.Stat_t
		if unix.Stat("/proc/"+e.Name()+"/ns/net", &st) == nil && st.Dev == want.Dev && st.Ino == want.Ino {
			out = append(out, pid)
		}
	}
	return out, nil
}
