package netnsutil_test

import (
	"bytes"
	"context"
	"crypto/rand"
	"encoding/hex"
	"encoding/json"
	"errors"
	"io/fs"
	"os"
	"os/exec"
	"strings"
	"testing"
	"time"

	"golang.org/x/sys/unix"

	"github.com/nlkit/nlkit/netnsutil"
)

// needRoot skips tests that create namespaces when not root.
func needRoot(t testing.TB) {
	t.Helper()
	if os.Geteuid() != 0 {
		t.Skip("needs root (CAP_SYS_ADMIN) to create network namespaces")
	}
}

// ctx returns a context for one test step.
func ctx(t testing.TB) context.Context {
	c, cancel := context.WithTimeout(context.Background(), time.Minute)
	t.Cleanup(cancel)
	return c
}

// uniqueName returns a namespace name no one uses.
func uniqueName(tag string) string {
	var b [4]byte
	rand.Read(b[:])
	return "nlkit-t-" + tag + "-" + hex.EncodeToString(b[:])
}

// ip runs ip with args and returns its standard output, failing the test
// if it fails.
func ip(t testing.TB, args ...string) []byte {
	t.Helper()
	out, err := ipErr(args...)
	if err != nil {
		t.Fatalf("ip %s: %v", strings.Join(args, " "), err)
	}
	return out
}

func ipErr(args ...string) ([]byte, error) {
	var stdout, stderr bytes.Buffer
	cmd := exec.Command("ip", args...)
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	if err := cmd.Run(); err != nil {
		return nil, errors.Join(err, errors.New(strings.TrimSpace(stderr.String())))
	}
	return stdout.Bytes(), nil
}

// ipNames returns the names `ip netns list` prints.
func ipNames(t testing.TB) []string {
	t.Helper()
	var names []string
	for line := range strings.Lines(string(ip(t, "netns", "list"))) {
		if f := strings.Fields(line); len(f) > 0 {
			names = append(names, f[0])
		}
	}
	return names
}

// addForTest adds a namespace with nlkit and deletes it at cleanup if it
// still exists.
func addForTest(t testing.TB, tag string) string {
	t.Helper()
	name := uniqueName(tag)
	if err := netnsutil.Add(ctx(t), name); err != nil {
		t.Fatalf("Add(%s): %v", name, err)
	}
	t.Cleanup(func() { cleanupName(t, name) })
	return name
}

// cleanupName removes a leftover name, if any.
func cleanupName(t testing.TB, name string) {
	path := netnsutil.RunDir + "/" + name
	if _, err := os.Lstat(path); errors.Is(err, fs.ErrNotExist) {
		return
	}
	unix.Unmount(path, unix.MNT_DETACH)
	if err := os.Remove(path); err != nil {
		t.Errorf("cleanup %s: %v", path, err)
	}
}

// marshal encodes v as ip prints JSON (without the final newline).
func marshal(t testing.TB, v any) string {
	t.Helper()
	var b bytes.Buffer
	enc := json.NewEncoder(&b)
	enc.SetEscapeHTML(false)
	if err := enc.Encode(v); err != nil {
		t.Fatal(err)
	}
	return strings.TrimSuffix(b.String(), "\n")
}

// eventually retries check, which compares nlkit with ip, a few times:
// other processes may change /run/netns between the two reads.
func eventually(t testing.TB, what string, check func() (got, want string)) {
	t.Helper()
	var got, want string
	for range 10 {
		got, want = check()
		if got == want {
			return
		}
		time.Sleep(50 * time.Millisecond)
	}
	t.Errorf("%s:\nnlkit: %s\nip:    %s", what, got, want)
}

// nsIno returns the inode of the namespace at path.
func nsIno(t testing.TB, path string) uint64 {
	t.Helper()
	var st unix.Stat_t
	if err := unix.Stat(path, &st); err != nil {
		t.Fatalf("stat %s: %v", path, err)
	}
	return st.Ino
}

// waitABit pauses a polling loop.
func waitABit() { time.Sleep(10 * time.Millisecond) }
