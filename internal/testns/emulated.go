package testns

import (
	"os"
	"strings"
)

// Emulated reports whether the test runs in a VM of internal/vmtest, whose
// kernels run under emulation (TCG) and so are many times slower than the
// host: tests that flood the kernel scale down there. internal/vmtest names
// the kernel in NLKIT_VMTEST_KERNEL, "host-…" when it runs the tests on the
// host itself.
func Emulated() bool {
	k := os.Getenv("NLKIT_VMTEST_KERNEL")
	return k != "" && !strings.HasPrefix(k, "host")
}
