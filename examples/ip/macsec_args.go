package main

import (
	"net/netip"
	"strconv"
	"strings"

	"github.com/nlkit/nlkit/genl/macsec"
)

// macsecUnknown is ip macsec's report of a word it does not know.
func macsecUnknown(word string) error {
	return usageErr("macsec: unknown command \"" + word + "\"?\n" + macsecUsageText)
}

// macsecSANumber reads `sa AN`, if it comes next, as ip's get_sa does.
func macsecSANumber(args []string) (uint8, []string, bool, error) {
	if len(args) == 0 || args[0] != "sa" {
		return 0, args, false, nil
	}
	if len(args) < 2 {
		return 0, args, false, incomplete()
	}
	n, err := parseCUint(args[1], 8)
	if err != nil || n > 3 {
		return 0, args, false, invarg("expected an { 0..3 }", args[1])
	}
	return uint8(n), args[2:], true, nil
}

// parseMacsecSA reads an SA's options, `[pn N | xpn N] [salt SALT] [ssci
// N] [on|off] [key ID KEY]`, as ip's parse_sa_args does, and makes ip's
// checks of check_sa_args.
func parseMacsecSA(args []string, verb macsecVerb) (macsec.SAConfig, error) {
	var sa macsec.SAConfig
	// ip parses each key into one buffer: a second key overwrites the
	// first's leading bytes, and the key identifier is sent whole.
	var keyID [16]byte
	var key [128]byte
	keyLen := 0
	var salt [12]byte
	var ssci uint32
	var saltSet, ssciSet bool
	for ; len(args) > 0; args = args[1:] {
		w := args[0]
		// ip checks a repeated keyword before it reads the value.
		if ((w == "pn" || w == "xpn") && sa.PN != 0) || (w == "salt" && saltSet) || (w == "ssci" && ssciSet) {
			return sa, duparg2(w, w)
		}
		takes := w == "pn" || w == "xpn" || w == "salt" || w == "ssci" || w == "key"
		if takes && len(args) < 2 {
			return sa, incomplete()
		}
		switch w {
		case "pn", "xpn":
			args = args[1:]
			bits := 32
			if w == "xpn" {
				bits = 64
			}
			n, err := parseCUint(args[0], bits)
			switch {
			case err != nil:
				return sa, invarg("expected pn", args[0])
			case n == 0:
				return sa, invarg("expected pn != 0", args[0])
			}
			sa.PN = n
			sa.XPN = sa.XPN || w == "xpn"
		case "salt":
			args = args[1:]
			if _, ok := hexBytes(args[0], salt[:]); !ok {
				return sa, invarg("expected salt", args[0])
			}
			saltSet = true
		case "ssci":
			args = args[1:]
			n, err := parseHex(args[0], 32)
			if err != nil {
				return sa, invarg("expected ssci", args[0])
			}
			ssci, ssciSet = uint32(n), true
		case "key":
			args = args[1:]
			if _, ok := hexBytes(args[0], keyID[:]); !ok {
				return sa, invarg("expected key id", args[0])
			}
			if len(args) < 2 {
				return sa, incomplete()
			}
			args = args[1:]
			n, ok := hexBytes(args[0], key[:])
			if !ok {
				return sa, invarg("expected key", args[0])
			}
			keyLen = n
		case "on", "off":
			if sa.Active != nil {
				return sa, duparg2("on/off", w)
			}
			sa.Active = boolPtr(w == "on")
		default:
			return sa, macsecUnknown(w)
		}
	}
	switch {
	case verb == macsecAdd && keyLen == 0:
		return sa, &exitError{"cannot create SA without key", 1}
	case verb == macsecAdd && sa.PN == 0:
		return sa, &exitError{"must specify a packet number != 0", 1}
	case verb == macsecSet && keyLen != 0:
		return sa, &exitError{"cannot change key on SA", 1}
	}
	if keyLen != 0 {
		sa.KeyID, sa.Key = keyID[:], key[:keyLen]
	}
	// ip sends the salt and the SSCI with an extended packet number only.
	if sa.XPN && saltSet {
		sa.Salt = salt[:]
	}
	if sa.XPN && ssciSet {
		sa.SSCI = &ssci
	}
	return sa, nil
}

// parseMacsecOnOff reads a receive SC's `[on|off]`, as ip's
// parse_rxsci_args does: nil when neither is given.
func parseMacsecOnOff(args []string) (*bool, error) {
	var active *bool
	for _, w := range args {
		if w != "on" && w != "off" {
			return nil, macsecUnknown(w)
		}
		if active != nil {
			return nil, duparg2("on/off", w)
		}
		active = boolPtr(w == "on")
	}
	return active, nil
}

// parseMacsecSCI reads a receive SC's identifier, `sci SCI` or `port PORT
// address LLADDR` in either order, as ip's get_sci_portaddr does.
func parseMacsecSCI(args []string) (uint64, []string, error) {
	var sci uint64
	var port uint16
	var addr [6]byte
	var s, p, a bool
	for len(args) > 0 && !s && !(p && a) {
		w := args[0]
		switch w {
		case "sci", "port", "address":
		default:
			return 0, args, invarg("expected sci, port, or address", w)
		}
		switch {
		case w == "sci" && p:
			return 0, args, invarg("expected address", w)
		case w == "sci" && a:
			return 0, args, invarg("expected port", w)
		case len(args) < 2:
			return 0, args, incomplete()
		}
		v := args[1]
		args = args[2:]
		switch w {
		case "sci":
			n, err := parseHex(v, 64)
			if err != nil {
				return 0, args, invarg("expected sci", v)
			}
			sci, s = n, true
		case "port":
			n, err := parseCUint(v, 16)
			switch {
			case err != nil:
				return 0, args, invarg("expected port", v)
			case n == 0:
				return 0, args, invarg("expected port != 0", v)
			}
			port, p = uint16(n), true
		case "address":
			if err := llAddrInto(addr[:], v); err != nil {
				return 0, args, err
			}
			a = true
		}
	}
	if !s && !(p && a) {
		return 0, args, usageErr("expected sci\n" + macsecUsageText)
	}
	if !s {
		for _, b := range addr {
			sci = sci<<8 | uint64(b)
		}
		sci = sci<<16 | uint64(port)
	}
	return sci, args, nil
}

// hexBytes reads a string of hexadecimal byte pairs into buf as ip's
// hexstring_a2n does: an odd length is refused, and pairs beyond buf are
// dropped. It returns the number of bytes read.
func hexBytes(s string, buf []byte) (int, bool) {
	if len(s)%2 != 0 {
		return 0, false
	}
	n := 0
	for ; n < len(buf) && len(s) > 1; s = s[2:] {
		// strtoul's leading blanks and plus sign.
		pair := strings.TrimLeft(s[:2], " \t\n\v\f\r")
		pair = strings.TrimPrefix(pair, "+")
		v, err := strconv.ParseUint(pair, 16, 8)
		if err != nil || pair == "" {
			return 0, false
		}
		buf[n] = byte(v)
		n++
	}
	return n, true
}

// llAddrInto reads a link-layer address into buf as ip's ll_addr_a2n
// does: hexadecimal bytes separated by colons, the missing ones left 0,
// or a dotted IPv4 address. Its errors are ip's: its report of the bad
// part, then of the argument, which ip has cut at its first colon.
func llAddrInto(buf []byte, v string) error {
	if strings.Contains(v, ".") {
		ip, err := netip.ParseAddr(v)
		if err != nil || !ip.Is4() {
			return usageErr("\"" + v + "\" is invalid lladdr.\nError: argument \"" + v + "\" is wrong: expected lladdr")
		}
		b := ip.As4()
		copy(buf, b[:])
		return nil
	}
	cut, _, _ := strings.Cut(v, ":")
	rest := v
	for i := range buf {
		part, after, more := strings.Cut(rest, ":")
		n, ok := lladdrByte(part)
		if !ok {
			return usageErr("\"" + part + "\" is invalid lladdr.\nError: argument \"" + cut + "\" is wrong: expected lladdr")
		}
		buf[i] = n
		if !more {
			break
		}
		rest = after
	}
	return nil
}

// lladdrByte reads one byte of a link-layer address as ip does, with C's
// sscanf "%x": after blanks, an optional sign and 0x, the hexadecimal
// digits that lead, which must make 0 to 255.
func lladdrByte(s string) (byte, bool) {
	s = strings.TrimLeft(s, " \t\n\v\f\r")
	neg := false
	if s != "" && (s[0] == '-' || s[0] == '+') {
		neg, s = s[0] == '-', s[1:]
	}
	digits := func(s string) int {
		i := 0
		for i < len(s) && strings.IndexByte("0123456789abcdefABCDEF", s[i]) >= 0 {
			i++
		}
		return i
	}
	if len(s) > 2 && s[0] == '0' && (s[1] == 'x' || s[1] == 'X') && digits(s[2:]) > 0 {
		s = s[2:]
	}
	end := digits(s)
	n, err := strconv.ParseUint(s[:end], 16, 8)
	if end == 0 || err != nil || (neg && n != 0) {
		return 0, false
	}
	return byte(n), true
}
