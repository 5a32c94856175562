package rtnl

import (
	"errors"

	"golang.org/x/sys/unix"
)

// mainTableMissing reports whether err is the kernel's refusal to dump the
// main table because the namespace has none yet ("FIB table does not
// exist"), which ip shows and saves as an empty list.
func (f *routeFilter) mainTableMissing(err error) bool {
	return f.table == TableMain && errors.Is(err, unix.ENOENT)
}
