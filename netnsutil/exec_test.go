package netnsutil_test

import (
	"bytes"
	"errors"
	"io/fs"
	"os"
	"os/exec"
	"strconv"
	"strings"
	"testing"

	"github.com/nlkit/nlkit"
	"github.com/nlkit/nlkit/netnsutil"
	"github.com/nlkit/nlkit/netnsutil/nstest"
)

// execScript prints what `ip netns exec` sets up: the namespace, the
// devices of /sys, a file bind-mounted from /etc/netns/NAME, the
// propagation of / and the /sys mount, and the arguments.
const execScript = `readlink /proc/self/ns/net
ls /sys/class/net
cat /etc/hosts
awk '$5 == "/" { sub(/:[0-9]+/, "", $7); print "root", $7 } $5 == "/sys" { print "sys", $(NF-1), $(NF-2) }' /proc/self/mountinfo
echo "args: $0 $1 $FOO"`

// TestExecMatchesIP runs the same script with Exec and with
// `ip netns exec` and compares their output.
func TestExecMatchesIP(t *testing.T) {
	ns := nstest.New(t, "p0")
	withEtcNetns(t, ns.Name(), "hosts", "10.9.8.7 nlkit-exec-test\n")
	hostHosts, err := os.ReadFile("/etc/hosts")
	if err != nil {
		t.Fatal(err)
	}
	mountsBefore := mountCount(t)

	cmd, err := netnsutil.Exec(ctx(t), ns.Name(), "sh", "-c", execScript, "zero", "one")
	if err != nil {
		t.Fatal(err)
	}
	cmd.Env = append(os.Environ(), "FOO=foo")
	var stdout, stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	if err := cmd.Run(); err != nil {
		t.Fatalf("Run: %v\n%s", err, stderr.Bytes())
	}
	if stderr.Len() > 0 {
		t.Errorf("stderr: %s", stderr.Bytes())
	}

	ipCmd := exec.Command("ip", "netns", "exec", ns.Name(), "sh", "-c", execScript, "zero", "one")
	ipCmd.Env = append(os.Environ(), "FOO=foo")
	want, err := ipCmd.Output()
	if err != nil {
		t.Fatalf("ip netns exec: %v", err)
	}
	if stdout.String() != string(want) {
		t.Errorf("Exec printed:\n%s\nip netns exec printed:\n%s", stdout.Bytes(), want)
	}
	for _, s := range []string{"p0\n", "10.9.8.7 nlkit-exec-test", "sys " + ns.Name() + " sysfs", "args: zero one foo"} {
		if !strings.Contains(stdout.String(), s) {
			t.Errorf("output lacks %q:\n%s", s, stdout.Bytes())
		}
	}
	ino, _ := ns.NetNS().Ino()
	if first, _, _ := strings.Cut(stdout.String(), "\n"); first != "net:["+strconv.FormatUint(ino, 10)+"]" {
		t.Errorf("command ran in %s, want net:[%d]", first, ino)
	}

	// Nothing leaked into the test's own mount namespace.
	if b, _ := os.ReadFile("/etc/hosts"); !bytes.Equal(b, hostHosts) {
		t.Errorf("/etc/hosts changed in the test's mount namespace")
	}
	if n := mountCount(t); n != mountsBefore {
		t.Errorf("mounts: %d before, %d after", mountsBefore, n)
	}
}

func TestExecExitStatus(t *testing.T) {
	ns := nstest.New(t)
	cmd, err := netnsutil.Exec(ctx(t), ns.Name(), "sh", "-c", "read x; echo got $x; exit 7")
	if err != nil {
		t.Fatal(err)
	}
	cmd.Stdin = strings.NewReader("input\n")
	out, err := cmd.Output()
	var ee *exec.ExitError
	if !errors.As(err, &ee) || ee.ExitCode() != 7 {
		t.Errorf("Run = %v, want exit status 7", err)
	}
	if string(out) != "got input\n" {
		t.Errorf("output %q", out)
	}
	// Arguments appended to Args reach the command.
	cmd, err = netnsutil.Exec(ctx(t), ns.Name(), "echo", "a")
	if err != nil {
		t.Fatal(err)
	}
	cmd.Args = append(cmd.Args, "b")
	if out, err := cmd.Output(); err != nil || string(out) != "a b\n" {
		t.Errorf("echo a b = %q, %v", out, err)
	}
}

func TestExecErrors(t *testing.T) {
	ns := nstest.New(t)
	if _, err := netnsutil.Exec(ctx(t), ns.Name(), "nlkit-no-such-command"); !errors.Is(err, exec.ErrNotFound) {
		t.Errorf("Exec(missing command) = %v, want exec.ErrNotFound", err)
	}
	if _, err := netnsutil.Exec(ctx(t), uniqueName("nope"), "true"); !errors.Is(err, nlkit.ErrNotExist) {
		t.Errorf("Exec(missing namespace) = %v, want ErrNotExist", err)
	}

	// The namespace vanishes between Exec and Start: the helper fails
	// like ip, status 255.
	name := addForTest(t, "vanish")
	cmd, err := netnsutil.Exec(ctx(t), name, "true")
	if err != nil {
		t.Fatal(err)
	}
	if err := netnsutil.Delete(ctx(t), name); err != nil {
		t.Fatal(err)
	}
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	err = cmd.Run()
	var ee *exec.ExitError
	if !errors.As(err, &ee) || ee.ExitCode() != 255 {
		t.Errorf("Run = %v, want exit status 255", err)
	}
	if want := `Cannot open network namespace "` + name + `"`; !strings.Contains(stderr.String(), want) {
		t.Errorf("stderr %q, want %q", stderr.String(), want)
	}
}

// withEtcNetns creates /etc/netns/NAME/file for the test.
func withEtcNetns(t *testing.T, name, file, content string) {
	t.Helper()
	const etcNetns = "/etc/netns"
	_, err := os.Stat(etcNetns)
	made := errors.Is(err, fs.ErrNotExist)
	dir := etcNetns + "/" + name
	if err := os.MkdirAll(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		if err := os.RemoveAll(dir); err != nil {
			t.Error(err)
		}
		if made {
			os.Remove(etcNetns) // only if now empty
		}
	})
	if err := os.WriteFile(dir+"/"+file, []byte(content), 0o644); err != nil {
		t.Fatal(err)
	}
}

// mountCount counts the mounts of the test's mount namespace, but for the
// namespace mounts in /run/netns, which other processes add and remove.
func mountCount(t *testing.T) int {
	b, err := os.ReadFile("/proc/self/mountinfo")
	if err != nil {
		t.Fatal(err)
	}
	n := 0
	for line := range strings.Lines(string(b)) {
		if f := strings.Fields(line); len(f) > 4 && !strings.HasPrefix(f[4], netnsutil.RunDir+"/") {
			n++
		}
	}
	return n
}
