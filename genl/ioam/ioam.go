package ioam

// The family's name and interface version (<linux/ioam6_genl.h>).
const (
	familyName = "IOAM6"
	version    = 1 // IOAM6_GENL_VERSION
)

// Commands (IOAM6_CMD_*).
const (
	cmdAddNamespace   = 1
	cmdDelNamespace   = 2
	cmdDumpNamespaces = 3
	cmdAddSchema      = 4
	cmdDelSchema      = 5
	cmdDumpSchemas    = 6
	cmdSetSchema      = 7 // IOAM6_CMD_NS_SET_SCHEMA
)

// Attributes (IOAM6_ATTR_*).
const (
	attrNSID       = 1 // u16
	attrNSData     = 2 // u32
	attrNSDataWide = 3 // u64
	attrSCID       = 4 // u32
	attrSCData     = 5
	attrSCNone     = 6 // flag
)

// MaxSchemaData is the longest data a schema holds (IOAM6_MAX_SCHEMA_DATA_LEN).
const MaxSchemaData = 255 * 4
