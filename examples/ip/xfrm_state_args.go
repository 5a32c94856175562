package main

import (
	"strconv"
	"strings"

	"github.com/nlkit/nlkit/xfrm"
)

// stateFlagBits maps a state flag's name to its bit, 0 for no flag.
func stateFlagBits(name string) uint32 {
	for bit := xfrm.StateFlags(1); bit != 0; bit <<= 1 {
		if n := bit.Names(); len(n) == 1 && n[0] == name {
			return uint32(bit)
		}
	}
	return 0
}

// extraFlagBits maps a state's extra flag's name to its bit, 0 for none.
func extraFlagBits(name string) uint32 {
	for _, bit := range []xfrm.ExtraFlags{xfrm.ExtraDontEncapDSCP, xfrm.ExtraOSeqMayWrap} {
		if bit.Names()[0] == name {
			return uint32(bit)
		}
	}
	return 0
}

// policyFlagBits maps a policy flag's name to its bit, 0 for no flag.
func policyFlagBits(name string) uint32 {
	for _, bit := range []xfrm.PolicyFlags{xfrm.PolicyLocalOK, xfrm.PolicyICMP} {
		if bit.Names()[0] == name {
			return uint32(bit)
		}
	}
	return 0
}

// flags reads a FLAG-LIST after keyword: a 0x number of at most max, or
// names in a row, which bit maps.
func (a *words) flags(keyword string, max uint64, msg string, bit func(string) uint32) (uint32, error) {
	v, err := a.value()
	if err != nil {
		return 0, err
	}
	if len(v) > 2 && strings.HasPrefix(v, "0x") {
		n, err := strconv.ParseUint(v[2:], 16, 64)
		if err != nil || n > max {
			return 0, invarg(msg, v)
		}
		return uint32(n), nil
	}
	var f uint32
	for {
		b := bit(a.last())
		if b == 0 {
			a.back()
			return f, nil
		}
		f |= b
		if !a.more() {
			return f, nil
		}
		a.take()
	}
}

// encap reads `encap TYPE SPORT DPORT OADDR`.
func (a *words) encap() (*xfrm.Encap, error) {
	v, err := a.value()
	if err != nil {
		return nil, err
	}
	e := &xfrm.Encap{}
	switch v {
	case "espinudp-nonike":
		e.Type = xfrm.EncapESPInUDPNonIKE
	case "espinudp":
		e.Type = xfrm.EncapESPInUDP
	case "espintcp":
		e.Type = xfrm.EncapESPInTCP
	default:
		return nil, invarg("ENCAP-TYPE value is invalid", v)
	}
	for _, p := range []struct {
		port *uint16
		name string
	}{{&e.SrcPort, "SPORT"}, {&e.DstPort, "DPORT"}} {
		v, err := a.value()
		if err != nil {
			return nil, err
		}
		n, perr := parseCUint(v, 16)
		if perr != nil {
			return nil, invarg(p.name+" value after \"encap\" is invalid", v)
		}
		*p.port = uint16(n)
	}
	if v, err = a.value(); err != nil {
		return nil, err
	}
	if e.OriginalAddr, err = parseAddr(v); err != nil {
		return nil, &exitError{"Error: any valid address is expected rather than \"" + v + "\".", 1}
	}
	return e, nil
}

// offload reads `offload [dev DEV] dir DIR`.
func (a *words) offload(sa *stateArgs) error {
	v, err := a.value()
	if err != nil {
		return err
	}
	sa.offload = true
	if v == "dev" {
		if sa.offloadDev, err = a.value(); err != nil {
			return err
		}
		if v, err = a.value(); err != nil {
			return err
		}
	}
	if v != "dir" {
		return invarg("value after \"offload dir\" is invalid", v)
	}
	if v, err = a.value(); err != nil {
		return err
	}
	switch v {
	case "in":
		sa.offloadIn = true
	case "out":
	default:
		return invarg("DIR value is invalid", v)
	}
	return nil
}

// outputMark reads `output-mark V [mask M]`.
func (a *words) outputMark() (xfrm.Mark, error) {
	var m xfrm.Mark
	var err error
	if m.Value, err = a.u32Arg("value after \"output-mark\" is invalid"); err != nil {
		return m, err
	}
	if a.peek() == "mask" {
		a.take()
		m.Mask, err = a.u32Arg("mask value is invalid\n")
	}
	return m, err
}

// algorithm reads an ALGO: enc, auth, auth-trunc, aead or comp, the name,
// the key (but for comp), and the truncation or ICV length.
func (a *words) algorithm(s *xfrm.State, sa *stateArgs) error {
	kind := a.last()
	switch kind {
	case "aead":
		if sa.enc || sa.auth || sa.aead {
			return duparg("ALGO-TYPE", kind)
		}
		sa.aead = true
	case "enc":
		if sa.enc || sa.aead {
			return duparg("ALGO-TYPE", kind)
		}
		sa.enc = true
	case "auth", "auth-trunc":
		if sa.auth || sa.aead {
			return duparg("ALGO-TYPE", kind)
		}
		sa.auth = true
	case "comp":
		if sa.comp {
			return duparg("ALGO-TYPE", kind)
		}
		sa.comp = true
	}
	if !a.more() {
		return missarg("ALGO-NAME")
	}
	alg := &xfrm.Algorithm{Name: a.take()}
	if kind != "comp" {
		if !a.more() {
			return missarg("ALGO-KEYMAT")
		}
		a.take()
		key, err := keyBytes(a.last())
		if err != nil {
			return err
		}
		alg.Key = key
	}
	switch kind {
	case "aead", "auth-trunc":
		what := map[string]string{"aead": "ALGO-ICV-LEN", "auth-trunc": "ALGO-TRUNC-LEN"}[kind]
		if !a.more() {
			return missarg(what)
		}
		a.take()
		n, ok := u32(a.last())
		if !ok {
			return invarg(what+" value is invalid", a.last())
		}
		alg.ICVLen, alg.TruncLen = n, n
		if kind == "aead" {
			alg.TruncLen = 0
		} else {
			alg.ICVLen = 0
		}
	}
	switch kind {
	case "aead":
		s.AEAD = alg
	case "enc":
		s.Enc = alg
	case "auth":
		s.Auth = alg
	case "auth-trunc":
		s.AuthTrunc = alg
	case "comp":
		s.Comp = alg
	}
	return nil
}

// keyBytes reads ALGO-KEYMAT: 0x and hex digits (an odd count as if led by
// a zero), or the string's own bytes.
func keyBytes(v string) ([]byte, error) {
	if len(v) <= 2 || !strings.HasPrefix(v, "0x") {
		return []byte(v), nil
	}
	hex := v[2:]
	if len(hex)%2 == 1 {
		hex = "0" + hex
	}
	key := make([]byte, len(hex)/2)
	for i := range key {
		n, err := strconv.ParseUint(hex[2*i:2*i+2], 16, 8)
		if err != nil {
			return nil, invarg("ALGO-KEYMAT value is invalid", v)
		}
		key[i] = byte(n)
	}
	return key, nil
}
