// Package kfeature gates tests on kernel features, so that a test skips
// only where the kernel truly lacks what it needs.
//
// A test that needs a kernel feature tries it, and when the kernel reports
// it missing (EOPNOTSUPP, [errors.ErrUnsupported], …) hands the error to
// [Missing] with a [Feature] that names the feature, the Linux release that
// introduced it and the CONFIG_ options that build it. Missing then decides:
//
//   - the running kernel is older than the release that introduced the
//     feature: the test skips and says so;
//   - the kernel's configuration (/proc/config.gz, else
//     /boot/config-RELEASE) shows one of the options not set: the test skips
//     with "compiled out (CONFIG_X not set)";
//   - otherwise the kernel should have the feature and the test FAILS. A
//     wrong gate, or a regression that makes the kernel refuse a request it
//     understands, cannot hide behind a skip.
//
// Every skip message starts with "kfeature: NAME: ", so a runner can list
// the features a run skipped (internal/vmtest prints one line per skipped
// feature at the end of a run).
//
// Converting a skip is a one-line change:
//
//	err := c.AddLink(ctx, l)
//	if errors.Is(err, rtnl.ErrNotSupported) {
//		kfeature.Missing(t, kfeature.LinkKind(kind), err) // was: t.Skipf("kernel lacks %s: %v", kind, err)
//	}
//
// or, where any "not supported" error means the feature is missing:
//
//	kfeature.Check(t, kfeature.LinkKind("vlan"), err) // returns unless err says "not supported"
//
// Where only one part of a test needs the feature, [SkipPart] skips that
// part (or fails the test) and lets the rest run.
//
// A feature other than a link kind is a literal; put it in a small function
// of the test file when several tests share it:
//
//	func mplsRoutes() kfeature.Feature {
//		return kfeature.Feature{Name: "MPLS routes", Since: "4.1", Config: []string{"CONFIG_MPLS_ROUTING"}}
//	}
//
// Since is the mainline release that introduced what the test uses (the
// netlink attribute or object, not the oldest form of the feature), as
// "MAJOR.MINOR". Config lists the options without which the kernel cannot
// have the feature; leave it empty only when no option controls it.
package kfeature
