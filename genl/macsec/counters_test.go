package macsec_test

import (
	"slices"
	"testing"

	"github.com/nlkit/nlkit/genl/macsec"
)

// TestCounterSets checks the counters ip prints of each set, in its order.
func TestCounterSets(t *testing.T) {
	for _, tc := range []struct {
		set   macsec.CounterSet
		names []string
	}{
		{macsec.SecYCounters, []string{"OutPktsUntagged", "InPktsUntagged", "OutPktsTooLong", "InPktsNoTag", "InPktsBadTag", "InPktsUnknownSCI", "InPktsNoSCI", "InPktsOverrun"}},
		{macsec.TxSCCounters, []string{"OutPktsProtected", "OutPktsEncrypted", "OutOctetsProtected", "OutOctetsEncrypted"}},
		{macsec.RxSCCounters, []string{"InOctetsValidated", "InOctetsDecrypted", "InPktsUnchecked", "InPktsDelayed", "InPktsOK", "InPktsInvalid", "InPktsLate", "InPktsNotValid", "InPktsNotUsingSA", "InPktsUnusedSA"}},
		{macsec.TxSACounters, []string{"OutPktsProtected", "OutPktsEncrypted"}},
		{macsec.RxSACounters, []string{"InPktsOK", "InPktsInvalid", "InPktsNotValid", "InPktsNotUsingSA", "InPktsUnusedSA"}},
	} {
		var names []string
		for _, id := range tc.set.IDs() {
			names = append(names, tc.set.Name(id))
		}
		if !slices.Equal(names, tc.names) {
			t.Errorf("set %d: %q, want %q", tc.set, names, tc.names)
		}
	}
	if got := macsec.TxSACounters.Name(1); got != "" {
		t.Errorf("TxSACounters.Name(1) = %q, want none", got)
	}
	if ids := macsec.TxSACounters.IDs(); !slices.Equal(ids, []uint16{6, 7}) {
		t.Errorf("TxSACounters.IDs() = %v", ids)
	}
}
