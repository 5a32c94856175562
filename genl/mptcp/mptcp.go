package mptcp

// The family's name and interface version (<linux/mptcp.h>).
const (
	familyName = "mptcp_pm"
	version    = 1 // MPTCP_PM_VER
)

// Commands (enum mptcp_pm_command).
const (
	cmdAddAddr    = 1 // MPTCP_PM_CMD_ADD_ADDR
	cmdDelAddr    = 2 // MPTCP_PM_CMD_DEL_ADDR
	cmdGetAddr    = 3 // MPTCP_PM_CMD_GET_ADDR
	cmdFlushAddrs = 4 // MPTCP_PM_CMD_FLUSH_ADDRS
	cmdSetLimits  = 5 // MPTCP_PM_CMD_SET_LIMITS
	cmdGetLimits  = 6 // MPTCP_PM_CMD_GET_LIMITS
	cmdSetFlags   = 7 // MPTCP_PM_CMD_SET_FLAGS
)

// Top-level attributes (MPTCP_PM_ATTR_*).
const (
	attrAddr        = 1 // MPTCP_PM_ATTR_ADDR, nested MPTCP_PM_ADDR_ATTR_*
	attrRcvAddAddrs = 2 // MPTCP_PM_ATTR_RCV_ADD_ADDRS
	attrSubflows    = 3 // MPTCP_PM_ATTR_SUBFLOWS
)

// Endpoint attributes (MPTCP_PM_ADDR_ATTR_*).
const (
	addrAttrFamily = 1 // u16
	addrAttrID     = 2 // u8
	addrAttrAddr4  = 3
	addrAttrAddr6  = 4
	addrAttrPort   = 5 // u16
	addrAttrFlags  = 6 // u32
	addrAttrIfIdx  = 7 // s32
)
