package testns_test

import (
	"testing"

	"github.com/nlkit/nlkit/internal/testns"
)

func TestEmulated(t *testing.T) {
	for _, tc := range []struct {
		kernel string
		want   bool
	}{{"", false}, {"host-6.18", false}, {"bookworm-6.1", true}, {"trixie-6.12", true}} {
		t.Setenv("NLKIT_VMTEST_KERNEL", tc.kernel)
		if got := testns.Emulated(); got != tc.want {
			t.Errorf("Emulated() with NLKIT_VMTEST_KERNEL=%q = %v, want %v", tc.kernel, got, tc.want)
		}
	}
}
