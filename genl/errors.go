package genl

import (
	"errors"

	"github.com/nlkit/nlkit"
)

// Sentinel errors, the same values as nlkit's; test for them with errors.Is.
var (
	// ErrNotExist matches a missing object, and a missing family.
	ErrNotExist = nlkit.ErrNotExist
	// ErrExist matches an object that already exists.
	ErrExist = nlkit.ErrExist
	// ErrNotSupported matches a feature this kernel lacks, a missing
	// family included.
	ErrNotSupported = nlkit.ErrNotSupported
	// ErrDumpInterrupted matches a dump whose data may be inconsistent
	// because the kernel's data changed while it was read.
	ErrDumpInterrupted = nlkit.ErrDumpInterrupted
)

// A FamilyError reports a generic netlink family that the kernel does not
// know: not built, or a module it could not load. It matches both
// [ErrNotExist] and [ErrNotSupported].
type FamilyError struct {
	// Name is the family asked for.
	Name string
	// Err is the kernel's answer (ENOENT), an [*nlkit.Error].
	Err error
}

// Error names the missing family and the kernel's error.
func (e *FamilyError) Error() string {
	return "genl: family " + e.Name + " is not in this kernel: " + e.Err.Error()
}

// Unwrap returns the kernel's error.
func (e *FamilyError) Unwrap() error { return e.Err }

// Is reports whether target is [ErrNotSupported] or [ErrNotExist].
func (e *FamilyError) Is(target error) bool {
	return target == ErrNotSupported || target == ErrNotExist
}

// An InvalidError reports input that nlkit refuses before sending anything
// to the kernel. It matches unix.EINVAL. It is [nlkit.InvalidError], the
// type every nlkit package uses.
type InvalidError = nlkit.InvalidError

// Invalid returns an [*InvalidError]: the packages of the objects built on
// generic netlink use it to refuse bad input.
func Invalid(what, reason string) error {
	return &InvalidError{Package: "genl", What: what, Reason: reason}
}

// IsInvalid reports whether err is, or wraps, an [*InvalidError].
func IsInvalid(err error) bool {
	var invalid *InvalidError
	return errors.As(err, &invalid)
}
