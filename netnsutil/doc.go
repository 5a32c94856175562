// Package netnsutil manages network namespaces the way `ip netns` does, and
// runs work inside a namespace without moving the caller's OS thread.
//
// # Named namespaces
//
// A named namespace is a bind mount of a namespace file onto
// /run/netns/NAME, exactly as iproute2 keeps them (its /var/run/netns is
// the same directory on systems where /var/run links to /run): [Add]
// creates one, [Delete] removes the name, [List] lists them with their
// nsids (`ip -j netns list`), [Identify] and [Pids] map between processes
// and names. Namespaces made by nlkit are seen by `ip netns list` and usable
// with `ip -n NAME`, and namespaces made by ip are seen and usable by
// nlkit. Like ip, [Add] makes /run/netns a shared mount (a bind mount onto
// itself first, when it is not a mount point yet), under an exclusive
// flock(2) of the directory, so that the namespace mounts propagate to
// every mount namespace and a [Delete] in one is seen in all.
//
// Deleting a name removes the bind mount; the kernel frees the namespace
// only when nothing refers to it any more. A [NetNS] handle, an rtnl
// connection, a socket or a process in the namespace keeps it alive after
// [Delete], as with ip.
//
// # Handles and work inside a namespace
//
// A [NetNS] is an open descriptor of a namespace, from [Open] (by name),
// [OpenPath], [OpenPID] or [Current]. Pass its descriptor to rtnl to talk
// to the namespace over netlink:
//
//	ns, err := netnsutil.Open("blue")
//	...
//	defer ns.Close()
//	c, err := rtnl.Dial(ctx, rtnl.WithNetNS(ns.FD()))
//
// [Do] runs a function on an OS thread that is in the namespace, for the
// few things that take their namespace from the calling thread (opening a
// socket, reading /proc/thread-self/net). The thread is switched back
// before the runtime may reuse it, and destroyed if that fails. Goroutines
// started inside the function do not inherit the namespace.
//
// # Namespace ids
//
// An nsid is the number by which one namespace refers to another (in
// link-netnsid, for instance). [ID], [SetID], [SetIDAuto], [ListIDs] and
// [ListTargetIDs] read and assign them with RTM_GETNSID and RTM_NEWNSID, as
// `ip netns set` and `ip netns list-id [target-nsid N]` do. They act in the
// caller's namespace, or, with [InNetNS], in another one, as `ip -n NAME`
// would. Reading nsids never assigns any.
//
// # Running commands
//
// [Exec] builds an [exec.Cmd] that runs a command in a named namespace as
// `ip netns exec` does, with a fresh /sys and the files of /etc/netns/NAME
// bind-mounted over /etc, in a mount namespace of its own. See [Exec] for
// how.
//
// # Multicast addresses
//
// [Maddrs], [AddMaddr] and [DeleteMaddr] are `ip maddr show/add/del`. Their
// types marshal with encoding/json to what `ip -j maddr show` prints.
//
// # Errors
//
// A missing namespace, process or device gives an error matching
// [nlkit.ErrNotExist] (which is [io/fs.ErrNotExist]); a name that exists
// already, one matching [nlkit.ErrExist]. A namespace name that is empty,
// "." or "..", longer than 255 bytes or contains '/' gives an error
// matching [ErrInvalidName], before anything is done. A failed [Add] leaves
// nothing behind. Contexts are checked before the work starts (the work
// itself is a few quick system calls) and bound the netlink exchanges.
//
// For tests, the package nstest gives each test a fresh namespace, with
// optional peers joined by veth pairs.
package netnsutil

// Maintainers: the mechanics of /run/netns (preparing it, adding,
// attaching and deleting names) live in internal/netnsdir, and netlink goes
// through internal/nlconn. internal/testns must not import this package or
// nstest: the in-package tests of nlconn and rtnl import internal/testns,
// and this package imports nlconn, so that would be an import cycle in
// those tests. testns and nstest share internal/netnsdir instead.
