package main

import (
	"testing"

	"github.com/nlkit/nlkit/internal/kfeature"
)

// macsecKey is a 128-bit key, as ip reads it.
const macsecKey = "00112233445566778899aabbccddeeff"

// macsecLinks makes the MACsec links the macsec tests work on: ms0
// (GCM-AES-128) and ms1 (GCM-AES-XPN-128, replay protection on), over a
// veth.
func macsecLinks() []string {
	return []string{
		"link add d0 address 02:00:00:00:00:d0 type veth peer d0p",
		"link add link d0 ms0 type macsec port 11 encrypt on",
		"link add link d0 ms1 type macsec port 12 cipher gcm-aes-xpn-128 replay on window 32",
	}
}

// TestMacsec adds, changes and deletes MACsec SAs and SCs with ip and with
// the example and compares them and ip macsec show's outputs.
func TestMacsec(t *testing.T) {
	genlFamilyMissing(t, kfeature.LinkKind("macsec"), "macsec", "show")
	cmds := make([]string, 0, 32)
	for _, l := range macsecLinks() {
		cmds = append(cmds, "host "+l)
	}
	cmds = append(cmds,
		"host macsec add ms0 tx sa 0 pn 1 on key 01 "+macsecKey,
		"host macsec add ms0 tx sa 1 pn 100 off key 0203 "+macsecKey,
		"host macsec set ms0 tx sa 1 pn 200 on",
		"host macsec a ms0 tx sa 3 pn 1 key 05 "+macsecKey,
		"host macsec del ms0 tx sa 3",
		"host macsec add ms0 rx sci 0200000000020001 on",
		"host macsec add ms0 rx port 7 address 02:00:00:00:00:03",
		"host macsec set ms0 rx address 02:00:00:00:00:03 port 7 off",
		"host macsec set ms0 rx sci 0200000000020001",
		"host macsec add ms0 rx sci 0200000000020001 sa 2 pn 5 key 04 "+macsecKey,
		"host macsec set ms0 rx sci 0200000000020001 sa 2 pn 9 on",
		"host macsec add ms0 rx sci 0200000000020001 sa 3 pn 0x10 off key 06 "+macsecKey,
		"host macsec d ms0 rx sci 0200000000020001 sa 3",
		"host macsec add ms0 rx sci 0x0200000000040001",
		"host macsec del ms0 rx sci 0200000000040001",
		"host macsec add ms1 tx sa 0 xpn 4294967300 ssci 1 salt 0102030405060708090a0b0c on key 07 "+macsecKey,
		"host macsec add ms1 rx sci 0200000000050001",
		"host macsec add ms1 rx sci 0200000000050001 sa 1 xpn 7 ssci 0xa0b salt 0c0b0a090807060504030201 key 08 "+macsecKey,
		"host macsec offload ms0 off",
	)
	replayObject(t, scenario{roles: []string{"host"}, cmds: cmds},
		"macsec show", "-j macsec show", "-s macsec show", "-j -p -s macsec show", "-o macsec show", "macsec show ms1", "macsec s d0")
}

// TestMacsecErrors checks the example's errors for ip macsec against ip's:
// those of its arguments, and the kernel's. (Without MACsec, ip reports
// the missing family before it reads its arguments.)
func TestMacsecErrors(t *testing.T) {
	sameErrors(t, nil, "macsec show", "macsec add ms0 tx sa 9")
	genlFamilyMissing(t, kfeature.LinkKind("macsec"), "macsec", "show")
	setup := append(macsecLinks(), "macsec add ms0 tx sa 0 pn 1 on key 01 "+macsecKey)
	sameErrors(t, setup,
		"macsec", "macsec frob", "macsec show nosuch", "macsec show ms0 extra",
		"macsec add", "macsec add nosuch tx sa 0", "macsec add ms0", "macsec add ms0 frob", "macsec add ms0 tx",
		"macsec add ms0 tx sa", "macsec add ms0 tx sa 4", "macsec add ms0 tx sa 1 pn 1",
		"macsec add ms0 tx sa 1 key 01 "+macsecKey, "macsec add ms0 tx sa 1 pn 0", "macsec add ms0 tx sa 1 pn x",
		"macsec add ms0 tx sa 1 pn 1 pn 2", "macsec add ms0 tx sa 1 xpn 1 pn 2",
		"macsec add ms0 tx sa 1 pn 1 on off", "macsec add ms0 tx sa 1 pn 1 key 01", "macsec add ms0 tx sa 1 pn 1 key 01 abc", "macsec add ms0 tx sa 1 pn 1 salt zz",
		"macsec add ms0 tx sa 1 pn 1 salt 01 salt 02", "macsec add ms0 tx sa 1 pn 1 frob",
		"macsec add ms0 tx sa 1 pn",
		"macsec add ms0 tx sa 0 pn 1 key 01 "+macsecKey, "macsec set ms0 tx sa 0 key 01 "+macsecKey, "macsec set ms0 tx sa 2 pn 5",
		"macsec del ms0 tx sa 2", "macsec add ms0 rx", "macsec add ms0 rx port 5", "macsec add ms0 rx port 0 address 02:00:00:00:00:01",
		"macsec add ms0 rx port 5 sci 01", "macsec add ms0 rx address 02:00:00:00:00:01 sci 01",
		"macsec add ms0 rx address 02:zz:00 port 5", "macsec add ms0 rx address 1.2.3.x port 5",
		"macsec add ms0 rx frob", "macsec add ms0 rx sci zz", "macsec add ms0 rx sci 01 maybe",
		"macsec add ms0 rx sci 01 on on", "macsec add ms0 rx sci 01 sa 0 pn 1 on key 01",
		"macsec set ms0 rx sci 09", "macsec del ms0 rx sci 09 sa 1", "macsec add ms0 rx sci 09 sa 1 pn 1 key 01 "+macsecKey,
		"macsec offload nosuch off", "macsec offload ms0", "macsec offload ms0 foo", "macsec offload ms0 phy",
		"macsec offload d0 off", "macsec del ms0 tx sa 0")
}
