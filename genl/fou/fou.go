package fou

// The family's name and interface version (<linux/fou.h>).
const (
	familyName = "fou"
	version    = 1 // FOU_GENL_VERSION
)

// Commands (FOU_CMD_*).
const (
	cmdAdd = 1
	cmdDel = 2
	cmdGet = 3
)

// Attributes (FOU_ATTR_*).
const (
	attrPort     = 1 // be16
	attrAF       = 2 // u8
	attrIPProto  = 3 // u8
	attrType     = 4 // u8, FOU_ENCAP_*
	attrLocalV4  = 6
	attrLocalV6  = 7
	attrPeerV4   = 8
	attrPeerV6   = 9
	attrPeerPort = 10 // be16
	attrIfIndex  = 11 // s32
)
