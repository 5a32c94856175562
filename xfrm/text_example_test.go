package xfrm_test

import (
	"fmt"
	"net/netip"
	"strings"

	"golang.org/x/sys/unix"

	"github.com/nlkit/nlkit/xfrm"
)

// A state prints as ip xfrm state show prints it; with NoKeys, as ip's
// nokeys hides the keys. (A $ marks where each line ends: ip leaves a
// space at the end of some.)
func ExampleState_Text() {
	s := xfrm.State{
		Src: netip.MustParseAddr("10.0.0.1"), Dst: netip.MustParseAddr("10.0.0.2"),
		Proto: xfrm.ProtoESP, SPI: 1, Mode: xfrm.ModeTunnel,
		AuthTrunc: &xfrm.Algorithm{Name: "hmac(sha256)", Key: []byte{0xa8, 0x65}, TruncLen: 96},
		Enc:       &xfrm.Algorithm{Name: "cbc(aes)", Key: []byte{0xa5, 0xc8}},
		Replay:    &xfrm.Replay{},
		Selector:  xfrm.Selector{Family: unix.AF_INET},
	}
	fmt.Print(lineEnds(s.Text(xfrm.TextOptions{})))
	fmt.Print(lineEnds(s.Text(xfrm.TextOptions{NoKeys: true})))
	// Output:
	// src 10.0.0.1 dst 10.0.0.2$
	// 	proto esp spi 0x00000001 reqid 0 mode tunnel$
	// 	replay-window 0 $
	// 	auth-trunc hmac(sha256) 0xa865 96$
	// 	enc cbc(aes) 0xa5c8$
	// 	anti-replay context: seq 0x0, oseq 0x0, bitmap 0x00000000$
	// 	sel src 0.0.0.0/0 dst 0.0.0.0/0 $
	// src 10.0.0.1 dst 10.0.0.2$
	// 	proto esp spi 0x00000001 reqid 0 mode tunnel$
	// 	replay-window 0 $
	// 	auth-trunc hmac(sha256) <<Keys hidden>> 96$
	// 	enc cbc(aes) <<Keys hidden>>$
	// 	anti-replay context: seq 0x0, oseq 0x0, bitmap 0x00000000$
	// 	sel src 0.0.0.0/0 dst 0.0.0.0/0 $
}

// A policy prints as ip xfrm policy show prints it. (A $ marks where each
// line ends.)
func ExamplePolicy_Text() {
	p := xfrm.Policy{
		Selector: xfrm.Selector{Family: unix.AF_INET},
		Dir:      xfrm.DirOut,
		Mark:     xfrm.Mark{Value: 1, Mask: 0xffffffff},
		Templates: []xfrm.Template{{
			Src: netip.MustParseAddr("10.0.0.1"), Dst: netip.MustParseAddr("10.0.0.2"), Family: unix.AF_INET,
			Proto: xfrm.ProtoESP, SPI: 1, Mode: xfrm.ModeTunnel,
		}},
	}
	fmt.Print(lineEnds(p.Text(xfrm.TextOptions{})))
	// Output:
	// src 0.0.0.0/0 dst 0.0.0.0/0 $
	// 	dir out priority 0 ptype main $
	// 	mark 0x1/0xffffffff $
	// 	tmpl src 10.0.0.1 dst 10.0.0.2$
	// 		proto esp spi 0x00000001 reqid 0 mode tunnel$
}

// lineEnds marks the end of each line of s with a $.
func lineEnds(s string) string { return strings.ReplaceAll(s, "\n", "$\n") }
