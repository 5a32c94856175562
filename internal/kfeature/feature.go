package kfeature

import (
	"errors"
	"fmt"
	"strings"
	"testing"

	"golang.org/x/sys/unix"
)

// A Feature is a kernel feature that a test needs.
type Feature struct {
	// Name says what the feature is, as in "vlan links" or "MPLS routes".
	Name string
	// Since is the mainline Linux release that introduced the feature,
	// "MAJOR.MINOR" such as "4.3".
	Since string
	// Config lists the kernel options (CONFIG_…) that must be set, built
	// in or as a module, for the kernel to have the feature.
	Config []string
}

// Missing is for a test whose kernel has just reported f missing with err.
// It never returns: it skips t when the kernel is older than f.Since or was
// built without one of f.Config (the first reason that applies is given),
// and fails t otherwise.
func Missing(t testing.TB, f Feature, err error) {
	t.Helper()
	skip, msg := Running().verdict(f, err)
	if skip {
		t.Skip(msg)
	}
	t.Fatal(msg)
}

// SkipPart is [Missing] for one part of a test, which goes on with its other
// checks: where the kernel may lack f, it logs why the part is skipped;
// where the kernel should have f, it marks t failed.
func SkipPart(t testing.TB, f Feature, err error) {
	t.Helper()
	skip, msg := Running().verdict(f, err)
	if skip {
		t.Log(msg + " (this part skipped)")
		return
	}
	t.Error(msg)
}

// verdict decides whether a test that found f missing on k skips (true) or
// fails, and says why.
func (k Kernel) verdict(f Feature, err error) (bool, string) {
	since, perr := parseVersion(f.Since)
	if perr != nil {
		return false, fmt.Sprintf("kfeature: %s: bad Since %q: %v (the kernel reported it missing: %v)", f.Name, f.Since, perr, err)
	}
	if k.Version.Less(since) {
		return true, fmt.Sprintf("kfeature: %s: Linux %s is older than %s, which introduced it: %v", f.Name, k.Version, since, err)
	}
	if opt, ok := k.compiledOut(f.Config); ok {
		return true, fmt.Sprintf("kfeature: %s: compiled out (%s not set)", f.Name, opt)
	}
	return false, fmt.Sprintf("kfeature: %s: Linux %s (%s) reports it missing, yet it is there since %s%s: %v",
		f.Name, k.Version, k.Release, since, k.builtWith(f.Config), err)
}

// Check calls [Missing] when err says the kernel does not support what was
// asked ([errors.ErrUnsupported], EOPNOTSUPP, EPROTONOSUPPORT,
// EAFNOSUPPORT), and returns otherwise, leaving any other error to the test.
func Check(t testing.TB, f Feature, err error) {
	t.Helper()
	if IsNotSupported(err) {
		Missing(t, f, err)
	}
}

// IsNotSupported reports whether err is a kernel's way of saying that it
// lacks a feature.
func IsNotSupported(err error) bool {
	return errors.Is(err, errors.ErrUnsupported) || errors.Is(err, unix.EOPNOTSUPP) ||
		errors.Is(err, unix.EPROTONOSUPPORT) || errors.Is(err, unix.EAFNOSUPPORT)
}

// builtWith describes how the kernel's configuration sets opts, for a
// failure message: " and built (CONFIG_X=m)", or "" when it is not known.
func (k Kernel) builtWith(opts []string) string {
	if k.Config == nil || len(opts) == 0 {
		return ""
	}
	var set []string
	for _, o := range opts {
		set = append(set, o+"="+k.Config[o])
	}
	return " and built (" + strings.Join(set, " ") + ")"
}
