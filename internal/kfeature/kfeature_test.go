package kfeature

import (
	"errors"
	"strings"
	"testing"
)

func TestParseVersion(t *testing.T) {
	for in, want := range map[string]Version{
		"6.1.0-57-amd64":   {6, 1, 0},
		"6.18.44-fc-v1272": {6, 18, 44},
		"4.3":              {4, 3, 0},
		"6.12.57+deb13":    {6, 12, 57},
	} {
		got, err := parseVersion(in)
		if err != nil || got != want {
			t.Errorf("parseVersion(%q) = %v, %v; want %v", in, got, err, want)
		}
	}
	for _, in := range []string{"", "6", "x.y", "1.2.3.4"} {
		if _, err := parseVersion(in); err == nil {
			t.Errorf("parseVersion(%q) succeeded", in)
		}
	}
}

func TestVersionLess(t *testing.T) {
	if !(Version{4, 19, 0}).Less(Version{6, 1, 0}) || (Version{6, 1, 0}).Less(Version{6, 1, 0}) || (Version{6, 12, 0}).Less(Version{6, 7, 0}) {
		t.Error("Less orders versions wrongly")
	}
}

func TestParseConfig(t *testing.T) {
	cfg := parseConfig(strings.NewReader("# comment\nCONFIG_DUMMY=m\n# CONFIG_VLAN_8021Q is not set\nCONFIG_DEFAULT_HOSTNAME=\"(none)\"\n"))
	k := Kernel{Config: cfg}
	if opt, out := k.compiledOut([]string{"CONFIG_DUMMY", "CONFIG_VLAN_8021Q"}); !out || opt != "CONFIG_VLAN_8021Q" {
		t.Errorf("compiledOut = %q, %v; want CONFIG_VLAN_8021Q, true", opt, out)
	}
	if _, out := k.compiledOut([]string{"CONFIG_DUMMY"}); out {
		t.Error("CONFIG_DUMMY=m counted as compiled out")
	}
	if cfg["CONFIG_DEFAULT_HOSTNAME"] != "(none)" {
		t.Errorf("CONFIG_DEFAULT_HOSTNAME = %q", cfg["CONFIG_DEFAULT_HOSTNAME"])
	}
	if _, out := (Kernel{}).compiledOut([]string{"CONFIG_DUMMY"}); out {
		t.Error("an unknown configuration compiles features out")
	}
}

func TestLinkKindsHaveAReleaseAndAnOption(t *testing.T) {
	for _, kind := range []string{"vlan", "dummy", "bond", "bridge", "geneve", "vrf", "ipvlan", "netkit", "wireguard", "vti6", "ip6erspan"} {
		f := LinkKind(kind)
		if _, err := parseVersion(f.Since); err != nil || len(f.Config) == 0 {
			t.Errorf("LinkKind(%q) = %+v", kind, f)
		}
	}
	if f := LinkKind("no-such-kind"); f.Since != "" {
		t.Errorf("unknown kind has Since %q", f.Since)
	}
}

func TestRunningKernel(t *testing.T) {
	k := Running()
	if k.Release == "" || k.Version == (Version{}) {
		t.Fatalf("Running() = %+v", k)
	}
	t.Logf("Linux %s (%s), configuration known: %v", k.Version, k.Release, k.Config != nil)
}

func TestVerdict(t *testing.T) {
	vlan := LinkKind("vlan")
	err := errors.ErrUnsupported
	for _, tc := range []struct {
		name string
		k    Kernel
		f    Feature
		skip bool
		msg  string
	}{
		{"compiled out", Kernel{Version: Version{6, 18, 44}, Config: map[string]string{}}, vlan, true,
			"kfeature: vlan links: compiled out (CONFIG_VLAN_8021Q not set)"},
		{"older kernel", Kernel{Version: Version{4, 19, 0}}, Feature{Name: "netkit links", Since: "6.7"}, true,
			"kfeature: netkit links: Linux 4.19.0 is older than 6.7.0, which introduced it: unsupported operation"},
		{"older and compiled out", Kernel{Version: Version{6, 1, 0}, Config: map[string]string{}}, LinkKind("netkit"), true,
			"kfeature: netkit links: Linux 6.1.0 is older than 6.7.0, which introduced it: unsupported operation"},
		{"built but missing", Kernel{Release: "6.1.0-57-amd64", Version: Version{6, 1, 0}, Config: map[string]string{"CONFIG_VLAN_8021Q": "m"}}, vlan, false,
			"kfeature: vlan links: Linux 6.1.0 (6.1.0-57-amd64) reports it missing, yet it is there since 2.6.0 and built (CONFIG_VLAN_8021Q=m): unsupported operation"},
		{"configuration unknown", Kernel{Release: "6.12.57", Version: Version{6, 12, 57}}, vlan, false,
			"kfeature: vlan links: Linux 6.12.57 (6.12.57) reports it missing, yet it is there since 2.6.0: unsupported operation"},
		{"no release", Kernel{Version: Version{6, 1, 0}}, LinkKind("no-such-kind"), false,
			`kfeature: no-such-kind links: bad Since "": want MAJOR.MINOR[.PATCH], have "" (the kernel reported it missing: unsupported operation)`},
	} {
		skip, msg := tc.k.verdict(tc.f, err)
		if skip != tc.skip || msg != tc.msg {
			t.Errorf("%s: verdict = %v, %q\nwant %v, %q", tc.name, skip, msg, tc.skip, tc.msg)
		}
	}
}
