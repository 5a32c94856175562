package main

import (
	"encoding/json"
	"strconv"

	"github.com/nlkit/nlkit/rtnl"
)

// addrLinesObject is a link's object as ip -j addr show prints it with -o
// or -echo, which make ip print each address as a line of its own: each
// addr_info entry starts with its link's index and name, and with -o the
// link's own members are left out.
func addrLinesObject(o object, l rtnl.Link, oneline bool) object {
	name, _ := json.Marshal(l.Name)
	head := object{{"index", json.RawMessage(strconv.Itoa(int(l.Index)))}, {"dev", name}}
	var infos []json.RawMessage
	for _, a := range addrInfos(o) {
		b, _ := append(append(object(nil), head...), a...).MarshalJSON()
		infos = append(infos, b)
	}
	if oneline {
		return object{{"addr_info", rawArray(infos)}}
	}
	return o.set("addr_info", rawArray(infos))
}
