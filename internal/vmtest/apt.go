package vmtest

import (
	"bufio"
	"bytes"
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strings"
)

// apt runs apt-get and apt-cache on a private configuration under the
// cache, with the sources of one Debian suite, so that the host's apt
// sources and state are never touched.
type apt struct {
	dir, mirror, suite string
}

func (c cache) apt(suite string) apt {
	return apt{dir: filepath.Join(c.Dir, "apt-"+suite), mirror: c.Mirror, suite: suite}
}

// options are apt's options that select the private configuration.
func (a apt) options() []string {
	return []string{
		"-o", "Dir::Etc::SourceList=" + filepath.Join(a.dir, "sources.list"),
		"-o", "Dir::Etc::SourceParts=/dev/null",
		"-o", "Dir::State::Lists=" + filepath.Join(a.dir, "lists"),
		"-o", "Dir::Cache=" + filepath.Join(a.dir, "cache"),
		"-o", "APT::Sandbox::User=root",
	}
}

// run runs an apt command on the private configuration in dir.
func (a apt) run(ctx context.Context, dir, name string, args ...string) error {
	return run(ctx, dir, name, append(a.options(), args...)...)
}

// update writes the suite's sources (the suite and its security updates)
// and updates the package lists as far as the mirror allows.
func (a apt) update(ctx context.Context) error {
	for _, d := range []string{"lists/partial", "cache/archives/partial"} {
		if err := os.MkdirAll(filepath.Join(a.dir, d), 0o755); err != nil {
			return err
		}
	}
	src := fmt.Sprintf("deb %s %s main\ndeb %s-security %s-security main\n", a.mirror, a.suite, a.mirror, a.suite)
	if err := os.WriteFile(filepath.Join(a.dir, "sources.list"), []byte(src), 0o644); err != nil {
		return err
	}
	if err := a.run(ctx, "", "apt-get", "update", "-qq"); err != nil {
		// A mirror without the security suite fails the update, yet the
		// suite's own lists may be fine: finding the package decides.
		fmt.Fprintf(os.Stderr, "vmtest: warning: %v\n", err)
	}
	return nil
}

// kernelPackage returns the kernel package that linux-image-amd64 depends
// on, such as "linux-image-6.1.0-57-amd64".
func (a apt) kernelPackage(ctx context.Context) (string, error) {
	out, err := output(ctx, "apt-cache", append(a.options(), "depends", "linux-image-amd64")...)
	if err != nil {
		return "", err
	}
	sc := bufio.NewScanner(bytes.NewReader(out))
	for sc.Scan() {
		f := strings.Fields(sc.Text())
		if len(f) == 2 && f[0] == "Depends:" && strings.HasPrefix(f[1], "linux-image-") {
			return f[1], nil
		}
	}
	return "", fmt.Errorf("apt-cache depends linux-image-amd64 (%s) names no kernel package", a.suite)
}

// HostMirror returns the Debian mirror the host's apt sources use, or
// deb.debian.org.
func HostMirror() string {
	files, _ := filepath.Glob("/etc/apt/sources.list.d/*")
	for _, f := range append([]string{"/etc/apt/sources.list"}, files...) {
		b, err := os.ReadFile(f)
		if err != nil {
			continue
		}
		for _, line := range strings.Split(string(b), "\n") {
			for _, w := range strings.Fields(line) {
				if strings.HasPrefix(w, "http") && strings.HasSuffix(strings.TrimSuffix(w, "/"), "/debian") {
					return strings.TrimSuffix(w, "/")
				}
			}
		}
	}
	return "http://deb.debian.org/debian"
}
