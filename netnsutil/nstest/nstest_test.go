package nstest_test

import (
	"encoding/json"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"slices"
	"strings"
	"syscall"
	"testing"

	"golang.org/x/sys/unix"

	"github.com/nlkit/nlkit/netnsutil"
	"github.com/nlkit/nlkit/netnsutil/nstest"
)

func TestNew(t *testing.T) {
	var name, path string
	t.Run("create", func(t *testing.T) {
		ns := nstest.New(t)
		name, path = ns.Name(), ns.Path()
		if !strings.HasPrefix(name, nstest.NamePrefix) {
			t.Errorf("Name() = %q, want prefix %q", name, nstest.NamePrefix)
		}
		if want := netnsutil.RunDir + "/" + name; path != want {
			t.Errorf("Path() = %q, want %q", path, want)
		}
		if ns.NetNS().FD() != ns.FD() {
			t.Errorf("NetNS().FD() = %d, FD() = %d", ns.NetNS().FD(), ns.FD())
		}
		var st, own unix.Stat_t
		if err := unix.Fstat(ns.FD(), &st); err != nil {
			t.Fatal(err)
		}
		unix.Stat("/proc/self/ns/net", &own)
		if st.Ino == own.Ino {
			t.Error("the namespace is the test's own")
		}
		flags, err := unix.FcntlInt(uintptr(ns.FD()), unix.F_GETFD, 0)
		if err != nil || flags&unix.FD_CLOEXEC == 0 {
			t.Errorf("FD() flags %#x, %v; want FD_CLOEXEC", flags, err)
		}
		if got := links(t, name); !slices.Equal(got, []string{"lo DOWN"}) {
			t.Errorf("links = %q, want [lo DOWN]", got)
		}
		if ns.Peer("x") != nil {
			t.Error("Peer of an unknown label is not nil")
		}
	})
	if name == "" {
		t.Skip("no namespace was made")
	}
	if slices.Contains(ipNetnsList(t), name) {
		t.Errorf("%s still listed after the test", name)
	}
	if _, err := os.Lstat(path); !os.IsNotExist(err) {
		t.Errorf("after the test, stat %s: %v", path, err)
	}
}

func TestPeers(t *testing.T) {
	var names []string
	t.Run("create", func(t *testing.T) {
		ns := nstest.New(t, "left", "right")
		names = []string{ns.Name()}
		if got := links(t, ns.Name()); !slices.Equal(got, []string{"left DOWN", "lo DOWN", "right DOWN"}) {
			t.Errorf("links of the main namespace = %q", got)
		}
		for _, label := range []string{"left", "right"} {
			p := ns.Peer(label)
			if p == nil {
				t.Fatalf("Peer(%q) = nil", label)
			}
			names = append(names, p.Name())
			if want := ns.Name() + "-" + label; p.Name() != want {
				t.Errorf("peer name %q, want %q", p.Name(), want)
			}
			if got := links(t, p.Name()); !slices.Equal(got, []string{nstest.PeerLink + " DOWN", "lo DOWN"}) {
				t.Errorf("links of peer %s = %q", label, got)
			}
			// The veth's other end is in another namespace: the main one,
			// where it has the index of the link named label.
			var l []struct {
				LinkIndex   int  `json:"link_index"`
				LinkNetNSID *int `json:"link_netnsid"`
			}
			out := ip(t, "-n", p.Name(), "-j", "link", "show", nstest.PeerLink)
			if err := json.Unmarshal(out, &l); err != nil || len(l) != 1 || l[0].LinkNetNSID == nil {
				t.Fatalf("ip -n %s link show %s: %s", p.Name(), nstest.PeerLink, out)
			}
			var m []struct {
				Index int `json:"ifindex"`
			}
			out = ip(t, "-n", ns.Name(), "-j", "link", "show", label)
			if err := json.Unmarshal(out, &m); err != nil || len(m) != 1 || m[0].Index != l[0].LinkIndex {
				t.Errorf("peer %s: eth0's link index %d, the index of %s in the main namespace: %s", label, l[0].LinkIndex, label, out)
			}
		}
		// The pair carries traffic once up and addressed.
		ip(t, "-n", ns.Name(), "addr", "add", "192.0.2.1/24", "dev", "left")
		ip(t, "-n", ns.Peer("left").Name(), "addr", "add", "192.0.2.2/24", "dev", nstest.PeerLink)
		ip(t, "-n", ns.Name(), "link", "set", "left", "up")
		ip(t, "-n", ns.Peer("left").Name(), "link", "set", nstest.PeerLink, "up")
		ip(t, "-n", ns.Name(), "neigh", "add", "192.0.2.2", "lladdr", "02:00:00:00:00:01", "dev", "left")
		ip(t, "-n", ns.Name(), "route", "get", "192.0.2.2")
	})
	if len(names) != 3 {
		t.Fatalf("made %q", names)
	}
	list := ipNetnsList(t)
	for _, n := range names {
		if slices.Contains(list, n) {
			t.Errorf("%s still listed after the test", n)
		}
	}
}

// fakeTB records a Fatalf and stops the goroutine, as testing does.
type fakeTB struct {
	testing.TB
	fatal    string
	cleanups []func()
}

func (f *fakeTB) Helper()           {}
func (f *fakeTB) Cleanup(fn func()) { f.cleanups = append(f.cleanups, fn) }
func (f *fakeTB) Fatalf(format string, args ...any) {
	f.fatal = fmt.Sprintf(format, args...)
	runtime.Goexit()
}

func TestBadLabels(t *testing.T) {
	for _, labels := range [][]string{
		{""}, {"lo"}, {"a/b"}, {"a b"}, {"a:b"}, {"."}, {"abcdefghijklmnop"}, {"x", "x"},
	} {
		f := &fakeTB{TB: t}
		done := make(chan struct{})
		go func() {
			defer close(done)
			nstest.New(f, labels...)
		}()
		<-done
		if f.fatal == "" {
			t.Errorf("New(%q) did not fail", labels)
		}
		if len(f.cleanups) != 0 {
			t.Errorf("New(%q) made something before failing", labels)
		}
	}
}

// TestSkipWithoutPrivilege runs TestNew again as an unprivileged user: it
// must skip, saying why.
func TestSkipWithoutPrivilege(t *testing.T) {
	if os.Geteuid() != 0 {
		t.Skip("runs as root only: it drops to uid 65534")
	}
	exe, err := os.Executable()
	if err != nil {
		t.Fatal(err)
	}
	dir, err := os.MkdirTemp("", "nstest-skip-")
	if err != nil {
		t.Fatal(err)
	}
	defer os.RemoveAll(dir)
	if err := os.Chmod(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	bin := filepath.Join(dir, "nstest.test")
	if err := copyFile(bin, exe); err != nil {
		t.Fatal(err)
	}
	cmd := exec.Command(bin, "-test.run=^TestNew$", "-test.v", "-test.count=1")
	cmd.Dir = dir
	cmd.SysProcAttr = &syscall.SysProcAttr{Credential: &syscall.Credential{Uid: 65534, Gid: 65534}}
	out, err := cmd.CombinedOutput()
	if err != nil {
		t.Fatalf("unprivileged run: %v\n%s", err, out)
	}
	if !strings.Contains(string(out), "--- SKIP: TestNew") || !strings.Contains(string(out), "needs root") {
		t.Errorf("unprivileged run did not skip with a reason:\n%s", out)
	}
}

func copyFile(dst, src string) error {
	in, err := os.Open(src)
	if err != nil {
		return err
	}
	defer in.Close()
	out, err := os.OpenFile(dst, os.O_CREATE|os.O_WRONLY|os.O_EXCL, 0o755)
	if err != nil {
		return err
	}
	if _, err := io.Copy(out, in); err != nil {
		out.Close()
		return err
	}
	return out.Close()
}

func TestNoLeak(t *testing.T) {
	cycle := func(t *testing.T) { nstest.New(t, "a") }
	t.Run("warm-up", cycle)
	before := countFDs(t)
	t.Run("cycle", cycle)
	if after := countFDs(t); after != before {
		t.Errorf("open fds: %d before, %d after", before, after)
	}
}

func countFDs(t *testing.T) int {
	fds, err := os.ReadDir("/proc/self/fd")
	if err != nil {
		t.Fatal(err)
	}
	return len(fds)
}

func ip(t *testing.T, args ...string) []byte {
	t.Helper()
	out, err := exec.Command("ip", args...).CombinedOutput()
	if err != nil {
		t.Fatalf("ip %s: %v\n%s", strings.Join(args, " "), err, out)
	}
	return out
}

// links returns "name OPERSTATE"… of the namespace's links, sorted.
func links(t *testing.T, ns string) []string {
	t.Helper()
	var ls []struct {
		Name  string   `json:"ifname"`
		Flags []string `json:"flags"`
	}
	if err := json.Unmarshal(ip(t, "-n", ns, "-j", "link", "show"), &ls); err != nil {
		t.Fatal(err)
	}
	var out []string
	for _, l := range ls {
		state := "DOWN"
		if slices.Contains(l.Flags, "UP") {
			state = "UP"
		}
		out = append(out, l.Name+" "+state)
	}
	slices.Sort(out)
	return out
}

func ipNetnsList(t *testing.T) []string {
	var names []string
	for line := range strings.Lines(string(ip(t, "netns", "list"))) {
		if f := strings.Fields(line); len(f) > 0 {
			names = append(names, f[0])
		}
	}
	return names
}
