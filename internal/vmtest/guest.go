package vmtest

import (
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"time"

	"golang.org/x/sys/unix"
)

// Guest is the guest's init (PID 1): the runner's own binary, built without
// cgo, is the initramfs's /init. It loads the modules that reach the 9p
// shares, builds the guest's root (the host's / read-only under a tmpfs
// overlay, the work directory read-write at its host path, the kernel's
// modules), loads the test modules, runs the job's steps and powers off.
// It never returns.
func Guest() {
	if err := guest(); err != nil {
		fmt.Println("vmtest guest:", err)
	}
	unix.Sync()
	unix.Reboot(unix.LINUX_REBOOT_CMD_RESTART) // qemu runs with -no-reboot: it exits
	select {}
}

// guestRoot is where the guest's root is assembled before it becomes /.
const guestRoot = "/newroot"

func guest() error {
	for _, m := range []struct{ fs, dir string }{{"proc", "/proc"}, {"sysfs", "/sys"}, {"devtmpfs", "/dev"}} {
		if err := mount(m.fs, m.dir, m.fs, 0, ""); err != nil {
			return err
		}
	}
	if err := insmodAll("/modules"); err != nil {
		return err
	}
	if err := mount(tagCtl, "/ctl", "9p", 0, "trans=virtio,version=9p2000.L"); err != nil {
		return err
	}
	b, err := os.ReadFile("/ctl/" + ctlJob)
	if err != nil {
		return err
	}
	var j job
	if err := json.Unmarshal(b, &j); err != nil {
		return fmt.Errorf("%s: %v", ctlJob, err)
	}
	if err := buildRoot(j); err != nil {
		return err
	}
	if err := switchRoot(); err != nil {
		return err
	}
	return runSteps(j)
}

// ninep are the mount options of the 9p shares.
const ninep = "trans=virtio,version=9p2000.L,msize=262144"

// buildRoot assembles the guest's root under guestRoot and loads the test
// modules.
func buildRoot(j job) error {
	r := guestRoot
	steps := []struct {
		src, dir, fs string
		flags        uintptr
		data         string
	}{
		{tagRoot, "/lower", "9p", unix.MS_RDONLY, ninep + ",cache=loose"},
		{"upper", "/upper", "tmpfs", 0, "mode=0755"},
	}
	for _, m := range steps {
		if err := mount(m.src, m.dir, m.fs, m.flags, m.data); err != nil {
			return err
		}
	}
	for _, d := range []string{"/upper/u", "/upper/w"} {
		if err := os.MkdirAll(d, 0o755); err != nil {
			return err
		}
	}
	if err := mount("root", r, "overlay", 0, "lowerdir=/lower,upperdir=/upper/u,workdir=/upper/w"); err != nil {
		return err
	}
	mounts := []struct {
		src, dir, fs string
		flags        uintptr
		data         string
	}{
		{"tmpfs", r + "/run", "tmpfs", 0, "mode=0755"},
		{"tmpfs", r + "/tmp", "tmpfs", 0, "mode=1777"},
		{"tmpfs", r + "/var/tmp", "tmpfs", 0, "mode=1777"},
		{tagModules, r + "/lib/modules/" + j.Release, "9p", unix.MS_RDONLY, ninep + ",cache=loose"},
		{tagBoot, r + "/boot", "9p", unix.MS_RDONLY, ninep + ",cache=loose"},
		{tagWork, r + j.Workdir, "9p", 0, ninep},
	}
	for _, m := range mounts {
		if err := mount(m.src, m.dir, m.fs, m.flags, m.data); err != nil {
			return err
		}
	}
	for _, d := range []string{"/proc", "/sys", "/dev"} {
		if err := move(d, r+d); err != nil {
			return err
		}
	}
	if err := loadModules(j.Modules); err != nil {
		return err
	}
	if err := unix.Sethostname([]byte("vmtest")); err != nil {
		return err
	}
	if err := os.WriteFile(r+"/etc/hosts", []byte("127.0.0.1\tlocalhost vmtest\n::1\tlocalhost ip6-localhost ip6-loopback\n"), 0o644); err != nil {
		return err
	}
	if err := loUp(); err != nil {
		return err
	}
	special := []struct{ src, dir, fs, data string }{
		{"devpts", r + "/dev/pts", "devpts", "ptmxmode=666,gid=5,mode=620"},
		{"shm", r + "/dev/shm", "tmpfs", "mode=1777"},
		{"mqueue", r + "/dev/mqueue", "mqueue", ""},
		{"cgroup2", r + "/sys/fs/cgroup", "cgroup2", ""},
		{"bpf", r + "/sys/fs/bpf", "bpf", ""},
		{"debugfs", r + "/sys/kernel/debug", "debugfs", ""},
	}
	for _, m := range special {
		if err := mount(m.src, m.dir, m.fs, 0, m.data); err != nil {
			return err
		}
	}
	return move("/ctl", r+"/run/vmtest")
}

// loadModules loads mods with the host's modprobe (kmod's, which knows
// soft dependencies) inside the new root, and lists in the control share
// the modules that did not load. dummy, bonding and ifb create no device
// by themselves.
func loadModules(mods []string) error {
	conf := "options dummy numdummies=0\noptions bonding max_bonds=0\noptions ifb numifbs=0\n"
	if err := os.MkdirAll(guestRoot+"/etc/modprobe.d", 0o755); err != nil {
		return err
	}
	if err := os.WriteFile(guestRoot+"/etc/modprobe.d/vmtest.conf", []byte(conf), 0o644); err != nil {
		return err
	}
	cmd := exec.Command("/sbin/modprobe", append([]string{"-a"}, mods...)...)
	cmd.SysProcAttr = &unix.SysProcAttr{Chroot: guestRoot}
	cmd.Dir = "/"
	cmd.Stdin, cmd.Stdout, cmd.Stderr = os.Stdin, os.Stdout, os.Stdout // os/exec would open /dev/null, which moved
	if err := cmd.Run(); err != nil {
		fmt.Println("vmtest guest: modprobe:", err)
	}
	var missing []string
	for _, m := range mods {
		if _, err := os.Stat(guestRoot + "/sys/module/" + strings.ReplaceAll(m, "-", "_")); err != nil {
			missing = append(missing, m)
		}
	}
	if len(missing) == 0 {
		return nil
	}
	return os.WriteFile("/ctl/"+ctlMissing, []byte(strings.Join(missing, " ")+"\n"), 0o644)
}

// switchRoot makes guestRoot the root, as switch_root does: PID 1 of an
// initramfs cannot pivot_root, so the new root is moved onto / and entered
// with chroot.
func switchRoot() error {
	if err := os.Chdir(guestRoot); err != nil {
		return err
	}
	if err := unix.Mount(".", "/", "", unix.MS_MOVE, ""); err != nil {
		return fmt.Errorf("move the new root onto /: %w", err)
	}
	if err := unix.Chroot("."); err != nil {
		return fmt.Errorf("chroot: %w", err)
	}
	if err := os.Chdir("/"); err != nil {
		return err
	}
	// As under systemd: mounts made in a test's mount namespace (ip netns
	// add's bind mounts) propagate.
	return unix.Mount("", "/", "", unix.MS_REC|unix.MS_SHARED, "")
}

// runSteps runs the job's steps, records their results in the control
// share and prints a go-test-like line for each on the output port.
func runSteps(j job) error {
	out, err := openPort(portOut)
	if err != nil {
		return err
	}
	defer out.Close()
	if err := os.WriteFile("/run/vmtest/"+ctlStarted, nil, 0o644); err != nil {
		return err
	}
	fmt.Println("vmtest: running the steps")
	results, err := os.OpenFile("/run/vmtest/"+ctlResults, os.O_WRONLY|os.O_CREATE|os.O_APPEND, 0o644)
	if err != nil {
		return err
	}
	failed := 0
	for _, s := range j.Steps {
		code, secs := runStep(j, s, out)
		if code != 0 {
			failed++
			fmt.Fprintf(out, "FAIL\t%s\t%.3fs (exit %d)\n", s.Name, secs, code)
		} else {
			fmt.Fprintf(out, "ok  \t%s\t%.3fs\n", s.Name, secs)
		}
		if _, err := fmt.Fprintf(results, "%s\t%d\t%.3f\n", s.Name, code, secs); err != nil {
			return err
		}
	}
	if err := results.Close(); err != nil {
		return err
	}
	status := "0\n"
	if failed > 0 {
		status = "1\n"
	}
	return os.WriteFile("/run/vmtest/"+ctlStatus, []byte(status), 0o644)
}

// runStep runs s with its output in its log (and on out when the job is
// verbose), and returns its exit code (-1 when it could not start) and
// duration.
func runStep(j job, s step, out io.Writer) (int, float64) {
	t0 := time.Now()
	log, err := os.Create(s.Log)
	if err != nil {
		fmt.Fprintf(out, "vmtest: %s: %v\n", s.Name, err)
		return -1, 0
	}
	defer log.Close()
	var w io.Writer = log
	if j.Verbose {
		w = io.MultiWriter(log, out)
	}
	cmd := exec.Command(s.Args[0], s.Args[1:]...)
	cmd.Dir, cmd.Env, cmd.Stdout, cmd.Stderr = s.Dir, j.Env, w, w
	err = cmd.Run()
	secs := time.Since(t0).Seconds()
	var exit *exec.ExitError
	switch {
	case err == nil:
		return 0, secs
	case errors.As(err, &exit) && exit.ExitCode() > 0:
		return exit.ExitCode(), secs
	default:
		fmt.Fprintf(w, "vmtest: %s: %v\n", s.Name, err)
		return -1, secs
	}
}

// openPort opens the virtio serial port named name.
func openPort(name string) (*os.File, error) {
	ports, _ := filepath.Glob("/sys/class/virtio-ports/*")
	for _, p := range ports {
		b, err := os.ReadFile(p + "/name")
		if err == nil && strings.TrimSpace(string(b)) == name {
			return os.OpenFile("/dev/"+filepath.Base(p), os.O_WRONLY, 0)
		}
	}
	return nil, fmt.Errorf("no virtio port named %s", name)
}

// insmodAll loads the modules in dir, which are in load order by name.
func insmodAll(dir string) error {
	ents, err := os.ReadDir(dir)
	if err != nil {
		return err
	}
	for _, e := range ents {
		b, err := os.ReadFile(dir + "/" + e.Name())
		if err != nil {
			return err
		}
		if err := unix.InitModule(b, ""); err != nil && !errors.Is(err, unix.EEXIST) {
			return fmt.Errorf("insmod %s: %w", e.Name(), err)
		}
	}
	return nil
}

// mount creates dir and mounts src there.
func mount(src, dir, fstype string, flags uintptr, data string) error {
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return err
	}
	if err := unix.Mount(src, dir, fstype, flags, data); err != nil {
		return fmt.Errorf("mount %s (%s) on %s: %w", src, fstype, dir, err)
	}
	return nil
}

// move moves the mount at from to to.
func move(from, to string) error {
	if err := os.MkdirAll(to, 0o755); err != nil {
		return err
	}
	if err := unix.Mount(from, to, "", unix.MS_MOVE, ""); err != nil {
		return fmt.Errorf("move mount %s to %s: %w", from, to, err)
	}
	return nil
}

// loUp sets the loopback device up.
func loUp() error {
	fd, err := unix.Socket(unix.AF_INET, unix.SOCK_DGRAM|unix.SOCK_CLOEXEC, 0)
	if err != nil {
		return err
	}
	defer unix.Close(fd)
	ifr, err := unix.NewIfreq("lo")
	if err != nil {
		return err
	}
	if err := unix.IoctlIfreq(fd, unix.SIOCGIFFLAGS, ifr); err != nil {
		return fmt.Errorf("lo flags: %w", err)
	}
	ifr.SetUint16(ifr.Uint16() | unix.IFF_UP)
	if err := unix.IoctlIfreq(fd, unix.SIOCSIFFLAGS, ifr); err != nil {
		return fmt.Errorf("lo up: %w", err)
	}
	return nil
}
