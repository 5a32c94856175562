package vmtest

import (
	"bufio"
	"bytes"
	"context"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"time"

	"golang.org/x/sys/unix"
)

// Config says what a run tests and where.
type Config struct {
	// Root is the module's root directory. It is shared read-write with
	// the guests; the test binaries and logs go to Root/.vmtest.
	Root string
	// Packages are the `go list` patterns of the packages to test.
	Packages []string
	// Kernels are the kernels to test on: [Host], "bookworm" (Debian 12,
	// Linux 6.1) and "trixie" (Debian 13, Linux 6.12). They run at the same
	// time.
	Kernels []string
	// TestFlags are passed to every test binary, such as "-test.run=Link".
	TestFlags []string
	// TestTimeout is each test binary's -test.timeout.
	TestTimeout time.Duration
	// VMTimeout bounds each kernel's whole run.
	VMTimeout time.Duration
	// Race builds the host's test binaries with the race detector.
	Race bool
	// Verbose streams every test's output (besides the logs).
	Verbose bool
	// Cache is the directory of the Debian kernels.
	Cache string
	// Mirror is the Debian mirror the kernels come from.
	Mirror string
	// Pin maps a VM kernel name to the Debian kernel package to use
	// instead of the one linux-image-amd64 depends on.
	Pin map[string]string
	// KernelArgs are added to the guest kernels' command lines.
	KernelArgs []string
	// Modules are loaded in the guest before the tests.
	Modules []string
	// Memory is each guest's memory, such as "2G".
	Memory string
	// Out receives progress and the report.
	Out io.Writer
	// InitPackage is the runner's main package, built without cgo for the
	// guest's init when the running binary is not static.
	InitPackage string
}

// A pkg is a package with tests.
type pkg struct {
	Path, Dir string
}

// binName returns the file name of the package's test binary.
func (c Config) binName(p pkg) string {
	rel, err := filepath.Rel(c.Root, p.Dir)
	if err != nil || rel == "." {
		rel = "root"
	}
	return strings.ReplaceAll(rel, "/", "_") + ".test"
}

// scratch returns the run's directory, Root/.vmtest.
func (c Config) scratch(elem ...string) string {
	return filepath.Join(append([]string{c.Root, ".vmtest"}, elem...)...)
}

// Run builds the test binaries of the packages, runs them on every kernel
// and writes a report: a table of package × kernel, the skipped features
// and the failures. It reports whether everything passed.
func Run(ctx context.Context, c Config) (bool, error) {
	c.Out = &lockedWriter{w: c.Out}
	pkgs, err := listPackages(ctx, c.Root, c.Packages)
	if err != nil {
		return false, err
	}
	if len(pkgs) == 0 {
		return false, fmt.Errorf("no package with tests matches %v", c.Packages)
	}
	kernels, err := c.prepare(ctx)
	if err != nil {
		return false, err
	}
	if err := c.build(ctx, pkgs, kernels); err != nil {
		return false, err
	}
	initBin, err := initBinary(ctx, c.Root, c.InitPackage, c.scratch())
	if err != nil {
		return false, err
	}
	var wg sync.WaitGroup
	for _, k := range kernels {
		if err := os.MkdirAll(c.scratch(k.name), 0o755); err != nil {
			return false, err
		}
		wg.Add(1)
		go func() {
			defer wg.Done()
			t0 := time.Now()
			k.err = c.runKernel(ctx, k, pkgs, initBin)
			k.took = time.Since(t0)
			fmt.Fprintf(c.Out, "vmtest: %s: done in %s\n", k.label, k.took.Round(time.Second))
		}()
	}
	wg.Wait()
	return c.report(ctx, pkgs, kernels), nil
}

// Prepare makes sure the VM kernels are in the cache, downloading and
// unpacking them when they are not.
func Prepare(ctx context.Context, c Config) error {
	_, err := c.prepare(ctx)
	return err
}

// prepare checks the kernel names and gets the VM kernels ready.
func (c Config) prepare(ctx context.Context) ([]*kernelRun, error) {
	kernels := make([]*kernelRun, len(c.Kernels))
	for i, name := range c.Kernels {
		kernels[i] = &kernelRun{name: name, label: name, results: map[string]stepResult{}}
		if name == Host {
			kernels[i].label = "host-" + majorMinor(unameRelease())
			continue
		}
		suite, ok := suiteOf(name)
		if !ok {
			return nil, fmt.Errorf("unknown kernel %q (known: host, bookworm, trixie)", name)
		}
		ca := cache{Dir: c.Cache, Mirror: c.Mirror, Log: c.Out}
		t0 := time.Now()
		im, err := ca.prepare(ctx, suite, c.Pin[name])
		if err != nil {
			return nil, fmt.Errorf("prepare %s: %w", name, err)
		}
		kernels[i].im, kernels[i].label = im, name+"-"+majorMinor(im.Release)
		fmt.Fprintf(c.Out, "vmtest: %s: kernel %s ready (%s)\n", name, im.Release, time.Since(t0).Round(time.Second))
	}
	return kernels, nil
}

// A kernelRun is one kernel's part of a run.
type kernelRun struct {
	name, label string
	im          image // VM kernels only
	results     map[string]stepResult
	missing     string // modules the guest could not load
	err         error  // the run's own failure, not a test's
	took        time.Duration
}

// A stepResult is the outcome of one test binary.
type stepResult struct {
	code int
	secs float64
}

// build builds the test binaries: without the race detector for the VMs,
// with it for the host when asked.
func (c Config) build(ctx context.Context, pkgs []pkg, kernels []*kernelRun) error {
	dirs := map[string][]string{}
	for _, k := range kernels {
		if k.name == Host && c.Race {
			dirs["bin-race"] = []string{"-race"}
		} else {
			dirs["bin"] = nil
		}
	}
	t0 := time.Now()
	for dir, flags := range dirs {
		if err := os.MkdirAll(c.scratch(dir), 0o755); err != nil {
			return err
		}
		for _, p := range pkgs {
			args := append(append([]string{"test", "-c", "-o", c.scratch(dir, c.binName(p))}, flags...), p.Path)
			cmd := exec.CommandContext(ctx, "go", args...)
			cmd.Dir, cmd.Stdout, cmd.Stderr = c.Root, c.Out, c.Out
			if err := cmd.Run(); err != nil {
				return fmt.Errorf("go %s: %w", strings.Join(args, " "), err)
			}
		}
	}
	fmt.Fprintf(c.Out, "vmtest: built %d test binaries in %s\n", len(pkgs)*len(dirs), time.Since(t0).Round(time.Second))
	return nil
}

// testArgs returns the command line of a package's test binary.
func (c Config) testArgs(bin string) []string {
	return append([]string{bin, "-test.v=test2json", "-test.count=1", "-test.timeout=" + c.TestTimeout.String()}, c.TestFlags...)
}

// runKernel runs the test binaries on one kernel.
func (c Config) runKernel(ctx context.Context, k *kernelRun, pkgs []pkg, initBin string) error {
	ctx, cancel := context.WithTimeout(ctx, c.VMTimeout)
	defer cancel()
	out := &prefixWriter{w: c.Out, prefix: "[" + k.label + "] "}
	defer out.Flush()
	bins := "bin"
	if k.name == Host && c.Race {
		bins = "bin-race"
	}
	env := []string{"PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin:/usr/local/go/bin",
		"HOME=/root", "LANG=C.UTF-8", "NLKIT_VMTEST_KERNEL=" + k.label}
	if ci := os.Getenv("CI"); ci != "" {
		env = append(env, "CI="+ci)
	}
	j := job{Release: k.im.Release, Workdir: c.Root, Modules: c.Modules, Env: env, Verbose: c.Verbose}
	for _, p := range pkgs {
		j.Steps = append(j.Steps, step{Name: p.Path, Dir: p.Dir,
			Args: c.testArgs(c.scratch(bins, c.binName(p))), Log: c.scratch(k.name, c.binName(p)+".log")})
	}
	var results []byte
	if k.name == Host {
		var b bytes.Buffer
		for _, s := range j.Steps {
			code, secs := runStep(job{Env: append(os.Environ(), "NLKIT_VMTEST_KERNEL="+k.label), Verbose: c.Verbose}, s, out)
			if code == 0 {
				fmt.Fprintf(out, "ok  \t%s\t%.3fs\n", s.Name, secs)
			} else {
				fmt.Fprintf(out, "FAIL\t%s\t%.3fs (exit %d)\n", s.Name, secs, code)
			}
			fmt.Fprintf(&b, "%s\t%d\t%.3f\n", s.Name, code, secs)
			if ctx.Err() != nil {
				break
			}
		}
		results = b.Bytes()
	} else {
		v := vm{im: k.im, KernelArgs: c.KernelArgs, Memory: c.Memory, CPUs: runtimeCPUs(), Out: out, Log: out,
			Console: c.scratch(k.name, "console.log"), Init: initBin}
		var err error
		results, k.missing, _, err = v.run(ctx, j)
		if err != nil {
			parseResults(results, k.results)
			return err
		}
	}
	parseResults(results, k.results)
	return nil
}

// parseResults reads the results file's lines "name\tcode\tsecs".
func parseResults(b []byte, into map[string]stepResult) {
	sc := bufio.NewScanner(bytes.NewReader(b))
	for sc.Scan() {
		f := strings.Split(sc.Text(), "\t")
		if len(f) != 3 {
			continue
		}
		code, err1 := strconv.Atoi(f[1])
		secs, err2 := strconv.ParseFloat(f[2], 64)
		if err1 == nil && err2 == nil {
			into[f[0]] = stepResult{code, secs}
		}
	}
}

// listPackages lists the packages that have tests.
func listPackages(ctx context.Context, root string, patterns []string) ([]pkg, error) {
	args := append([]string{"list", "-f", "{{if or .TestGoFiles .XTestGoFiles}}{{.ImportPath}}\t{{.Dir}}{{end}}"}, patterns...)
	cmd := exec.CommandContext(ctx, "go", args...)
	cmd.Dir, cmd.Stderr = root, os.Stderr
	out, err := cmd.Output()
	if err != nil {
		return nil, fmt.Errorf("go list: %w", err)
	}
	var pkgs []pkg
	for _, line := range strings.Split(strings.TrimSpace(string(out)), "\n") {
		if p, d, ok := strings.Cut(line, "\t"); ok {
			pkgs = append(pkgs, pkg{Path: p, Dir: d})
		}
	}
	return pkgs, nil
}

// unameRelease returns the running kernel's release.
func unameRelease() string {
	var u unix.Utsname
	if err := unix.Uname(&u); err != nil {
		return "?"
	}
	return unix.ByteSliceToString(u.Release[:])
}

// majorMinor returns "6.1" of "6.1.0-57-amd64".
func majorMinor(release string) string {
	f := strings.SplitN(release, ".", 3)
	if len(f) < 2 {
		return release
	}
	n := strings.IndexFunc(f[1], func(r rune) bool { return r < '0' || r > '9' })
	if n >= 0 {
		f[1] = f[1][:n]
	}
	return f[0] + "." + f[1]
}
