package testns_test

import (
	"encoding/json"
	"errors"
	"io/fs"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"testing"

	"golang.org/x/sys/unix"

	"github.com/nlkit/nlkit/internal/testns"
)

func TestNew(t *testing.T) {
	own := nsIdentity(t, "/proc/self/ns/net")
	initial, haveInitial := initialNetns(t)

	var name, path string
	t.Run("create", func(t *testing.T) {
		ns := testns.New(t)
		name, path = ns.Name(), ns.Path()

		if !strings.HasPrefix(name, "nlkit-test-") {
			t.Errorf("Name() = %q, want prefix nlkit-test-", name)
		}
		if want := "/run/netns/" + name; path != want {
			t.Errorf("Path() = %q, want %q", path, want)
		}

		id := nsIdentity(t, path)
		if id == own {
			t.Errorf("namespace %s is the test process's own namespace", name)
		}
		if haveInitial && id == initial {
			t.Errorf("namespace %s is the initial network namespace", name)
		}
		var st unix.Stat_t
		if err := unix.Fstat(ns.FD(), &st); err != nil {
			t.Fatalf("fstat FD(): %v", err)
		}
		if fromFD := (nsID{st.Dev, st.Ino}); fromFD != id {
			t.Errorf("FD() refers to %v, Path() to %v", fromFD, id)
		}

		got := links(t, ns)
		if len(got) != 1 || got[0].Name != "lo" {
			t.Fatalf("links in new namespace = %+v, want only lo", got)
		}
		if got[0].OperState != "DOWN" {
			t.Errorf("lo is %s, want DOWN", got[0].OperState)
		}
	})
	if name == "" {
		t.Skip("no namespace was created")
	}

	if _, err := os.Lstat(path); !errors.Is(err, fs.ErrNotExist) {
		t.Errorf("after cleanup, stat %s: %v, want not exist", path, err)
	}
	out, err := exec.Command("ip", "netns", "list").Output()
	if err != nil {
		t.Fatalf("ip netns list: %v", err)
	}
	for line := range strings.Lines(string(out)) {
		if f := strings.Fields(line); len(f) > 0 && f[0] == name {
			t.Errorf("after cleanup, ip netns list still lists %s", name)
		}
	}
}

func TestThreadsStayInOwnNamespace(t *testing.T) {
	own := nsIdentity(t, "/proc/self/ns/net")

	// Concurrent creation puts the throw-away goroutines on many different
	// threads, the main thread among them.
	t.Run("concurrent", func(t *testing.T) {
		for i := range 8 {
			t.Run(strconv.Itoa(i), func(t *testing.T) {
				t.Parallel()
				for range 5 {
					testns.New(t)
				}
			})
		}
	})
	checkThreads(t, own)

	for range 5 {
		testns.New(t)
	}
	checkThreads(t, own)
}

// checkThreads reports every thread of the process that is not in the
// namespace want.
func checkThreads(t *testing.T, want nsID) {
	t.Helper()
	tasks, err := os.ReadDir("/proc/self/task")
	if err != nil {
		t.Fatal(err)
	}
	for _, task := range tasks {
		var st unix.Stat_t
		err := unix.Stat(filepath.Join("/proc/self/task", task.Name(), "ns/net"), &st)
		if err == unix.ENOENT {
			continue // The thread has exited since ReadDir.
		}
		if err != nil {
			t.Fatal(err)
		}
		if got := (nsID{st.Dev, st.Ino}); got != want {
			t.Errorf("thread %s is in network namespace %v, want %v", task.Name(), got, want)
		}
	}
}

func TestIndependent(t *testing.T) {
	a, b := testns.New(t), testns.New(t)
	a.IP(t, "link", "add", "x", "type", "veth", "peer", "name", "y")

	if got := linkNames(t, a); !slices.Contains(got, "x") || !slices.Contains(got, "y") {
		t.Errorf("links in A = %v, want x and y among them", got)
	}
	if got := linkNames(t, b); !slices.Equal(got, []string{"lo"}) {
		t.Errorf("links in B = %v, want [lo]", got)
	}
}

func TestNoFDLeak(t *testing.T) {
	cycle := func(t *testing.T) {
		ns := testns.New(t)
		ns.IP(t, "link", "show")
	}
	t.Run("warm-up", cycle) // Lets the runtime open whatever it keeps open.
	before := countFDs(t)
	t.Run("cycle", cycle)
	if after := countFDs(t); after != before {
		t.Errorf("open fds: %d before New and cleanup, %d after", before, after)
	}
}

func countFDs(t *testing.T) int {
	t.Helper()
	fds, err := os.ReadDir("/proc/self/fd")
	if err != nil {
		t.Fatal(err)
	}
	return len(fds)
}

// nsID identifies a namespace.
type nsID struct{ dev, ino uint64 }

func nsIdentity(t *testing.T, path string) nsID {
	t.Helper()
	var st unix.Stat_t
	if err := unix.Stat(path, &st); err != nil {
		t.Fatalf("stat %s: %v", path, err)
	}
	return nsID{st.Dev, st.Ino}
}

// initialNetns returns the machine's initial network namespace: that of
// PID 1 or, where that cannot be read, that of the kernel thread kthreadd,
// which is always in the initial namespace.
func initialNetns(t *testing.T) (nsID, bool) {
	t.Helper()
	var st unix.Stat_t
	err := unix.Stat("/proc/1/ns/net", &st)
	if err != nil {
		if comm, _ := os.ReadFile("/proc/2/comm"); string(comm) == "kthreadd\n" {
			err = unix.Stat("/proc/2/ns/net", &st)
		}
	}
	if err != nil {
		t.Logf("cannot identify the initial network namespace: %v", err)
		return nsID{}, false
	}
	return nsID{st.Dev, st.Ino}, true
}

type link struct {
	Name      string `json:"ifname"`
	OperState string `json:"operstate"`
}

// links lists the links in ns.
func links(t *testing.T, ns *testns.NS) []link {
	t.Helper()
	var ls []link
	if err := json.Unmarshal(ns.IP(t, "-j", "link", "show"), &ls); err != nil {
		t.Fatalf("parsing ip -j link show: %v", err)
	}
	return ls
}

// linkNames lists the names of the links in ns, sorted.
func linkNames(t *testing.T, ns *testns.NS) []string {
	t.Helper()
	var names []string
	for _, l := range links(t, ns) {
		names = append(names, l.Name)
	}
	slices.Sort(names)
	return names
}
