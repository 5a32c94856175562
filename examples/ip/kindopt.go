package main

import (
	"strconv"
)

// The kinds' parsers read their options as ip's *_parse_opt functions do:
// most keywords may be abbreviated (ip's matches()), values follow their
// keyword, and a bad value is ip's invarg() error.

// word consumes the flag keyword kw, or an abbreviation of it, if it comes
// next.
func (p *kindParser) word(kw string) bool {
	if p.err == nil && p.args.more() && matches(p.args.peek(), kw) {
		p.prev = p.args.take()
		return true
	}
	return false
}

// opt consumes `kw VALUE`, kw possibly abbreviated, and returns VALUE; a
// keyword without its value is ip's "Command line is not complete".
func (p *kindParser) opt(kw string) (string, bool) {
	if p.err != nil || !p.args.more() || !matches(p.args.peek(), kw) {
		return "", false
	}
	if p.args.left() < 2 {
		p.failWith(incomplete())
		return "", false
	}
	p.prev = p.args.take()
	p.prevVal = p.args.take()
	return p.prevVal, true
}

// invarg records ip's error for the bad value v of an option.
func (p *kindParser) invarg(what, v string) {
	p.failWith(invarg(what, v))
}

// num reads `kw N` of at most bits bits, N in C's notation (0x…, 0…),
// with what as the error's words.
func (p *kindParser) num(kw, what string, bits int) (uint64, bool) {
	v, ok := p.opt(kw)
	if !ok {
		return 0, false
	}
	n, err := parseCUint(v, bits)
	if err != nil {
		p.invarg(what, v)
		return 0, false
	}
	return n, true
}

// opt8, opt16 and opt32 read `kw N` into *dst.
func (p *kindParser) opt8(dst **uint8, kw, what string) {
	if n, ok := p.num(kw, what, 8); ok {
		v := uint8(n)
		*dst = &v
	}
}

func (p *kindParser) opt16(dst **uint16, kw, what string) {
	if n, ok := p.num(kw, what, 16); ok {
		v := uint16(n)
		*dst = &v
	}
}

func (p *kindParser) opt32(dst **uint32, kw, what string) {
	if n, ok := p.num(kw, what, 32); ok {
		v := uint32(n)
		*dst = &v
	}
}

// optBool01 reads `kw 0|1` (any u8; not 0 is on) into *dst.
func (p *kindParser) optBool01(dst **bool, kw, what string) {
	if n, ok := p.num(kw, what, 8); ok {
		*dst = boolPtr(n != 0)
	}
}

// optOnOff reads `kw on|off` into *dst.
func (p *kindParser) optOnOff(dst **bool, kw string) {
	v, ok := p.opt(kw)
	if !ok {
		return
	}
	on, err := parseOnOff(kw, v)
	if err != nil {
		p.err = err
		return
	}
	*dst = on
}

// flagPair reads the flag `kw` (on) or `nokw` (off) into *dst.
func (p *kindParser) flagPair(dst **bool, kw string) {
	switch {
	case p.exact(kw):
		*dst = boolPtr(true)
	case p.exact("no" + kw):
		*dst = boolPtr(false)
	}
}

// exact consumes the keyword w, unabbreviated, if it comes next.
func (p *kindParser) exact(w string) bool {
	if p.take(w) {
		p.prev = w
		return true
	}
	return false
}

// optNamed reads `kw NAME` where NAME is one of values by its String, or
// its number if numeric is set, as ip's name tables do.
func optNamed[T interface {
	~uint8 | ~uint16 | ~uint32
	String() string
}](p *kindParser, dst **T, kw, what string, numeric bool, values ...T) {
	v, ok := p.opt(kw)
	if !ok {
		return
	}
	if t, ok := named(v, values...); ok {
		*dst = &t
		return
	}
	if n, err := strconv.ParseUint(v, 10, 32); err == nil && numeric {
		for _, t := range values {
			if uint64(t) == n {
				*dst = &t
				return
			}
		}
	}
	p.invarg(what, v)
}

// next consumes the value of the keyword just read; a missing value is
// ip's "Command line is not complete".
func (p *kindParser) next() string {
	if p.err != nil {
		return ""
	}
	v, err := p.args.value()
	if err != nil {
		p.failWith(err)
	}
	return v
}

// prevValue is the value of the option just read.
func (p *kindParser) prevValue() string { return p.prevVal }

func (p *kindParser) opt64(dst **uint64, kw, what string) {
	if n, ok := p.num(kw, what, 64); ok {
		*dst = &n
	}
}
