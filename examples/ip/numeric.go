package main

import (
	"encoding/json"
	"strconv"

	"github.com/nlkit/nlkit/rtnl"
)

// With -N ip prints numbers where it prints names: as strings in its JSON,
// and link types in brackets. These functions put them in the objects.

// quoted is the JSON string of n.
func quoted(n uint64) json.RawMessage {
	return json.RawMessage(`"` + strconv.FormatUint(n, 10) + `"`)
}

// replaceIfSet replaces the value of key when the object has it.
func (o object) replaceIfSet(key string, v json.RawMessage) object {
	if o.get(key) == nil {
		return o
	}
	return o.set(key, v)
}

// numericLink puts l's group and link type as numbers into its object.
func (c *command) numericLink(o object, l rtnl.Link) object {
	if !c.opts.numeric {
		return o
	}
	o = o.replaceIfSet("group", quoted(uint64(l.Group)))
	return o.replaceIfSet("link_type", json.RawMessage(`"[`+strconv.Itoa(int(l.Type))+`]"`))
}

// numericAddrs puts the scopes of a link's addresses as numbers into its
// object; as are the addresses of its addr_info, in order.
func (c *command) numericAddrs(o object, as []rtnl.Address) object {
	if !c.opts.numeric {
		return o
	}
	var raws []json.RawMessage
	json.Unmarshal(o.get("addr_info"), &raws)
	for i, raw := range raws {
		a, err := parseObject(raw)
		if err != nil || i >= len(as) || len(a) == 0 {
			continue
		}
		raws[i], _ = a.replaceIfSet("scope", quoted(uint64(as[i].Scope))).MarshalJSON()
	}
	return o.replaceIfSet("addr_info", rawArray(raws))
}

// numericRoute puts r's type, table, protocol and scope as numbers into
// its object.
func (c *command) numericRoute(o object, r rtnl.Route) object {
	if !c.opts.numeric {
		return o
	}
	o = o.replaceIfSet("type", quoted(uint64(r.Type)))
	o = o.replaceIfSet("table", quoted(uint64(r.Table)))
	o = o.replaceIfSet("protocol", quoted(uint64(r.Protocol)))
	return o.replaceIfSet("scope", quoted(uint64(r.Scope)))
}
