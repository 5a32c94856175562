// Package macsec configures the secure channels and associations of MACsec
// links over generic netlink (family macsec), as `ip macsec` does: transmit
// SAs ([AddTxSA], [UpdateTxSA], [DeleteTxSA]), receive SCs ([AddRxSC],
// [UpdateRxSC], [DeleteRxSC]) and their SAs ([AddRxSA], [UpdateRxSA],
// [DeleteRxSA]), offload ([SetOffload]) and the state of every MACsec link
// ([List], [ListSeq]). The links themselves are rtnl links of kind macsec
// ([rtnl.Macsec]).
//
// The JSON of a [SecY] is what `ip -j -s macsec show` (iproute2 6.1)
// prints for the link, quirks included.
package macsec
