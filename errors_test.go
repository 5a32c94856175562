package nlkit

import (
	"errors"
	"fmt"
	"testing"

	"golang.org/x/sys/unix"
)

func TestInvalidError(t *testing.T) {
	err := fmt.Errorf("add link: %w", &InvalidError{Package: "rtnl", What: "link name", Reason: "too long"})
	if got, want := err.Error(), "add link: rtnl: invalid link name: too long"; got != want {
		t.Errorf("Error() = %q, want %q", got, want)
	}
	if !errors.Is(err, unix.EINVAL) {
		t.Errorf("errors.Is(%v, EINVAL) = false, want true", err)
	}
	var invalid *InvalidError
	if !errors.As(err, &invalid) || invalid.What != "link name" {
		t.Errorf("errors.As(%v) = %+v, want the InvalidError", err, invalid)
	}
	if got, want := (&InvalidError{What: "x", Reason: "y"}).Error(), "invalid x: y"; got != want {
		t.Errorf("Error() without Package = %q, want %q", got, want)
	}
}
