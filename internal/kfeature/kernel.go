package kfeature

import (
	"bufio"
	"compress/gzip"
	"io"
	"os"
	"strings"

	"golang.org/x/sys/unix"
)

// Kernel describes the running kernel.
type Kernel struct {
	// Release is uname's release, such as "6.1.0-57-amd64".
	Release string
	// Version is the release's leading numbers, such as 6.1.0.
	Version Version
	// Config maps each option of the kernel's configuration to its value
	// ("y", "m", a number or string); an option not set is absent. It is
	// nil when the configuration is not available.
	Config map[string]string
}

// Running describes the running kernel: its release from uname(2) and its
// configuration from /proc/config.gz or, failing that,
// /boot/config-RELEASE.
func Running() Kernel {
	var u unix.Utsname
	if err := unix.Uname(&u); err != nil {
		return Kernel{}
	}
	rel := unix.ByteSliceToString(u.Release[:])
	v, _ := parseVersion(rel)
	return Kernel{Release: rel, Version: v, Config: readConfig(rel)}
}

// compiledOut returns the first of opts that the configuration does not set,
// and false when every one is set or the configuration is unknown.
func (k Kernel) compiledOut(opts []string) (string, bool) {
	if k.Config == nil {
		return "", false
	}
	for _, o := range opts {
		if v := k.Config[o]; v == "" || v == "n" {
			return o, true
		}
	}
	return "", false
}

// readConfig reads the kernel's configuration, or returns nil.
func readConfig(release string) map[string]string {
	if f, err := os.Open("/proc/config.gz"); err == nil {
		defer f.Close()
		zr, err := gzip.NewReader(f)
		if err != nil {
			return nil
		}
		return parseConfig(zr)
	}
	f, err := os.Open("/boot/config-" + release)
	if err != nil {
		return nil
	}
	defer f.Close()
	return parseConfig(f)
}

// parseConfig reads a kernel .config: "CONFIG_X=value" lines; comments,
// such as "# CONFIG_X is not set", are skipped. It returns nil when r
// cannot be read to the end.
func parseConfig(r io.Reader) map[string]string {
	cfg := map[string]string{}
	sc := bufio.NewScanner(r)
	for sc.Scan() {
		line := sc.Text()
		if strings.HasPrefix(line, "#") {
			continue
		}
		if name, val, ok := strings.Cut(line, "="); ok {
			cfg[name] = strings.Trim(val, `"`)
		}
	}
	if sc.Err() != nil {
		return nil
	}
	return cfg
}
