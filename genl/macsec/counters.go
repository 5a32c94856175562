package macsec

// A CounterSet is one of the stats nests of the MACsec dump, for the names
// and the order ip gives their counters in `ip -s macsec show`.
type CounterSet uint8

// The counter sets.
const (
	// SecYCounters are [SecY.Stats].
	SecYCounters = CounterSet(secyStats)
	// TxSCCounters are [SecY.TxSCStats].
	TxSCCounters = CounterSet(txscStats)
	// RxSCCounters are [RxSC.Stats].
	RxSCCounters = CounterSet(rxscStats)
	// TxSACounters are the [SA.Stats] of the transmit SAs.
	TxSACounters = CounterSet(txsaStats)
	// RxSACounters are the [SA.Stats] of the receive SAs.
	RxSACounters = CounterSet(rxsaStats)
)

// IDs returns the IDs of the set's counters that ip prints, in its order.
func (s CounterSet) IDs() []uint16 {
	var ids []uint16
	for id := uint16(1); id < 16; id++ {
		if counterName(statsKind(s), id) != "" {
			ids = append(ids, id)
		}
	}
	return ids
}

// Name returns the name ip gives the set's counter id, or "" for a counter
// ip does not print.
func (s CounterSet) Name(id uint16) string {
	return counterName(statsKind(s), id)
}
