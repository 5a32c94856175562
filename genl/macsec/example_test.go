package macsec_test

import (
	"context"
	"fmt"
	"log"

	"github.com/nlkit/nlkit/genl"
	"github.com/nlkit/nlkit/genl/macsec"
)

// Give the MACsec link of index 5 in a named namespace a transmit SA and a
// peer's receive channel, as `ip macsec add ms0 tx sa 0 pn 1 on key 01
// KEY` and `ip macsec add ms0 rx sci 0200000000020001 on` do.
func ExampleAddTxSA() {
	ctx := context.Background()
	c, err := genl.Dial(ctx, genl.WithNetNSPath("/run/netns/blue"))
	if err != nil {
		log.Fatal(err)
	}
	defer c.Close()
	on := true
	key := []byte("0123456789abcdef") // 16 bytes: GCM-AES-128
	if err := macsec.AddTxSA(ctx, c, 5, macsec.SAConfig{AN: 0, PN: 1, KeyID: []byte{1}, Key: key, Active: &on}); err != nil {
		log.Fatal(err)
	}
	if err := macsec.AddRxSC(ctx, c, 5, 0x0200000000020001, &on); err != nil {
		log.Fatal(err)
	}
}

// Print the names of a transmit SA's counters, in the order `ip -s macsec
// show` prints them.
func ExampleCounterSet() {
	for _, id := range macsec.TxSACounters.IDs() {
		fmt.Println(id, macsec.TxSACounters.Name(id))
	}
	// Output:
	// 6 OutPktsProtected
	// 7 OutPktsEncrypted
}
