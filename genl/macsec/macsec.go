package macsec

// The family's name and interface version (<linux/if_macsec.h>).
const (
	familyName = "macsec"
	version    = 1 // MACSEC_GENL_VERSION
)

// Commands (enum macsec_nl_commands).
const (
	cmdGetTxSC    = 0
	cmdAddRxSC    = 1
	cmdDelRxSC    = 2
	cmdUpdRxSC    = 3
	cmdAddTxSA    = 4
	cmdDelTxSA    = 5
	cmdUpdTxSA    = 6
	cmdAddRxSA    = 7
	cmdDelRxSA    = 8
	cmdUpdRxSA    = 9
	cmdUpdOffload = 10
)

// Top-level attributes (MACSEC_ATTR_*).
const (
	attrIfIndex    = 1
	attrRxSCConfig = 2
	attrSAConfig   = 3
	attrSecY       = 4
	attrTxSAList   = 5
	attrRxSCList   = 6
	attrTxSCStats  = 7
	attrSecYStats  = 8
	attrOffload    = 9
)

// SecY attributes (MACSEC_SECY_ATTR_*).
const (
	secyAttrSCI         = 1
	secyAttrEncodingSA  = 2
	secyAttrWindow      = 3
	secyAttrCipherSuite = 4
	secyAttrICVLen      = 5
	secyAttrProtect     = 6
	secyAttrReplay      = 7
	secyAttrOper        = 8
	secyAttrValidate    = 9
	secyAttrEncrypt     = 10
	secyAttrIncSCI      = 11
	secyAttrES          = 12
	secyAttrSCB         = 13
)

// Receive SC attributes (MACSEC_RXSC_ATTR_*).
const (
	rxscAttrSCI    = 1
	rxscAttrActive = 2
	rxscAttrSAList = 3
	rxscAttrStats  = 4
)

// SA attributes (MACSEC_SA_ATTR_*).
const (
	saAttrAN     = 1
	saAttrActive = 2
	saAttrPN     = 3
	saAttrKey    = 4
	saAttrKeyID  = 5
	saAttrStats  = 6
	saAttrSSCI   = 8
	saAttrSalt   = 9
)

// offloadAttrType is MACSEC_OFFLOAD_ATTR_TYPE.
const offloadAttrType = 1

// Lengths of an SA's key identifier and salt (MACSEC_KEYID_LEN,
// MACSEC_SALT_LEN), and the longest key (MACSEC_MAX_KEY_LEN).
const (
	keyIDLen  = 16
	saltLen   = 12
	maxKeyLen = 128
)
