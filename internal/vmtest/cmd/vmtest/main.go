// Command vmtest runs the module's tests under full Debian kernels in QEMU
// (bookworm's 6.1, trixie's 6.12) and on the host, and prints a table of
// package × kernel: pass, skip (with the reasons below it) or FAIL.
//
// Usage, from the module's root, as root:
//
//	go run ./internal/vmtest/cmd/vmtest [flags] [packages] [-- test flags]
//
// Packages default to ./...; test flags go to every test binary, such as
// -test.run=TestLinkAdd. Examples:
//
//	go run ./internal/vmtest/cmd/vmtest -prepare                      # download the kernels
//	go run ./internal/vmtest/cmd/vmtest -kernels trixie -v ./rtnl -- -test.run='^TestVlanAdd$'
//	go run ./internal/vmtest/cmd/vmtest -kernels host,bookworm,trixie -race   # the whole suite
//
// It needs qemu-system-x86, kmod, xz-utils and zstd on the host (.ci/run
// installs them). The binary is also the guest's init: when it runs as
// PID 1 it is inside a VM (see vmtest.Guest); when it is not static, it
// builds a copy of itself with CGO_ENABLED=0 for that. It exits 0 when everything
// passed, 1 when a test failed and 2 when the run itself failed.
package main

import (
	"context"
	"flag"
	"fmt"
	"os"
	"os/exec"
	"os/signal"
	"path/filepath"
	"strings"
	"syscall"
	"time"

	"github.com/nlkit/nlkit/internal/vmtest"
)

func main() {
	if os.Getpid() == 1 {
		vmtest.Guest()
	}
	os.Exit(run())
}

func run() int {
	home, _ := os.UserHomeDir()
	cacheDir := filepath.Join(home, ".cache", "nlkit-vmtest")
	if x := os.Getenv("XDG_CACHE_HOME"); x != "" {
		cacheDir = filepath.Join(x, "nlkit-vmtest")
	}
	var (
		kernels  = flag.String("kernels", "bookworm,trixie", "comma-separated kernels: host, bookworm (6.1), trixie (6.12)")
		verbose  = flag.Bool("v", false, "stream every test's output")
		race     = flag.Bool("race", false, "build the host's test binaries with the race detector")
		prepare  = flag.Bool("prepare", false, "only download and unpack the kernels")
		timeout  = flag.Duration("timeout", 60*time.Minute, "time limit of each kernel's run")
		ttimeout = flag.Duration("test.timeout", 45*time.Minute, "-test.timeout of each test binary")
		cache    = flag.String("cache", cacheDir, "directory of the unpacked kernels")
		mirror   = flag.String("mirror", vmtest.HostMirror(), "Debian mirror")
		pins     = flag.String("pin", "", "comma-separated KERNEL=PACKAGE, such as bookworm=linux-image-6.1.0-57-amd64")
		kargs    = flag.String("kargs", "sysctl.net.core.fb_tunnels_only_for_init_net=2", "guest kernel arguments")
		modules  = flag.String("modules", strings.Join(vmtest.DefaultModules(), ","), "comma-separated modules loaded in the guest")
		mem      = flag.String("mem", "2G", "guest memory")
	)
	flag.Usage = func() {
		fmt.Fprintf(flag.CommandLine.Output(), "usage: vmtest [flags] [packages] [-- test flags]\n")
		flag.PrintDefaults()
	}
	flag.Parse()
	pkgs, testFlags := flag.Args(), []string(nil)
	for i, a := range pkgs {
		if a == "--" {
			pkgs, testFlags = pkgs[:i], pkgs[i+1:]
			break
		}
	}
	if len(pkgs) == 0 {
		pkgs = []string{"./..."}
	}
	root, err := moduleRoot()
	if err != nil {
		fmt.Fprintln(os.Stderr, "vmtest:", err)
		return 2
	}
	pin := map[string]string{}
	for _, p := range split(*pins) {
		k, v, _ := strings.Cut(p, "=")
		pin[k] = v
	}
	c := vmtest.Config{
		Root: root, Packages: pkgs, Kernels: split(*kernels), TestFlags: testFlags,
		TestTimeout: *ttimeout, VMTimeout: *timeout, Race: *race, Verbose: *verbose,
		Cache: *cache, Mirror: *mirror, Pin: pin, KernelArgs: strings.Fields(*kargs),
		Modules: split(*modules), Memory: *mem, Out: os.Stdout,
		InitPackage: "github.com/nlkit/nlkit/internal/vmtest/cmd/vmtest",
	}
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	if *prepare {
		if err := vmtest.Prepare(ctx, c); err != nil {
			fmt.Fprintln(os.Stderr, "vmtest:", err)
			return 2
		}
		return 0
	}
	ok, err := vmtest.Run(ctx, c)
	switch {
	case err != nil:
		fmt.Fprintln(os.Stderr, "vmtest:", err)
		return 2
	case !ok:
		return 1
	}
	return 0
}

// moduleRoot returns the directory of the current module's go.mod.
func moduleRoot() (string, error) {
	out, err := exec.Command("go", "env", "GOMOD").Output()
	if err != nil {
		return "", fmt.Errorf("go env GOMOD: %w", err)
	}
	mod := strings.TrimSpace(string(out))
	if mod == "" || mod == os.DevNull {
		return "", fmt.Errorf("not inside a Go module")
	}
	return filepath.EvalSymlinks(filepath.Dir(mod))
}

// split splits a comma-separated list, leaving out empty items.
func split(s string) []string {
	var items []string
	for _, f := range strings.Split(s, ",") {
		if f = strings.TrimSpace(f); f != "" {
			items = append(items, f)
		}
	}
	return items
}
