package rtnl

import "strings"

// String returns the flavors' names as ip prints them, joined by commas,
// such as "psp,usd", or "" for none; bits ip has no name for are left out.
func (f Seg6Flavors) String() string {
	var names []string
	for i := range 32 {
		if f&(1<<i) != 0 {
			if name := seg6FlavorName(i); name != "" {
				names = append(names, name)
			}
		}
	}
	return strings.Join(names, ",")
}
