package vmtest

import (
	"bufio"
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"strings"

	"golang.org/x/sys/unix"
)

// Host is the name of the host's own kernel in a run's list of kernels: the
// test binaries then run directly on the host, without a VM.
const Host = "host"

// suiteOf returns the Debian suite whose kernel a VM kernel name stands
// for, and whether the name is known.
func suiteOf(name string) (string, bool) {
	switch name {
	case "bookworm", "trixie":
		return name, true
	}
	return "", false
}

// An image is a Debian kernel unpacked in the cache, ready to boot.
type image struct {
	// Dir is the cache directory of the kernel package.
	Dir string
	// Release is the kernel's release, such as "6.1.0-57-amd64".
	Release string
}

// vmlinux is the uncompressed kernel, booted through its PVH entry point.
func (im image) vmlinux() string { return filepath.Join(im.Dir, "vmlinux") }

// modules is the kernel's /lib/modules/RELEASE.
func (im image) modules() string { return filepath.Join(im.Dir, "root/lib/modules", im.Release) }

// boot is the package's /boot (the kernel's config file).
func (im image) boot() string { return filepath.Join(im.Dir, "root/boot") }

// initModules holds the modules the initramfs loads, decompressed and
// named in load order.
func (im image) initModules() string { return filepath.Join(im.Dir, "initmods") }

// bootModules are the modules the guest's init needs to reach its shares.
func bootModules() []string {
	return []string{"virtio_pci", "virtio_console", "9pnet_virtio", "9p", "overlay"}
}

// A cache holds Debian kernel packages unpacked for booting.
type cache struct {
	// Dir is the cache directory, such as ~/.cache/nlkit-vmtest.
	Dir string
	// Mirror is the Debian mirror, such as "http://deb.debian.org/debian".
	Mirror string
	// Log receives progress messages.
	Log io.Writer
}

// prepare returns the kernel of the Debian suite, downloading and unpacking
// it when it is not cached. pkg pins the kernel package (such as
// "linux-image-6.1.0-57-amd64"); "" means the one linux-image-amd64 depends
// on.
func (c cache) prepare(ctx context.Context, suite, pkg string) (image, error) {
	if err := os.MkdirAll(c.Dir, 0o755); err != nil {
		return image{}, err
	}
	lock, err := os.OpenFile(filepath.Join(c.Dir, ".lock"), os.O_CREATE|os.O_RDWR, 0o644)
	if err != nil {
		return image{}, err
	}
	defer lock.Close()
	if err := unix.Flock(int(lock.Fd()), unix.LOCK_EX); err != nil {
		return image{}, err
	}
	a := c.apt(suite)
	updated := false
	if pkg == "" {
		if pkg, err = a.kernelPackage(ctx); err != nil {
			if err := a.update(ctx); err != nil {
				return image{}, err
			}
			updated = true
			if pkg, err = a.kernelPackage(ctx); err != nil {
				return image{}, err
			}
		}
	}
	dir := filepath.Join(c.Dir, pkg)
	if _, err := os.Stat(filepath.Join(dir, ".ready")); err == nil {
		return readImage(dir)
	}
	err = c.unpack(ctx, a, pkg, dir)
	if err != nil && !updated {
		// The package may have left the mirror since the lists were read.
		fmt.Fprintf(c.Log, "vmtest: %v; updating the package lists\n", err)
		if err := a.update(ctx); err != nil {
			return image{}, err
		}
		err = c.unpack(ctx, a, pkg, dir)
	}
	if err != nil {
		return image{}, err
	}
	return readImage(dir)
}

func readImage(dir string) (image, error) {
	b, err := os.ReadFile(filepath.Join(dir, "release"))
	if err != nil {
		return image{}, err
	}
	return image{Dir: dir, Release: strings.TrimSpace(string(b))}, nil
}

// unpack downloads pkg and makes dir a bootable image of it.
func (c cache) unpack(ctx context.Context, a apt, pkg, dir string) error {
	tmp, err := os.MkdirTemp(c.Dir, ".build-")
	if err != nil {
		return err
	}
	defer os.RemoveAll(tmp)
	fmt.Fprintf(c.Log, "vmtest: downloading %s\n", pkg)
	if err := a.run(ctx, tmp, "apt-get", "download", "-q", pkg); err != nil {
		return err
	}
	debs, _ := filepath.Glob(filepath.Join(tmp, "*.deb"))
	if len(debs) != 1 {
		return fmt.Errorf("apt-get download %s left %d .deb files", pkg, len(debs))
	}
	root := filepath.Join(tmp, "root")
	if err := run(ctx, "", "dpkg-deb", "-x", debs[0], root); err != nil {
		return err
	}
	if err := os.Remove(debs[0]); err != nil {
		return err
	}
	// bookworm ships /lib/modules, trixie (merged /usr) /usr/lib/modules.
	if _, err := os.Lstat(filepath.Join(root, "lib")); errors.Is(err, os.ErrNotExist) {
		if err := os.Symlink("usr/lib", filepath.Join(root, "lib")); err != nil {
			return err
		}
	}
	rels, err := os.ReadDir(filepath.Join(root, "lib/modules"))
	if err != nil || len(rels) != 1 {
		return fmt.Errorf("%s: want one directory in /lib/modules (%v)", pkg, err)
	}
	rel := rels[0].Name()
	if err := run(ctx, "", "depmod", "-b", root, rel); err != nil {
		return err
	}
	if err := extractVmlinux(ctx, filepath.Join(root, "boot/vmlinuz-"+rel), filepath.Join(tmp, "vmlinux")); err != nil {
		return err
	}
	im := image{Dir: tmp, Release: rel}
	if err := saveInitModules(ctx, root, im); err != nil {
		return err
	}
	if err := os.WriteFile(filepath.Join(tmp, "release"), []byte(rel+"\n"), 0o644); err != nil {
		return err
	}
	if err := os.WriteFile(filepath.Join(tmp, ".ready"), nil, 0o644); err != nil {
		return err
	}
	if err := os.RemoveAll(dir); err != nil {
		return err
	}
	if err := os.Rename(tmp, dir); err != nil {
		return err
	}
	fmt.Fprintf(c.Log, "vmtest: kernel %s cached in %s\n", rel, dir)
	return nil
}

// extractVmlinux finds the xz or zstd stream in a bzImage that unpacks to
// the ELF kernel and writes that to dst. qemu boots an ELF kernel through
// its PVH entry point, which skips the decompression (slow under TCG).
func extractVmlinux(ctx context.Context, bzImage, dst string) error {
	img, err := os.ReadFile(bzImage)
	if err != nil {
		return err
	}
	for _, f := range []struct {
		magic string
		tool  []string
	}{{"\xfd7zXZ\x00", []string{"xz", "-dc"}}, {"\x28\xb5\x2f\xfd", []string{"zstd", "-qdc"}}} {
		for off := 0; ; {
			i := bytes.Index(img[off:], []byte(f.magic))
			if i < 0 {
				break
			}
			off += i
			var out bytes.Buffer
			cmd := exec.CommandContext(ctx, f.tool[0], f.tool[1:]...)
			cmd.Stdin, cmd.Stdout = bytes.NewReader(img[off:]), &out
			_ = cmd.Run() // the data after the stream makes the tool complain
			if bytes.HasPrefix(out.Bytes(), []byte("\x7fELF")) {
				return os.WriteFile(dst, out.Bytes(), 0o644)
			}
			off++
		}
	}
	return fmt.Errorf("%s: found no compressed ELF kernel inside", bzImage)
}

// saveInitModules resolves the boot modules and their dependencies with
// the host's modprobe and saves them decompressed, in load order, for the
// initramfs.
func saveInitModules(ctx context.Context, root string, im image) error {
	dst := im.initModules()
	if err := os.MkdirAll(dst, 0o755); err != nil {
		return err
	}
	seen := map[string]bool{}
	n := 0
	for _, m := range bootModules() {
		out, err := output(ctx, "modprobe", "-d", root, "-S", im.Release, "--show-depends", m)
		if err != nil {
			return err
		}
		sc := bufio.NewScanner(bytes.NewReader(out))
		for sc.Scan() {
			f := strings.Fields(sc.Text())
			if len(f) < 2 || f[0] != "insmod" || seen[f[1]] {
				continue // "builtin NAME": nothing to load
			}
			seen[f[1]] = true
			ko, err := decompressedModule(ctx, f[1])
			if err != nil {
				return err
			}
			name := strings.TrimSuffix(strings.TrimSuffix(filepath.Base(f[1]), ".xz"), ".zst")
			if err := os.WriteFile(filepath.Join(dst, fmt.Sprintf("%02d-%s", n, name)), ko, 0o644); err != nil {
				return err
			}
			n++
		}
	}
	return nil
}

// decompressedModule reads a module file, decompressing .ko.xz and .ko.zst
// (the kernel's init_module takes a plain ELF object).
func decompressedModule(ctx context.Context, path string) ([]byte, error) {
	switch {
	case strings.HasSuffix(path, ".xz"):
		return output(ctx, "xz", "-dc", path)
	case strings.HasSuffix(path, ".zst"):
		return output(ctx, "zstd", "-qdc", path)
	}
	return os.ReadFile(path)
}

// run runs a command in dir, with its output on the caller's stderr.
func run(ctx context.Context, dir, name string, args ...string) error {
	cmd := exec.CommandContext(ctx, name, args...)
	cmd.Dir, cmd.Stdout, cmd.Stderr = dir, os.Stderr, os.Stderr
	if err := cmd.Run(); err != nil {
		return fmt.Errorf("%s %s: %w", name, strings.Join(args, " "), err)
	}
	return nil
}

// output runs a command and returns its standard output.
func output(ctx context.Context, name string, args ...string) ([]byte, error) {
	var stderr bytes.Buffer
	cmd := exec.CommandContext(ctx, name, args...)
	cmd.Stderr = &stderr
	out, err := cmd.Output()
	if err != nil {
		return nil, fmt.Errorf("%s %s: %w: %s", name, strings.Join(args, " "), err, bytes.TrimSpace(stderr.Bytes()))
	}
	return out, nil
}
