package tcpmetrics

// The family's name and interface version (<linux/tcp_metrics.h>).
const (
	familyName = "tcp_metrics"
	version    = 1 // TCP_METRICS_GENL_VERSION
)

// Commands (TCP_METRICS_CMD_*).
const (
	cmdGet = 1
	cmdDel = 2
)

// Attributes (TCP_METRICS_ATTR_*).
const (
	attrAddrIPv4        = 1
	attrAddrIPv6        = 2
	attrAge             = 3 // u64, milliseconds
	attrTWTSVal         = 4 // u32
	attrTWTSStamp       = 5 // s32
	attrVals            = 6 // nested, TCP_METRIC_* + 1
	attrFastOpenMSS     = 7 // u16
	attrFastOpenSynDrop = 8 // u16
	attrFastOpenDropTS  = 9 // u64, milliseconds
	attrFastOpenCookie  = 10
	attrSaddrIPv4       = 11
	attrSaddrIPv6       = 12
)

// Metrics in TCP_METRICS_ATTR_VALS: enum tcp_metric_index plus one.
const (
	metricRTT        = 1 // milliseconds << 3
	metricRTTVar     = 2 // milliseconds << 2
	metricSSThresh   = 3
	metricCwnd       = 4
	metricReordering = 5
	metricRTTUs      = 6 // microseconds << 3
	metricRTTVarUs   = 7 // microseconds << 2
)
