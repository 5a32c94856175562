package nlkit

import (
	"errors"
	"io/fs"

	"golang.org/x/sys/unix"
)

// Sentinel errors shared by every nlkit package. Test for them with
// [errors.Is]; the families re-export them (rtnl.ErrNotExist and so on).
var (
	// ErrNotExist matches a kernel error saying the object is missing
	// (ENOENT, ENODEV, ESRCH, EADDRNOTAVAIL). It is [fs.ErrNotExist].
	ErrNotExist = fs.ErrNotExist
	// ErrExist matches a kernel error saying the object already exists
	// (EEXIST). It is [fs.ErrExist].
	ErrExist = fs.ErrExist
	// ErrNotSupported matches a kernel error saying the feature is missing
	// from this kernel (EOPNOTSUPP, EPROTONOSUPPORT, EAFNOSUPPORT). It is
	// [errors.ErrUnsupported].
	ErrNotSupported = errors.ErrUnsupported
	// ErrDumpInterrupted reports a dump during which the kernel's table
	// changed (NLM_F_DUMP_INTR): the data returned with it may be
	// inconsistent, and dumping again gives a consistent picture.
	ErrDumpInterrupted = errors.New("netlink dump interrupted: the data changed while it was read")
)

// An Error is an error the kernel returned for a netlink request.
//
// Error() reads like ip's own report: the operation, then the kernel's
// extended-ack message when it sent one, then the errno text, as in
// "add address: ipv4: Address already assigned (file exists)".
type Error struct {
	// Op names the operation, such as "get link".
	Op string
	// Errno is the kernel's error number.
	Errno unix.Errno
	// Message is the kernel's extended-ack message, or "".
	Message string
	// Offset is the extended-ack offset, in bytes from the start of the
	// request's netlink header, of the attribute the kernel objected to; 0
	// when the kernel named none.
	Offset int
}

// Error gives the operation, the kernel's extended-ack message when it sent
// one, and the errno, the way ip prints them.
func (e *Error) Error() string {
	s := e.Op + ": "
	if e.Message != "" {
		return s + e.Message + " (" + e.Errno.Error() + ")"
	}
	return s + e.Errno.Error()
}

// Unwrap returns the errno, so that errors.Is(err, unix.EEXIST) works.
func (e *Error) Unwrap() error { return e.Errno }

// Is reports whether the error matches target: one of the sentinels above by
// the errno classes they describe. errors.Is then also checks the errno itself.
func (e *Error) Is(target error) bool {
	switch target {
	case ErrNotExist:
		return e.Errno == unix.ENOENT || e.Errno == unix.ENODEV ||
			e.Errno == unix.ESRCH || e.Errno == unix.EADDRNOTAVAIL
	case ErrExist:
		return e.Errno == unix.EEXIST
	case ErrNotSupported:
		return e.Errno == unix.EOPNOTSUPP || e.Errno == unix.EPROTONOSUPPORT ||
			e.Errno == unix.EAFNOSUPPORT
	}
	return false
}

// An InvalidError reports input that an nlkit package refuses before
// sending anything to the kernel. It matches unix.EINVAL with errors.Is.
// The families name it rtnl.InvalidError, xfrm.InvalidError and
// genl.InvalidError.
type InvalidError struct {
	// Package names the nlkit package that refused the input, such as
	// "rtnl"; it begins the message.
	Package string
	// What names the value, such as "link name".
	What string
	// Reason says what is wrong with it.
	Reason string
}

// Error names the package, what is invalid and why.
func (e *InvalidError) Error() string {
	s := "invalid " + e.What + ": " + e.Reason
	if e.Package != "" {
		s = e.Package + ": " + s
	}
	return s
}

// Is reports whether target is unix.EINVAL.
func (e *InvalidError) Is(target error) bool { return target == unix.EINVAL }
