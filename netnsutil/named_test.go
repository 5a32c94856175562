package netnsutil_test

import (
	"errors"
	"io/fs"
	"os"
	"os/exec"
	"slices"
	"strconv"
	"strings"
	"syscall"
	"testing"

	"golang.org/x/sys/unix"

	"github.com/nlkit/nlkit"
	"github.com/nlkit/nlkit/netnsutil"
	"github.com/nlkit/nlkit/rtnl"
)

// TestAddSeenByIP creates a namespace with nlkit and uses it with ip.
func TestAddSeenByIP(t *testing.T) {
	needRoot(t)
	name := uniqueName("add")
	if err := netnsutil.Add(ctx(t), name); err != nil {
		t.Fatalf("Add: %v", err)
	}
	t.Cleanup(func() { cleanupName(t, name) })

	if !slices.Contains(ipNames(t), name) {
		t.Errorf("ip netns list does not list %s", name)
	}
	if own := nsIno(t, "/proc/self/ns/net"); nsIno(t, netnsutil.RunDir+"/"+name) == own {
		t.Errorf("the new namespace is the process's own")
	}
	// ip can work in it: it is empty but for lo.
	ip(t, "-n", name, "link", "add", "d0", "type", "ifb")
	if out := string(ip(t, "-n", name, "-br", "link", "show")); !strings.Contains(out, "lo ") || !strings.Contains(out, "d0 ") || strings.Count(out, "\n") != 2 {
		t.Errorf("links in %s:\n%s", name, out)
	}
	// A second Add of the name fails and leaves the first intact.
	if err := netnsutil.Add(ctx(t), name); !errors.Is(err, nlkit.ErrExist) {
		t.Errorf("second Add = %v, want ErrExist", err)
	}
	if out := string(ip(t, "-n", name, "-br", "link", "show", "d0")); !strings.HasPrefix(out, "d0 ") {
		t.Errorf("after the failed Add, d0 is gone: %q", out)
	}

	if err := netnsutil.Delete(ctx(t), name); err != nil {
		t.Fatalf("Delete: %v", err)
	}
	if slices.Contains(ipNames(t), name) {
		t.Errorf("ip netns list still lists %s after Delete", name)
	}
	if _, err := os.Lstat(netnsutil.RunDir + "/" + name); !errors.Is(err, fs.ErrNotExist) {
		t.Errorf("after Delete, stat: %v", err)
	}
	if err := netnsutil.Delete(ctx(t), name); !errors.Is(err, nlkit.ErrNotExist) {
		t.Errorf("second Delete = %v, want ErrNotExist", err)
	}
}

// TestIPAddSeenByNlkit creates a namespace with ip and uses it with nlkit.
func TestIPAddSeenByNlkit(t *testing.T) {
	needRoot(t)
	name := uniqueName("ipadd")
	ip(t, "netns", "add", name)
	t.Cleanup(func() { cleanupName(t, name) })
	ip(t, "-n", name, "link", "add", "d0", "type", "ifb")

	list, err := netnsutil.List(ctx(t))
	if err != nil {
		t.Fatal(err)
	}
	if !slices.ContainsFunc(list, func(n netnsutil.NamedNS) bool { return n.Name == name && n.ID == -1 }) {
		t.Errorf("List = %v, want %s without an id among them", list, name)
	}

	ns, err := netnsutil.Open(name)
	if err != nil {
		t.Fatal(err)
	}
	defer ns.Close()
	if ino, _ := ns.Ino(); ino != nsIno(t, netnsutil.RunDir+"/"+name) {
		t.Errorf("Ino() = %d, want that of %s", ino, name)
	}
	c, err := rtnl.Dial(ctx(t), rtnl.WithNetNS(ns.FD()))
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	if _, err := c.LinkByName(ctx(t), "d0"); err != nil {
		t.Errorf("rtnl in %s: LinkByName(d0): %v", name, err)
	}

	if err := netnsutil.Delete(ctx(t), name); err != nil {
		t.Fatalf("Delete: %v", err)
	}
	if slices.Contains(ipNames(t), name) {
		t.Errorf("ip netns list still lists %s after Delete", name)
	}
}

// TestListMatchesIP compares List with `ip -j netns list`, nsids included.
func TestListMatchesIP(t *testing.T) {
	needRoot(t)
	a := addForTest(t, "lista")
	addForTest(t, "listb")
	// An nsid for a in the namespace of b is not visible here; give a one
	// in a scratch namespace and compare the listing from there too.
	scratch := addForTest(t, "lists")
	sns, err := netnsutil.Open(scratch)
	if err != nil {
		t.Fatal(err)
	}
	defer sns.Close()
	if err := netnsutil.SetID(ctx(t), a, 5, netnsutil.InNetNS(sns)); err != nil {
		t.Fatal(err)
	}

	eventually(t, "ip -j netns list", func() (string, string) {
		list, err := netnsutil.List(ctx(t))
		if err != nil {
			t.Fatal(err)
		}
		return marshal(t, list), strings.TrimSuffix(string(ip(t, "-j", "netns", "list")), "\n")
	})
	eventually(t, "ip -n SCRATCH -j netns list", func() (string, string) {
		list, err := netnsutil.List(ctx(t), netnsutil.InNetNS(sns))
		if err != nil {
			t.Fatal(err)
		}
		return marshal(t, list), strings.TrimSuffix(string(ip(t, "-n", scratch, "-j", "netns", "list")), "\n")
	})
	list, err := netnsutil.List(ctx(t), netnsutil.InNetNS(sns))
	if err != nil {
		t.Fatal(err)
	}
	if !slices.Contains(list, netnsutil.NamedNS{Name: a, ID: 5}) {
		t.Errorf("List in scratch = %v, want {%s 5} among them", list, a)
	}
}

// TestDeleteWhileHeld deletes the name of a namespace nlkit holds open:
// as with the kernel's own rules, the namespace lives on, usable through the
// handle, until the handle is closed.
func TestDeleteWhileHeld(t *testing.T) {
	needRoot(t)
	name := addForTest(t, "held")
	watcher := addForTest(t, "watch")
	ip(t, "-n", name, "link", "add", "d0", "type", "ifb")
	ns, err := netnsutil.Open(name)
	if err != nil {
		t.Fatal(err)
	}
	defer ns.Close()
	ino := nsIno(t, ns.Path())

	// The watcher gives the namespace an nsid; the kernel removes it when
	// the namespace dies, which makes its death visible.
	wns, err := netnsutil.Open(watcher)
	if err != nil {
		t.Fatal(err)
	}
	defer wns.Close()
	if err := netnsutil.SetID(ctx(t), name, 3, netnsutil.InNetNS(wns)); err != nil {
		t.Fatal(err)
	}

	if err := netnsutil.Delete(ctx(t), name); err != nil {
		t.Fatal(err)
	}
	if _, err := netnsutil.Open(name); !errors.Is(err, nlkit.ErrNotExist) {
		t.Errorf("Open after Delete = %v, want ErrNotExist", err)
	}

	// Still alive through the handle: same inode, its link still there.
	if got, _ := ns.Ino(); got != ino {
		t.Errorf("handle's inode %d, want %d", got, ino)
	}
	var dev []byte
	err = netnsutil.Do(ns, func() error {
		var err error
		dev, err = os.ReadFile("/proc/thread-self/net/dev")
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(string(dev), "d0:") {
		t.Errorf("the deleted namespace lost d0:\n%s", dev)
	}
	ids, err := netnsutil.ListIDs(ctx(t), netnsutil.InNetNS(wns))
	if err != nil {
		t.Fatal(err)
	}
	if !slices.Contains(ids, netnsutil.PeerID{NSID: 3, CurrentNSID: -1}) {
		t.Errorf("watcher's nsids = %v while the handle is open, want {3 \"\"} (no name any more)", ids)
	}

	// Closing the last reference frees it; the kernel drops the nsid
	// shortly afterwards (namespace cleanup is asynchronous).
	if err := ns.Close(); err != nil {
		t.Fatal(err)
	}
	if ns.FD() != -1 {
		t.Errorf("FD() after Close = %d, want -1", ns.FD())
	}
	if err := ns.Close(); !errors.Is(err, os.ErrClosed) {
		t.Errorf("second Close = %v, want os.ErrClosed", err)
	}
	for range 500 {
		ids, err = netnsutil.ListIDs(ctx(t), netnsutil.InNetNS(wns))
		if err != nil {
			t.Fatal(err)
		}
		if len(ids) == 0 {
			return
		}
		waitABit()
	}
	t.Errorf("watcher still has nsids %v after the handle was closed", ids)
}

func TestBadNames(t *testing.T) {
	before, _ := netnsutil.List(ctx(t))
	for _, name := range []string{"", ".", "..", "a/b", "/abs", "../x", "nul\x00", strings.Repeat("x", 256)} {
		if err := netnsutil.Add(ctx(t), name); !errors.Is(err, netnsutil.ErrInvalidName) {
			t.Errorf("Add(%q) = %v, want ErrInvalidName", name, err)
		}
		if err := netnsutil.Delete(ctx(t), name); !errors.Is(err, netnsutil.ErrInvalidName) {
			t.Errorf("Delete(%q) = %v, want ErrInvalidName", name, err)
		}
		if _, err := netnsutil.Open(name); !errors.Is(err, netnsutil.ErrInvalidName) {
			t.Errorf("Open(%q) = %v, want ErrInvalidName", name, err)
		}
		if _, err := netnsutil.Pids(ctx(t), name); !errors.Is(err, netnsutil.ErrInvalidName) {
			t.Errorf("Pids(%q) = %v, want ErrInvalidName", name, err)
		}
		if err := netnsutil.SetID(ctx(t), name, 1); !errors.Is(err, netnsutil.ErrInvalidName) {
			t.Errorf("SetID(%q) = %v, want ErrInvalidName", name, err)
		}
		if _, err := netnsutil.Exec(ctx(t), name, "true"); !errors.Is(err, netnsutil.ErrInvalidName) {
			t.Errorf("Exec(%q) = %v, want ErrInvalidName", name, err)
		}
	}
	if err := netnsutil.ValidateName(strings.Repeat("x", 255)); err != nil {
		t.Errorf("ValidateName(255 bytes) = %v", err)
	}
	after, _ := netnsutil.List(ctx(t))
	for _, n := range after {
		if !slices.ContainsFunc(before, func(b netnsutil.NamedNS) bool { return b.Name == n.Name }) && strings.HasPrefix(n.Name, "nlkit-t-") {
			t.Errorf("new namespace %s after the failed calls", n.Name)
		}
	}
}

func TestMissing(t *testing.T) {
	name := uniqueName("missing")
	if err := netnsutil.Delete(ctx(t), name); !errors.Is(err, nlkit.ErrNotExist) || !errors.Is(err, fs.ErrNotExist) {
		t.Errorf("Delete(missing) = %v, want ErrNotExist", err)
	}
	if _, err := netnsutil.Open(name); !errors.Is(err, nlkit.ErrNotExist) {
		t.Errorf("Open(missing) = %v, want ErrNotExist", err)
	}
	if _, err := netnsutil.Pids(ctx(t), name); !errors.Is(err, nlkit.ErrNotExist) {
		t.Errorf("Pids(missing) = %v, want ErrNotExist", err)
	}
	if _, err := netnsutil.ID(ctx(t), name); !errors.Is(err, nlkit.ErrNotExist) {
		t.Errorf("ID(missing) = %v, want ErrNotExist", err)
	}
	if _, err := netnsutil.SetIDAuto(ctx(t), name); !errors.Is(err, nlkit.ErrNotExist) {
		t.Errorf("SetIDAuto(missing) = %v, want ErrNotExist", err)
	}
	if _, err := netnsutil.Exec(ctx(t), name, "true"); !errors.Is(err, nlkit.ErrNotExist) {
		t.Errorf("Exec(missing) = %v, want ErrNotExist", err)
	}
	const noPID = 1 << 30 // above pid_max
	if _, err := netnsutil.Identify(ctx(t), noPID); !errors.Is(err, nlkit.ErrNotExist) {
		t.Errorf("Identify(no such pid) = %v, want ErrNotExist", err)
	}
	if _, err := netnsutil.OpenPID(noPID); !errors.Is(err, nlkit.ErrNotExist) {
		t.Errorf("OpenPID(no such pid) = %v, want ErrNotExist", err)
	}
	for _, pid := range []int{0, -1} {
		if _, err := netnsutil.Identify(ctx(t), pid); err == nil {
			t.Errorf("Identify(%d) succeeded", pid)
		}
		if _, err := netnsutil.OpenPID(pid); err == nil {
			t.Errorf("OpenPID(%d) succeeded", pid)
		}
	}
	if _, err := netnsutil.OpenPath("/proc/self/stat"); err == nil {
		t.Error("OpenPath(a regular file) succeeded")
	}
	if _, err := netnsutil.OpenPath("/proc/self/ns/uts"); err == nil {
		t.Error("OpenPath(a UTS namespace) succeeded")
	}
}

// TestAttachFailureLeavesNothing attaches a process that does not exist.
func TestAttachFailureLeavesNothing(t *testing.T) {
	needRoot(t)
	name := uniqueName("attach")
	t.Cleanup(func() { cleanupName(t, name) })
	if err := netnsutil.Attach(ctx(t), name, 1<<30); !errors.Is(err, nlkit.ErrNotExist) {
		t.Errorf("Attach(no such pid) = %v, want ErrNotExist", err)
	}
	if _, err := os.Lstat(netnsutil.RunDir + "/" + name); !errors.Is(err, fs.ErrNotExist) {
		t.Errorf("after the failed Attach, stat: %v", err)
	}
	if err := netnsutil.Attach(ctx(t), name, 0); err == nil {
		t.Error("Attach(pid 0) succeeded")
	}
}

// TestIdentifyAndPids runs a process in a namespace, names its namespace a
// second time with Attach, and compares Identify and Pids with ip.
func TestIdentifyAndPids(t *testing.T) {
	needRoot(t)
	name := addForTest(t, "ident")
	cmd, err := netnsutil.Exec(ctx(t), name, "sleep", "60")
	if err != nil {
		t.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { cmd.Process.Kill(); cmd.Wait() })
	pid := cmd.Process.Pid
	// Wait for the helper to have switched and executed sleep.
	for i := 0; ; i++ {
		if b, _ := os.ReadFile("/proc/" + strconv.Itoa(pid) + "/comm"); string(b) == "sleep\n" {
			break
		}
		if i == 1000 {
			t.Fatal("the command did not start")
		}
		waitABit()
	}

	names, err := netnsutil.Identify(ctx(t), pid)
	if err != nil {
		t.Fatal(err)
	}
	if !slices.Equal(names, []string{name}) {
		t.Errorf("Identify(%d) = %q, want [%s]", pid, names, name)
	}
	if out := strings.TrimSpace(string(ip(t, "netns", "identify", strconv.Itoa(pid)))); out != name {
		t.Errorf("ip netns identify = %q, want %q", out, name)
	}
	pids, err := netnsutil.Pids(ctx(t), name)
	if err != nil {
		t.Fatal(err)
	}
	if !slices.Equal(pids, []int{pid}) {
		t.Errorf("Pids(%s) = %v, want [%d]", name, pids, pid)
	}
	if out := strings.TrimSpace(string(ip(t, "netns", "pids", name))); out != strconv.Itoa(pid) {
		t.Errorf("ip netns pids = %q, want %d", out, pid)
	}

	// A second name for the same namespace.
	alias := uniqueName("alias")
	if err := netnsutil.Attach(ctx(t), alias, pid); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { cleanupName(t, alias) })
	if got, want := nsIno(t, netnsutil.RunDir+"/"+alias), nsIno(t, netnsutil.RunDir+"/"+name); got != want {
		t.Errorf("attached namespace %d, want %d", got, want)
	}
	names, err = netnsutil.Identify(ctx(t), pid)
	if err != nil {
		t.Fatal(err)
	}
	slices.Sort(names)
	want := []string{name, alias}
	slices.Sort(want)
	if !slices.Equal(names, want) {
		t.Errorf("Identify after Attach = %q, want %q", names, want)
	}
	// ip prints only the last match in directory order.
	if out := strings.TrimSpace(string(ip(t, "netns", "identify", strconv.Itoa(pid)))); !slices.Contains(names, out) {
		t.Errorf("ip netns identify = %q, want one of %q", out, names)
	}
	if err := netnsutil.Delete(ctx(t), alias); err != nil {
		t.Fatal(err)
	}

	// The test process itself has no name (it is in the host namespace,
	// which nobody named here: compare with ip rather than assume).
	self, err := netnsutil.Identify(ctx(t), os.Getpid())
	if err != nil {
		t.Fatal(err)
	}
	ipSelf := strings.TrimSpace(string(ip(t, "netns", "identify", strconv.Itoa(os.Getpid()))))
	if (len(self) == 0) != (ipSelf == "") {
		t.Errorf("Identify(self) = %q, ip says %q", self, ipSelf)
	}
}

// TestOpenPIDAndCurrent checks that the handles of the different openers
// agree.
func TestOpenPIDAndCurrent(t *testing.T) {
	cur, err := netnsutil.Current()
	if err != nil {
		t.Fatal(err)
	}
	defer cur.Close()
	self, err := netnsutil.OpenPID(os.Getpid())
	if err != nil {
		t.Fatal(err)
	}
	defer self.Close()
	a, _ := cur.Ino()
	b, _ := self.Ino()
	if a != b || a != nsIno(t, "/proc/self/ns/net") {
		t.Errorf("Current %d, OpenPID(self) %d, /proc/self/ns/net %d", a, b, nsIno(t, "/proc/self/ns/net"))
	}
	if want := "/proc/" + strconv.Itoa(os.Getpid()) + "/fd/" + strconv.Itoa(cur.FD()); cur.Path() != want {
		t.Errorf("Current().Path() = %q, want %q", cur.Path(), want)
	}
	if p, _ := os.Readlink(cur.Path()); !strings.HasPrefix(p, "net:[") {
		t.Errorf("readlink %s = %q", cur.Path(), p)
	}
	flags, err := unix.FcntlInt(uintptr(cur.FD()), unix.F_GETFD, 0)
	if err != nil || flags&unix.FD_CLOEXEC == 0 {
		t.Errorf("FD() flags %#x, %v: want FD_CLOEXEC", flags, err)
	}
}

// runDirHelperEnv makes TestRunDirHelper run: in a child process with a
// mount namespace of its own.
const runDirHelperEnv = "NLKIT_NETNSUTIL_RUNDIR_HELPER"

// TestAddMakesRunDirAMount checks that Add turns a /run/netns that is not a
// mount point into a shared one, as ip does. It runs TestRunDirHelper in a
// child with a private mount namespace, where /run/netns is unmounted first;
// nothing of it reaches the test's own mount namespace.
func TestAddMakesRunDirAMount(t *testing.T) {
	needRoot(t)
	name := uniqueName("rundir")
	t.Cleanup(func() { cleanupName(t, name) })
	cmd := exec.Command(os.Args[0], "-test.run=^TestRunDirHelper$", "-test.v", "-test.count=1")
	cmd.Env = append(os.Environ(), runDirHelperEnv+"="+name)
	cmd.SysProcAttr = &syscall.SysProcAttr{Unshareflags: syscall.CLONE_NEWNS} // and / made private
	out, err := cmd.CombinedOutput()
	if err == nil && strings.Contains(string(out), "--- SKIP: TestRunDirHelper") {
		t.Skipf("helper skipped:\n%s", out)
	}
	if err != nil || !strings.Contains(string(out), "--- PASS: TestRunDirHelper") {
		t.Fatalf("helper: %v\n%s", err, out)
	}
	if _, err := os.Lstat(netnsutil.RunDir + "/" + name); !errors.Is(err, fs.ErrNotExist) {
		t.Errorf("after the helper, stat: %v", err)
	}
}

func TestRunDirHelper(t *testing.T) {
	name := os.Getenv(runDirHelperEnv)
	if name == "" {
		t.Skip("runs as a helper of TestAddMakesRunDirAMount")
	}
	if err := unix.Unmount(netnsutil.RunDir, unix.MNT_DETACH); err != nil {
		t.Skipf("cannot unmount %s in the private mount namespace: %v", netnsutil.RunDir, err)
	}
	if m := runDirMount(t); m != "" {
		t.Fatalf("%s still a mount point: %s", netnsutil.RunDir, m)
	}
	if err := netnsutil.Add(ctx(t), name); err != nil {
		t.Fatal(err)
	}
	defer netnsutil.Delete(ctx(t), name)
	m := runDirMount(t)
	if m == "" || !strings.Contains(m, " shared:") {
		t.Errorf("%s after Add: %q, want a shared mount", netnsutil.RunDir, m)
	}
	ns, err := netnsutil.Open(name)
	if err != nil {
		t.Fatal(err)
	}
	ns.Close()
	// A second Add leaves a single mount on /run/netns.
	other := name + "-2"
	if err := netnsutil.Add(ctx(t), other); err != nil {
		t.Fatal(err)
	}
	defer netnsutil.Delete(ctx(t), other)
	if n := len(runDirMounts(t)); n != 1 {
		t.Errorf("%d mounts on %s, want 1", n, netnsutil.RunDir)
	}
}

// runDirMount returns the mountinfo line of the top mount on /run/netns,
// or "".
func runDirMount(t *testing.T) string {
	mounts := runDirMounts(t)
	if len(mounts) == 0 {
		return ""
	}
	return mounts[len(mounts)-1]
}

// runDirMounts returns the mountinfo lines of the mounts on /run/netns,
// found by their mount point (the fifth field: the fourth, the root within
// the mounted file system, depends on where /run comes from).
func runDirMounts(t *testing.T) []string {
	b, err := os.ReadFile("/proc/self/mountinfo")
	if err != nil {
		t.Fatal(err)
	}
	var mounts []string
	for line := range strings.Lines(string(b)) {
		if f := strings.Fields(line); len(f) > 4 && f[4] == netnsutil.RunDir {
			mounts = append(mounts, strings.TrimSpace(line))
		}
	}
	return mounts
}
