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
