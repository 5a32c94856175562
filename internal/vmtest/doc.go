// Package vmtest runs the module's test binaries under full Debian kernels
// in QEMU, and on the host, and reports a table of package × kernel.
//
// The machines nlkit is developed on run a minimal kernel without modules
// (no dummy, vlan, gre, vrf, bond, wireguard, MPLS, ESP, …). vmtest boots
// Debian's stock kernels instead, which build every driver as a module:
// bookworm's 6.1 and trixie's 6.12. For each kernel it
//
//   - fetches the kernel package with `apt-get download` through a private
//     apt configuration (the host's apt sources are left alone) and unpacks
//     it into a cache (~/.cache/nlkit-vmtest): the uncompressed vmlinux,
//     which qemu boots through its PVH entry point, the modules, and the
//     few modules the initramfs needs, decompressed;
//   - writes an initramfs whose /init is the runner's own binary (built
//     with CGO_ENABLED=0), which runs [Guest] as the guest's PID 1;
//   - boots qemu (KVM when a hardware backend is loaded, TCG otherwise)
//     with the host's / shared over 9p read-only under a tmpfs overlay,
//     the module's directory shared read-write at its host path, fresh
//     tmpfs on /run, /tmp and /var/tmp, and no network device but lo;
//   - loads the test modules up front ([DefaultModules]) with the host's
//     modprobe, dummy, bonding and ifb without default devices; the kernel
//     argument sysctl.net.core.fb_tunnels_only_for_init_net=2 (the
//     command's default) keeps fallback tunnel devices (tunl0, gre0, …) out
//     of test namespaces, so they start with lo alone, as on the host;
//   - runs every package's test binary (built on the host without -race)
//     in its package directory with -test.v=test2json, writing its output
//     to .vmtest/KERNEL/PKG.test.log and a go-test-like ok/FAIL line to the
//     host;
//   - boots again, twice at most, when the guest dies before the first
//     test starts (a rare guest panic during boot under TCG).
//
// The kernels run at the same time. The report lists, besides the table,
// one line per skipped kernel feature (the skips of internal/kfeature),
// the other skips with their messages, and the failed tests.
//
// The command is internal/vmtest/cmd/vmtest; see its documentation and the
// "Contributing" section of the README.
package vmtest
