package rtnl

// DecodesKindData reports whether nlkit decodes the info_data ip prints for
// a link kind, or needs none: the tests compare linkinfo exactly then.
func DecodesKindData(kind string) bool {
	return !isPrintedKind(kind) || newLinkData(kind) != nil
}

// DecodesSlaveData is DecodesKindData for info_slave_data.
func DecodesSlaveData(kind string) bool {
	return kind == "" || !isPrintedSlaveKind(kind) || newSlaveData(kind) != nil
}
