package main

import (
	"strconv"
	"strings"

	"github.com/nlkit/nlkit/rtnl"
)

// macsec reads the settings of `type macsec` (ip's macsec_parse_opt):
// `[sci SCI | port PORT] [cipher SUITE] [icvlen N] [encrypt|send_sci|
// end_station|scb|protect|replay on|off] [window N] [validate MODE]
// [encodingsa AN] [offload MODE]`.
func (p *kindParser) macsec() *rtnl.Macsec {
	m := &rtnl.Macsec{}
	var replay *bool
	p.each(func() {
		if v, ok := p.exactOpt("sci"); ok {
			n, err := parseHex(v, 64)
			if err != nil {
				p.invarg("expected sci", v)
				return
			}
			m.SCI = &n
		}
		if v, ok := p.exactOpt("port"); ok {
			n, err := parseCUint(v, 16)
			switch {
			case err != nil:
				p.invarg("expected port", v)
			case n == 0:
				p.invarg("expected port != 0", v)
			}
			port := uint16(n)
			m.Port = &port
		}
		if v, ok := p.exactOpt("cipher"); ok {
			cs, ok := macsecCipher(v)
			if !ok {
				p.invarg("expected: default, gcm-aes-128, gcm-aes-256, gcm-aes-xpn-128 or gcm-aes-xpn-256", v)
			}
			m.CipherSuite = &cs
		}
		if v, ok := p.exactOpt("icvlen"); ok {
			n, err := strconv.ParseUint(v, 10, 8)
			switch {
			case err != nil:
				p.invarg("expected ICV length", v)
			case n < 8 || n > 16:
				p.invarg("ICV length must be in the range {8..16}", v)
			}
			l := uint8(n)
			m.ICVLen = &l
		}
		for _, f := range []struct {
			kw  string
			dst **bool
		}{{"encrypt", &m.Encrypt}, {"send_sci", &m.IncludeSCI}, {"end_station", &m.EndStation}, {"scb", &m.SCB}, {"protect", &m.Protect}, {"replay", &replay}} {
			if p.args.peek() == f.kw {
				p.optOnOff(f.dst, f.kw)
			}
		}
		if v, ok := p.exactOpt("window"); ok {
			n, err := parseCUint(v, 32)
			if err != nil {
				p.invarg("expected replay window size", v)
			}
			w := uint32(n)
			m.Window = &w
		}
		if p.args.peek() == "validate" {
			optNamed(p, &m.Validation, "validate", "", false, rtnl.MacsecValidateDisabled, rtnl.MacsecValidateCheck, rtnl.MacsecValidateStrict)
		}
		if v, ok := p.exactOpt("encodingsa"); ok {
			n, err := parseCUint(v, 8)
			if err != nil || n > 3 {
				p.invarg("expected an { 0..3 }", v)
			}
			an := uint8(n)
			m.EncodingSA = &an
		}
		if p.args.peek() == "offload" {
			optNamed(p, &m.Offload, "offload", "", false, rtnl.MacsecOffloadOff, rtnl.MacsecOffloadPHY, rtnl.MacsecOffloadMAC)
		}
	})
	// ip's checks after its loop fail with exit status 1.
	switch {
	case p.err != nil:
	case m.Window != nil && replay == nil:
		p.err = &exitError{"replay window set, but replay protection not enabled. did you mean 'replay on window " + strconv.FormatUint(uint64(*m.Window), 10) + "'?", 1}
	case m.Window == nil && replay != nil && *replay:
		p.err = &exitError{"replay protection enabled, but no window set. did you mean 'replay on window VALUE'?", 1}
	case replay != nil:
		m.ReplayProtect = replay
		if m.Window == nil {
			m.Window = new(uint32)
			*m.Window = ^uint32(0)
		}
	}
	return m
}

// macsecCipher reads a cipher suite by ip's names.
func macsecCipher(v string) (rtnl.MacsecCipher, bool) {
	if v == "default" {
		return rtnl.MacsecDefaultCipher, true
	}
	for _, cs := range []rtnl.MacsecCipher{rtnl.MacsecGCMAES128, rtnl.MacsecGCMAES256, rtnl.MacsecGCMAESXPN128, rtnl.MacsecGCMAESXPN256} {
		if name := cs.String(); v == name || v == strings.ToLower(name) {
			return cs, true
		}
	}
	return 0, false
}

// exactOpt consumes `kw VALUE`, kw unabbreviated, and returns VALUE.
func (p *kindParser) exactOpt(kw string) (string, bool) {
	if p.err != nil || p.args.peek() != kw {
		return "", false
	}
	return p.opt(kw)
}
