package main

import "github.com/nlkit/nlkit/rtnl"

// tunnelKeys are a tunnel's GRE keys and flags (the i_flags, o_flags,
// i_key and o_key of the kernel's tunnel parameters), shared by ip tunnel
// and ip -6 tunnel.
type tunnelKeys struct {
	iflags, oflags int
	ikey, okey     uint32
}

// setKeys sets the input and output keys that are not nil, each with its
// key flag.
func (k *tunnelKeys) setKeys(ik, ok *uint32) {
	if ik != nil {
		k.iflags, k.ikey = k.iflags|tunKey, *ik
	}
	if ok != nil {
		k.oflags, k.okey = k.oflags|tunKey, *ok
	}
}

// setGre sets the keys and the sequence and checksum flags of a GRE
// tunnel.
func (k *tunnelKeys) setGre(d *rtnl.Gre) {
	k.setKeys(d.IKey, d.OKey)
	for _, f := range []struct {
		on    bool
		flags *int
		bit   int
	}{{d.ISeq, &k.iflags, tunSeq}, {d.OSeq, &k.oflags, tunSeq}, {d.ICsum, &k.iflags, tunCsum}, {d.OCsum, &k.oflags, tunCsum}} {
		if f.on {
			*f.flags |= f.bit
		}
	}
}

// valueOrZero returns *v, or the zero value when v is nil.
func valueOrZero[T any](v *T) T {
	if v == nil {
		var zero T
		return zero
	}
	return *v
}

// nonZero returns v, or nil when it points to 0.
func nonZero(v *uint32) *uint32 {
	if v != nil && *v == 0 {
		return nil
	}
	return v
}
