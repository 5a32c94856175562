package genl_test

import (
	"bytes"
	"context"
	"errors"
	"os/exec"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/nlkit/nlkit/genl"
	"github.com/nlkit/nlkit/internal/testns"
)

// dial returns a generic netlink connection to the test's namespace.
func dial(t *testing.T, ns *testns.NS) *genl.Conn {
	t.Helper()
	c, err := genl.Dial(context.Background(), genl.WithNetNS(ns.FD()))
	if err != nil {
		t.Fatalf("Dial: %v", err)
	}
	t.Cleanup(func() { c.Close() })
	return c
}

// genlCtrl runs `genl ctrl ARGS` in the namespace and returns its output.
func genlCtrl(t *testing.T, ns *testns.NS, args ...string) string {
	t.Helper()
	var stdout, stderr bytes.Buffer
	cmd := exec.Command("ip", append([]string{"netns", "exec", ns.Name(), "genl", "ctrl"}, args...)...)
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	if err := cmd.Run(); err != nil {
		t.Fatalf("genl ctrl %s: %v\n%s", strings.Join(args, " "), err, stderr.Bytes())
	}
	return stdout.String()
}

var (
	genlNameRE   = regexp.MustCompile(`^Name: (\S+)$`)
	genlHeaderRE = regexp.MustCompile(`^\tID: 0x([0-9a-f]+)  Version: 0x([0-9a-f]+)  header size: (\d+)  max attribs: (\d+)`)
	genlOpRE     = regexp.MustCompile(`^\t\t#\d+:  ID-0x([0-9a-f]+)`)
	genlCapsRE   = regexp.MustCompile(`^\t\tCapabilities \(0x([0-9a-f]+)\):`)
	genlGroupRE  = regexp.MustCompile(`^\t\t#\d+:  ID-0x([0-9a-f]+)  name: (\S+)`)
)

// parseGenlCtrl parses the families `genl ctrl list` prints. genl prints the
// flags of a family's commands only when the family's version is 2 or more:
// see withoutHiddenFlags.
func parseGenlCtrl(t *testing.T, out string) []genl.Family {
	t.Helper()
	hex := func(s string) uint64 {
		v, err := strconv.ParseUint(s, 16, 32)
		if err != nil {
			t.Fatalf("genl ctrl: %v", err)
		}
		return v
	}
	dec := func(s string) uint32 {
		v, err := strconv.ParseUint(s, 10, 32)
		if err != nil {
			t.Fatalf("genl ctrl: %v", err)
		}
		return uint32(v)
	}
	var fs []genl.Family
	inGroups := false
	for line := range strings.Lines(out) {
		line = strings.TrimRight(line, "\n")
		var f *genl.Family
		if len(fs) > 0 {
			f = &fs[len(fs)-1]
		}
		if m := genlNameRE.FindStringSubmatch(line); m != nil {
			fs = append(fs, genl.Family{Name: m[1]})
			inGroups = false
			continue
		}
		if f == nil {
			continue
		}
		switch {
		case strings.HasPrefix(line, "\tmulticast groups:"):
			inGroups = true
		case genlHeaderRE.MatchString(line):
			m := genlHeaderRE.FindStringSubmatch(line)
			f.ID, f.Version, f.HeaderSize, f.MaxAttr = uint16(hex(m[1])), uint32(hex(m[2])), dec(m[3]), dec(m[4])
		case inGroups && genlGroupRE.MatchString(line):
			m := genlGroupRE.FindStringSubmatch(line)
			f.Groups = append(f.Groups, genl.Group{ID: uint32(hex(m[1])), Name: m[2]})
		case !inGroups && genlOpRE.MatchString(line):
			m := genlOpRE.FindStringSubmatch(line)
			f.Ops = append(f.Ops, genl.Op{ID: uint32(hex(m[1]))})
		case genlCapsRE.MatchString(line) && len(f.Ops) > 0:
			f.Ops[len(f.Ops)-1].Flags = genl.OpFlags(hex(genlCapsRE.FindStringSubmatch(line)[1]))
		}
	}
	return fs
}

// withoutHiddenFlags returns fs with the command flags cleared in the
// families whose flags genl ctrl does not print: those of version 0 or 1.
func withoutHiddenFlags(fs []genl.Family) []genl.Family {
	out := make([]genl.Family, len(fs))
	for i, f := range fs {
		if f.Version < 2 {
			f.Ops = append([]genl.Op(nil), f.Ops...)
			for j := range f.Ops {
				f.Ops[j].Flags = 0
			}
		}
		out[i] = f
	}
	return out
}

func TestFamiliesLikeGenlCtrlList(t *testing.T) {
	ns := testns.New(t)
	c := dial(t, ns)
	ctx := context.Background()
	want := parseGenlCtrl(t, genlCtrl(t, ns, "list"))
	got, err := c.Families(ctx)
	if err != nil {
		t.Fatalf("Families: %v", err)
	}
	if diff := cmp.Diff(want, withoutHiddenFlags(got)); diff != "" {
		t.Errorf("Families differ from genl ctrl list (-genl +nlkit):\n%s", diff)
	}
	names := map[string]bool{}
	for _, f := range got {
		names[f.Name] = true
	}
	for _, name := range []string{"nlctrl", "mptcp_pm", "tcp_metrics", "SEG6", "ethtool"} {
		if !names[name] {
			t.Errorf("Families has no %s", name)
		}
	}
}

func TestFamilyLikeGenlCtrlGet(t *testing.T) {
	ns := testns.New(t)
	ctx := context.Background()
	for _, name := range []string{"nlctrl", "mptcp_pm", "tcp_metrics", "SEG6", "ethtool"} {
		c := dial(t, ns) // a fresh cache for each
		want := parseGenlCtrl(t, genlCtrl(t, ns, "get", "name", name))
		got, err := c.Family(ctx, name)
		if err != nil {
			t.Fatalf("Family(%s): %v", name, err)
		}
		if diff := cmp.Diff(want, withoutHiddenFlags([]genl.Family{got})); diff != "" {
			t.Errorf("Family(%s) differs from genl ctrl get (-genl +nlkit):\n%s", name, diff)
		}
		again, err := c.Family(ctx, name)
		if err != nil || !cmp.Equal(got, again) {
			t.Errorf("Family(%s) from the cache = %+v, %v; want %+v", name, again, err, got)
		}
		if g, ok := got.Group("notify"); name == "nlctrl" && (!ok || g.ID != 0x10) {
			t.Errorf("nlctrl group notify = %+v, %v; want ID 0x10", g, ok)
		}
	}
}

func TestFamilyMissing(t *testing.T) {
	ns := testns.New(t)
	c := dial(t, ns)
	_, err := c.Family(context.Background(), "no_such_family")
	var fe *genl.FamilyError
	if !errors.As(err, &fe) || fe.Name != "no_such_family" {
		t.Errorf("Family(no_such_family) = %v; want a FamilyError", err)
	}
	if !errors.Is(err, genl.ErrNotSupported) || !errors.Is(err, genl.ErrNotExist) {
		t.Errorf("Family(no_such_family) = %v; want it to match ErrNotSupported and ErrNotExist", err)
	}
	for _, name := range []string{"", strings.Repeat("x", 16)} {
		if _, err := c.Family(context.Background(), name); !genl.IsInvalid(err) {
			t.Errorf("Family(%q) = %v; want an InvalidError", name, err)
		}
	}
}

func TestJoinGroupsErrors(t *testing.T) {
	ns := testns.New(t)
	c := dial(t, ns)
	ctx := context.Background()
	if _, err := c.JoinGroups(ctx, "nlctrl", "no_such_group"); !genl.IsInvalid(err) {
		t.Errorf("JoinGroups of a missing group: %v; want an InvalidError", err)
	}
	if _, err := c.JoinGroups(ctx, "nlctrl"); !genl.IsInvalid(err) {
		t.Errorf("JoinGroups of no group: %v; want an InvalidError", err)
	}
	if _, err := c.JoinGroups(ctx, "no_such_family", "x"); !errors.Is(err, genl.ErrNotSupported) {
		t.Errorf("JoinGroups of a missing family: %v; want ErrNotSupported", err)
	}
	sub, err := c.JoinGroups(ctx, "nlctrl", "notify")
	if err != nil {
		t.Fatalf("JoinGroups(nlctrl, notify): %v", err)
	}
	defer sub.Close()
	if sub.Family().Name != "nlctrl" {
		t.Errorf("Family() = %+v", sub.Family())
	}
	// Nothing registers a family meanwhile: the stream ends with ctx's error.
	cctx, cancel := context.WithTimeout(ctx, 100*time.Millisecond)
	defer cancel()
	var end error
	for m, err := range sub.Messages(cctx) {
		if err == nil {
			t.Logf("a family changed meanwhile: command %d", m.Command)
			continue
		}
		end = err
	}
	if !errors.Is(end, context.DeadlineExceeded) {
		t.Errorf("Messages ended with %v; want the context's deadline", end)
	}
}
