package xfrm

import (
	"errors"

	"golang.org/x/sys/unix"

	"github.com/nlkit/nlkit"
)

// Sentinel errors, the same values as nlkit's; test for them with
// errors.Is.
var (
	// ErrNotExist matches a missing state or policy (ENOENT, ESRCH).
	ErrNotExist = nlkit.ErrNotExist
	// ErrExist matches a state or policy that already exists.
	ErrExist = nlkit.ErrExist
	// ErrNotSupported matches a protocol, mode or algorithm this kernel
	// lacks; the kernel says "Requested type not found" (EPROTONOSUPPORT),
	// "Requested mode not found", or, for an algorithm, ENOSYS.
	ErrNotSupported = nlkit.ErrNotSupported
	// ErrDumpInterrupted matches a dump whose data may be inconsistent
	// because the kernel's table changed while it was read.
	ErrDumpInterrupted = nlkit.ErrDumpInterrupted
)

// An InvalidError reports input that nlkit rejects before sending it to the
// kernel. It matches unix.EINVAL. It is [nlkit.InvalidError], the type every
// nlkit package uses.
type InvalidError = nlkit.InvalidError

func errInvalid(what, reason string) error {
	return &InvalidError{Package: "xfrm", What: what, Reason: reason}
}

// An unsupportedError is a kernel error that says an algorithm is missing
// (ENOSYS, "Requested CRYPT algorithm not found"): it matches
// [ErrNotSupported] as well as its errno.
type unsupportedError struct{ error }

func (e unsupportedError) Is(target error) bool { return target == ErrNotSupported }

func (e unsupportedError) Unwrap() error { return e.error }

// classify makes the kernel's ENOSYS for a missing algorithm match
// ErrNotSupported.
func classify(err error) error {
	if errors.Is(err, unix.ENOSYS) {
		return unsupportedError{err}
	}
	return err
}
