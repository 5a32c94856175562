package rtnl

import (
	"fmt"

	"golang.org/x/sys/unix"
)

// ProtoDownReasonChange turns one protodown reason bit of a link on or off
// (`ip link set DEV protodown_reason REASON on|off`).
type ProtoDownReasonChange struct {
	// Reason is the bit, 0 to 31.
	Reason uint8
	// On sets the bit; false clears it.
	On bool
}

func (r *ProtoDownReasonChange) encode(w *writer) error {
	if r.Reason > 31 {
		return errInvalid("protodown reason", fmt.Sprintf("%d is above 31", r.Reason))
	}
	mask := uint32(1) << r.Reason
	var value uint32
	if r.On {
		value = mask
	}
	n := w.Nest(unix.IFLA_PROTO_DOWN_REASON | unix.NLA_F_NESTED)
	w.Uint32(unix.IFLA_PROTO_DOWN_REASON_MASK, mask)
	w.Uint32(unix.IFLA_PROTO_DOWN_REASON_VALUE, value)
	w.End(n)
	return nil
}

// encodeLowerChanges appends the protodown, XDP and VF changes of ch, in
// ip's order of its arguments for a typical command.
func (ch *LinkChange) encodeLowerChanges(w *writer) error {
	putBool(w, unix.IFLA_PROTO_DOWN, ch.ProtoDown)
	if ch.ProtoDownReason != nil {
		if err := ch.ProtoDownReason.encode(w); err != nil {
			return err
		}
	}
	if ch.XDPDetach != nil {
		encodeXDPDetach(w, *ch.XDPDetach)
	}
	if ch.VF != nil {
		return ch.VF.encode(w)
	}
	return nil
}
