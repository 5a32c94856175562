package l2tp

// The family's name and interface version (<linux/l2tp.h>).
const (
	familyName = "l2tp"
	version    = 1 // L2TP_GENL_VERSION
)

// Commands (L2TP_CMD_*).
const (
	cmdTunnelCreate  = 1
	cmdTunnelDelete  = 2
	cmdTunnelGet     = 4
	cmdSessionCreate = 5
	cmdSessionDelete = 6
	cmdSessionGet    = 8
)

// Attributes (L2TP_ATTR_*).
const (
	attrPWType         = 1  // u16
	attrEncapType      = 2  // u16
	attrL2SpecType     = 5  // u8
	attrL2SpecLen      = 6  // u8
	attrProtoVersion   = 7  // u8
	attrIfName         = 8  // string
	attrConnID         = 9  // u32
	attrPeerConnID     = 10 // u32
	attrSessionID      = 11 // u32
	attrPeerSessionID  = 12 // u32
	attrUDPCsum        = 13 // u8
	attrCookie         = 15
	attrPeerCookie     = 16
	attrRecvSeq        = 18 // u8
	attrSendSeq        = 19 // u8
	attrRecvTimeout    = 22 // u64, milliseconds
	attrIPSaddr        = 24
	attrIPDaddr        = 25
	attrUDPSport       = 26 // u16
	attrUDPDport       = 27 // u16
	attrIP6Saddr       = 31
	attrIP6Daddr       = 32
	attrUDPZeroCsum6TX = 33 // flag
	attrUDPZeroCsum6RX = 34 // flag
)

// pwTypeEth is the pseudowire type of the sessions ip makes: Ethernet
// (L2TP_PWTYPE_ETH).
const pwTypeEth = 5
