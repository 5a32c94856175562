package rtnl

import "github.com/nlkit/nlkit"

// Sentinel errors, the same values as nlkit's; test for them with
// errors.Is.
var (
	// ErrNotExist matches a missing object: a device, an address, a route.
	ErrNotExist = nlkit.ErrNotExist
	// ErrExist matches an object that already exists.
	ErrExist = nlkit.ErrExist
	// ErrNotSupported matches a feature this kernel lacks.
	ErrNotSupported = nlkit.ErrNotSupported
	// ErrDumpInterrupted matches a dump whose data may be inconsistent
	// because the kernel's table changed while it was read.
	ErrDumpInterrupted = nlkit.ErrDumpInterrupted
)

// An InvalidError reports input rejected before anything was sent to the
// kernel. It matches unix.EINVAL with errors.Is. It is [nlkit.InvalidError],
// the type every nlkit package uses.
type InvalidError = nlkit.InvalidError

func errInvalid(what, reason string) error {
	return &InvalidError{Package: "rtnl", What: what, Reason: reason}
}
