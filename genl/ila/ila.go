package ila

// The family's name and interface version (<linux/ila.h>).
const (
	familyName = "ila"
	version    = 1 // ILA_GENL_VERSION
)

// Commands (ILA_CMD_*).
const (
	cmdAdd = 1
	cmdDel = 2
	cmdGet = 3
)

// Attributes (ILA_ATTR_*).
const (
	attrLocator      = 1 // u64, in network order
	attrLocatorMatch = 3 // u64, in network order
	attrIfIndex      = 4 // s32
	attrCsumMode     = 7 // u8, ILA_CSUM_*
	attrIdentType    = 8 // u8, ILA_ATYPE_*
)
