package macsec

import (
	"fmt"

	"github.com/nlkit/nlkit/attrs"
	"github.com/nlkit/nlkit/internal/jsonw"
)

// A Counter is one statistic of a SecY, a channel or an association: its
// attribute number in its stats nest and its value.
type Counter struct {
	// ID is the counter's attribute number (MACSEC_*_STATS_ATTR_*).
	ID uint16
	// Value is the counter's value.
	Value uint64
}

// statsKind says which stats nest counters come from, for their names.
type statsKind int

const (
	secyStats statsKind = iota
	txscStats
	rxscStats
	txsaStats
	rxsaStats
)

// counterName returns the name ip prints for counter id of the kind, or ""
// for one ip does not print.
func counterName(kind statsKind, id uint16) string {
	switch kind {
	case secyStats:
		switch id {
		case 1:
			return "OutPktsUntagged"
		case 2:
			return "InPktsUntagged"
		case 3:
			return "OutPktsTooLong"
		case 4:
			return "InPktsNoTag"
		case 5:
			return "InPktsBadTag"
		case 6:
			return "InPktsUnknownSCI"
		case 7:
			return "InPktsNoSCI"
		case 8:
			return "InPktsOverrun"
		}
	case txscStats:
		switch id {
		case 1:
			return "OutPktsProtected"
		case 2:
			return "OutPktsEncrypted"
		case 3:
			return "OutOctetsProtected"
		case 4:
			return "OutOctetsEncrypted"
		}
	case rxscStats:
		switch id {
		case 1:
			return "InOctetsValidated"
		case 2:
			return "InOctetsDecrypted"
		case 3:
			return "InPktsUnchecked"
		case 4:
			return "InPktsDelayed"
		case 5:
			return "InPktsOK"
		case 6:
			return "InPktsInvalid"
		case 7:
			return "InPktsLate"
		case 8:
			return "InPktsNotValid"
		case 9:
			return "InPktsNotUsingSA"
		case 10:
			return "InPktsUnusedSA"
		}
	case txsaStats:
		switch id {
		case 6:
			return "OutPktsProtected"
		case 7:
			return "OutPktsEncrypted"
		}
	case rxsaStats:
		switch id {
		case 1:
			return "InPktsOK"
		case 2:
			return "InPktsInvalid"
		case 3:
			return "InPktsNotValid"
		case 4:
			return "InPktsNotUsingSA"
		case 5:
			return "InPktsUnusedSA"
		}
	}
	return ""
}

// decodeCounters decodes a stats nest: every counter of 1, 2, 4 or 8
// bytes, in the kernel's order.
func decodeCounters(d attrs.Decoder) ([]Counter, error) {
	var cs []Counter
	for d.Next() {
		var v uint64
		switch d.Len() {
		case 8:
			v = d.Uint64()
		case 4:
			v = uint64(d.Uint32())
		case 2:
			v = uint64(d.Uint16())
		case 1:
			v = uint64(d.Uint8())
		case 0:
			continue // padding
		default:
			return cs, fmt.Errorf("counter %d of %d bytes", d.Type(), d.Len())
		}
		cs = append(cs, Counter{ID: d.Type(), Value: v})
	}
	return cs, d.Err()
}

// writeCounters writes the counters ip prints, by name, in attribute order
// as ip does.
func writeCounters(w *jsonw.Writer, kind statsKind, cs []Counter) {
	for id := uint16(1); id < 16; id++ {
		name := counterName(kind, id)
		if name == "" {
			continue
		}
		for _, c := range cs {
			if c.ID == id {
				w.Uint(name, c.Value)
				break
			}
		}
	}
}
