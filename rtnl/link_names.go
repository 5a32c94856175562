package rtnl

// linkName returns the name of the link with the given index, or "" when
// no link has it; it looks up only positive indexes.
func (lc *linkCache) linkName(index int32) string {
	if index <= 0 {
		return ""
	}
	l, _ := lc.lookup(index)
	return l.Name
}
