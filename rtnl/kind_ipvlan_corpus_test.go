package rtnl

import (
	"bytes"
	"testing"

	"golang.org/x/sys/unix"

	"github.com/nlkit/nlkit/attrs"
)

func TestCorpusIpvlanRequests(t *testing.T) {
	lower := int32(3)
	// ip sends the flags always, bridge (0) when none is given.
	for _, tc := range []struct {
		name string
		mode IpvlanMode
	}{
		{"link_add_ipvlan_l2", IpvlanL2},
		{"link_add_ipvlan_l3", IpvlanL3},
		{"link_add_ipvlan_l3s", IpvlanL3S},
	} {
		t.Run(tc.name, func(t *testing.T) {
			checkCorpusAddRequest(t, tc.name, Link{Name: "ipvl0", ParentIndex: &lower,
				Info: &LinkInfo{Data: &Ipvlan{Mode: ptr(tc.mode), Flags: ptr(IpvlanBridge)}}})
		})
	}
}

func FuzzDecodeIpvlan(f *testing.F) {
	for _, b := range corpusKindMessages(f, "ipvlan", "ipvtap") {
		f.Add(b)
	}
	// The kernel's bytes, where it has ipvlan (the VM's kernels).
	for _, b := range kernelLinkMessages(f,
		"link add l0 type veth peer name l0p",
		"link add l1 type veth peer name l1p",
		"link add ii0 link l0 type ipvlan mode l2 private",
		"link add ii1 link l1 type ipvtap mode l3s vepa",
	) {
		if bytes.Contains(b, []byte("ipv")) {
			f.Add(b)
		}
	}
	// And messages as the kernel would send them: mode and flags.
	for _, kind := range []string{"ipvlan", "ipvtap"} {
		f.Add(linkDataMessage(kind, "", func(e *attrs.Encoder) {
			e.Uint16(unix.IFLA_IPVLAN_MODE, 2)
			e.Uint16(unix.IFLA_IPVLAN_FLAGS, 1)
		}))
	}
	f.Fuzz(fuzzDecodeLinkData)
}

func TestDecodeIpvlanMalformed(t *testing.T) {
	for _, tc := range []struct {
		name string
		data func(e *attrs.Encoder)
	}{
		{"wide mode", func(e *attrs.Encoder) { e.Uint32(unix.IFLA_IPVLAN_MODE, 1) }},
		{"short flags", func(e *attrs.Encoder) { e.Uint8(unix.IFLA_IPVLAN_FLAGS, 1) }},
		{"length past the end", func(e *attrs.Encoder) { e.Append([]byte{64, 0, 1, 0, 0, 0, 0, 0}) }},
	} {
		for _, kind := range []string{"ipvlan", "ipvtap"} {
			if _, err := decodeLink(linkDataMessage(kind, "", tc.data)); err == nil {
				t.Errorf("%s %s: decodeLink succeeded", kind, tc.name)
			}
		}
	}
	b := linkDataMessage("ipvtap", "", func(e *attrs.Encoder) {
		e.Uint16(unix.IFLA_IPVLAN_MODE, 7)
		e.Uint16(unix.IFLA_IPVLAN_FLAGS, 2)
	})
	l, err := decodeLink(b)
	if err != nil {
		t.Fatal(err)
	}
	if v := l.Info.Data.(*Ipvlan); !v.Tap || *v.Mode != 7 || *v.Flags != IpvlanVEPA {
		t.Errorf("decoded %+v", v)
	}
	// ip prints an unknown mode as "unknown".
	if js, _ := l.MarshalJSON(); !bytes.Contains(js, []byte(`"info_data":{"mode":"unknown","vepa":true}`)) {
		t.Errorf("JSON %s", js)
	}
}
