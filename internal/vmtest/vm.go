package vmtest

import (
	"bytes"
	"context"
	"debug/elf"
	"encoding/json"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"time"
)

// DefaultModules returns the modules the guest loads before the tests:
// every link kind, tunnel, xfrm and qdisc the tests use, so that none
// depends on autoloading.
func DefaultModules() []string {
	return strings.Fields(`8021q ipvlan macvlan ipip gre ip_gre ip6_gre sit ip6_tunnel ip_vti ip6_vti
		geneve vxlan vrf dummy bonding bridge veth ifb tun macsec wireguard esp4 esp6 ah4 ah6
		xfrm_user xfrm_interface af_key fou ila gtp mpls_router mpls_iptunnel psample
		nf_conntrack nf_conntrack_netlink sch_hfsc sch_sfq l2tp_core l2tp_netlink l2tp_eth l2tp_ip l2tp_ip6`)
}

// A vm boots one kernel and runs one job in it.
type vm struct {
	im image
	// KernelArgs are added to the kernel's command line.
	KernelArgs []string
	// Memory is the guest's memory in qemu's syntax, such as "2G".
	Memory string
	// CPUs is the guest's number of CPUs.
	CPUs int
	// Out receives the output port: the steps' result lines and, when
	// the job is verbose, their output.
	Out io.Writer
	// Log receives the runner's messages.
	Log io.Writer
	// Console, if set, receives a copy of the guest's console (the
	// kernel's log).
	Console string
	// Init is the static binary that becomes the initramfs's /init.
	Init string
}

// run boots the VM and runs j; it returns the job's results and its exit
// status. A boot that dies before the first step (a rare guest panic under
// TCG) is retried, twice at most.
func (v vm) run(ctx context.Context, j job) (results []byte, missing string, status int, err error) {
	for try := 1; ; try++ {
		results, missing, status, started, err := v.boot(ctx, j)
		if started || try == 3 || ctx.Err() != nil {
			return results, missing, status, err
		}
		fmt.Fprintf(v.Log, "vmtest: guest died before the first step (try %d, %v); booting again\n", try, err)
	}
}

func (v vm) boot(ctx context.Context, j job) (results []byte, missing string, status int, started bool, err error) {
	ctl, err := os.MkdirTemp("", "vmtest-")
	if err != nil {
		return nil, "", 0, false, err
	}
	defer os.RemoveAll(ctl)
	b, err := json.Marshal(j)
	if err != nil {
		return nil, "", 0, false, err
	}
	if err := os.WriteFile(filepath.Join(ctl, ctlJob), b, 0o644); err != nil {
		return nil, "", 0, false, err
	}
	initrd := filepath.Join(ctl, "initramfs")
	if err := writeInitramfs(initrd, v.Init, v.im); err != nil {
		return nil, "", 0, false, err
	}
	// The output port goes to a pipe that qemu gets as fd 3 and opens
	// again through /proc/self/fd/3.
	pr, pw, err := os.Pipe()
	if err != nil {
		return nil, "", 0, false, err
	}
	copied := make(chan struct{})
	go func() {
		defer close(copied)
		io.Copy(v.Out, pr)
		pr.Close()
	}()
	var qlog bytes.Buffer
	cmd := exec.CommandContext(ctx, "qemu-system-x86_64", v.qemuArgs(ctl, initrd, j.Workdir)...)
	cmd.Stdout, cmd.Stderr, cmd.ExtraFiles = &qlog, &qlog, []*os.File{pw}
	cmd.WaitDelay = 10 * time.Second
	qerr := cmd.Run()
	pw.Close()
	<-copied
	if v.Console != "" {
		if b, err := os.ReadFile(filepath.Join(ctl, "console.log")); err == nil {
			_ = os.WriteFile(v.Console, b, 0o644)
		}
	}
	_, serr := os.Stat(filepath.Join(ctl, ctlStarted))
	started = serr == nil
	results, _ = os.ReadFile(filepath.Join(ctl, ctlResults))
	m, _ := os.ReadFile(filepath.Join(ctl, ctlMissing))
	missing = strings.TrimSpace(string(m))
	s, err := os.ReadFile(filepath.Join(ctl, ctlStatus))
	if err == nil {
		status, err = strconv.Atoi(strings.TrimSpace(string(s)))
		return results, missing, status, started, err
	}
	if ctx.Err() != nil {
		return results, missing, 0, started, ctx.Err()
	}
	con, _ := os.ReadFile(filepath.Join(ctl, "console.log"))
	return results, missing, 0, started, fmt.Errorf("the VM ended without an exit status (qemu: %v %s); console ends:\n%s",
		qerr, bytes.TrimSpace(qlog.Bytes()), lastLines(con, 15))
}

// qemuArgs returns qemu's command line.
func (v vm) qemuArgs(ctl, initrd, workdir string) []string {
	esc := func(s string) string { return strings.ReplaceAll(s, ",", ",,") }
	cmdline := append([]string{"console=ttyS0", "panic=-1", "rdinit=/init", "mitigations=off", "quiet"}, v.KernelArgs...)
	args := []string{"-machine", "q35", "-m", v.Memory, "-smp", strconv.Itoa(v.CPUs),
		"-nodefaults", "-no-user-config", "-display", "none", "-no-reboot", "-nic", "none"}
	args = append(args, accelArgs()...)
	args = append(args,
		"-kernel", v.im.vmlinux(), "-initrd", initrd, "-append", strings.Join(cmdline, " "),
		"-chardev", "file,id=con,path="+esc(filepath.Join(ctl, "console.log")), "-serial", "chardev:con",
		"-device", "virtio-serial-pci",
		"-chardev", "file,id=out,path=/proc/self/fd/3", "-device", "virtserialport,chardev=out,name="+portOut)
	for _, s := range []struct {
		tag, path, opts string
	}{
		{tagCtl, ctl, ""},
		{tagRoot, "/", ",readonly=on,multidevs=remap"},
		{tagModules, v.im.modules(), ",readonly=on"},
		{tagBoot, v.im.boot(), ",readonly=on"},
		{tagWork, workdir, ",multidevs=remap"},
	} {
		path, _ := filepath.EvalSymlinks(s.path)
		args = append(args, "-fsdev", "local,id="+s.tag+",path="+esc(path)+",security_model=none"+s.opts,
			"-device", "virtio-9p-pci,fsdev="+s.tag+",mount_tag="+s.tag)
	}
	return args
}

// accelArgs chooses KVM when /dev/kvm is usable with a hardware backend
// (kvm_intel or kvm_amd), and TCG otherwise. KVM through kvm_pvm, the
// nested backend of Firecracker hosts, runs only PVM-enabled guests: a
// stock kernel fails there with "KVM internal error".
func accelArgs() []string {
	f, err := os.OpenFile("/dev/kvm", os.O_RDWR, 0)
	if err == nil {
		f.Close()
		for _, m := range []string{"kvm_intel", "kvm_amd"} {
			if _, err := os.Stat("/sys/module/" + m); err == nil {
				return []string{"-accel", "kvm", "-cpu", "host"}
			}
		}
	}
	return []string{"-accel", "tcg,thread=multi", "-cpu", "max"}
}

// writeInitramfs writes the initramfs: initBin, the runner's static binary, as
// /init (it becomes the guest's init, see [Guest]), the boot modules and
// /dev/console.
func writeInitramfs(path, initBin string, im image) error {
	exe, err := os.ReadFile(initBin)
	if err != nil {
		return err
	}
	f, err := os.Create(path)
	if err != nil {
		return err
	}
	defer f.Close()
	c := newCPIOWriter(f)
	for _, d := range []string{"dev", "proc", "sys", "ctl", "modules"} {
		c.Dir(d)
	}
	c.CharDev("dev/console", 5, 1)
	c.File("init", 0o755, exe)
	mods, err := os.ReadDir(im.initModules())
	if err != nil {
		return err
	}
	for _, m := range mods {
		b, err := os.ReadFile(filepath.Join(im.initModules(), m.Name()))
		if err != nil {
			return err
		}
		c.File("modules/"+m.Name(), 0o644, b)
	}
	if err := c.Close(); err != nil {
		return err
	}
	return f.Close()
}

// initBinary returns a static build of the running program, for the
// guest's init, where no dynamic loader is at hand: the program itself when
// it is static, else a build of it with CGO_ENABLED=0 (the package pkg of
// the module in root) into dir.
func initBinary(ctx context.Context, root, pkg, dir string) (string, error) {
	self, err := os.Executable()
	if err != nil {
		return "", err
	}
	f, err := elf.Open(self)
	if err != nil {
		return "", err
	}
	defer f.Close()
	static := true
	for _, p := range f.Progs {
		static = static && p.Type != elf.PT_INTERP
	}
	if static {
		return self, nil
	}
	out := filepath.Join(dir, "vmtest-init")
	cmd := exec.CommandContext(ctx, "go", "build", "-o", out, pkg)
	cmd.Dir, cmd.Env, cmd.Stderr = root, append(os.Environ(), "CGO_ENABLED=0"), os.Stderr
	if err := cmd.Run(); err != nil {
		return "", fmt.Errorf("build a static %s for the guest's init: %w", pkg, err)
	}
	return out, nil
}

// lastLines returns the last n lines of b.
func lastLines(b []byte, n int) string {
	lines := strings.Split(strings.TrimRight(string(b), "\n"), "\n")
	if len(lines) > n {
		lines = lines[len(lines)-n:]
	}
	return strings.Join(lines, "\n")
}
