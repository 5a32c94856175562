package rtnl

import (
	"golang.org/x/sys/unix"

	"github.com/nlkit/nlkit/attrs"
	"github.com/nlkit/nlkit/internal/jsonw"
)

// LinkInfo names the kind of a link and holds its kind-specific settings
// (IFLA_LINKINFO). The same values describe a link to create and a link read
// back.
type LinkInfo struct {
	// Kind is the link kind, such as "veth", "bridge" or "vxlan".
	Kind string
	// Data holds the kind's settings (IFLA_INFO_DATA), such as a *Bridge
	// or a *Vxlan. It is nil for kinds without settings and for kinds
	// nlkit does not know.
	Data LinkData
	// SlaveKind is the kind of the master the link is a port of, such as
	// "bridge" or "bond".
	SlaveKind string
	// SlaveData holds the link's settings as a port of its master
	// (IFLA_INFO_SLAVE_DATA), such as a *BridgePort.
	SlaveData LinkData
}

// LinkData is the kind-specific data of a link (IFLA_INFO_DATA), or of a
// link as a port of its master (IFLA_INFO_SLAVE_DATA). It is implemented by
// nlkit's kind types only: *Veth, *Bridge, *BridgePort, *Vxlan, and the
// others documented with them.
type LinkData interface {
	// LinkKind returns the kind the data belongs to: the link's kind, or
	// for port data the master's kind.
	LinkKind() string
	// encode validates the data and appends its attributes inside
	// IFLA_INFO_DATA (or IFLA_INFO_SLAVE_DATA).
	encode(w *writer) error
	// decode reads the attributes of IFLA_INFO_DATA.
	decode(d attrs.Decoder) error
}

// jsonData is implemented by the kinds ip prints info_data (or
// info_slave_data) for: it writes the members of that object.
type jsonData interface {
	writeJSON(w *jsonw.Writer)
}

// linkRefs is implemented by data that names other links by index, whose
// names the list and lookup calls fill in.
type linkRefs interface {
	resolveRefs(name func(index int32) string)
}

// resolveLinkRef sets *name to the name of the link that index refers to,
// when index is set and not zero: how the kinds that name another link by
// index (LinkName, BackupPort) resolve it.
func resolveLinkRef(name *string, index *int32, lookup func(index int32) string) {
	if index != nil && *index != 0 {
		*name = lookup(*index)
	}
}

// newLinkData returns an empty value of the data type for a link kind, or
// nil for a kind whose data nlkit does not decode.
func newLinkData(kind string) LinkData {
	switch kind {
	case "veth":
		return new(Veth)
	case "bridge":
		return new(Bridge)
	case "vxlan":
		return new(Vxlan)
	case "macvlan":
		return new(Macvlan)
	case "macvtap":
		return &Macvlan{Tap: true}
	case "ipvlan":
		return new(Ipvlan)
	case "ipvtap":
		return &Ipvlan{Tap: true}
	case "vlan":
		return new(Vlan)
	case "geneve":
		return new(Geneve)
	case "ipip", "sit", "ip6tnl":
		return &IPTunnel{Kind: kind}
	case "vti", "vti6":
		return &Vti{Kind: kind}
	case "gre", "gretap", "erspan", "ip6gre", "ip6gretap", "ip6erspan":
		return &Gre{Kind: kind}
	case "tun":
		return new(Tun)
	case "vrf":
		return new(Vrf)
	case "bond":
		return new(Bond)
	case "netkit":
		return new(Netkit)
	case "macsec":
		return new(Macsec)
	}
	return nil
}

// newSlaveData returns an empty value of the port data type for a master
// kind, or nil.
func newSlaveData(kind string) LinkData {
	switch kind {
	case "bridge":
		return new(BridgePort)
	case "vrf":
		return new(VrfPort)
	case "bond":
		return new(BondPort)
	}
	return nil
}

// isPrintedKind reports whether iproute2 6.1 has an info_data printer for
// kind: it prints "info_data" for such kinds, as {} when the kernel sent no
// data. nlkit prints it for those of them whose data it decodes.
func isPrintedKind(kind string) bool {
	switch kind {
	case "amt", "bareudp", "bond", "bridge", "can", "dsa", "geneve", "gtp", "hsr", "ipoib",
		"ipvlan", "ipvtap", "macvlan", "macvtap", "rmnet", "vlan", "vrf", "vxlan", "wwan", "macsec",
		"tun", "gre", "gretap", "erspan", "ip6gre", "ip6gretap", "ip6erspan", "ip6tnl", "ipip",
		"sit", "vti", "vti6", "xfrm":
		return true
	}
	return false
}

// isPrintedSlaveKind reports whether iproute2 6.1 prints info_slave_data
// for the ports of a master of kind.
func isPrintedSlaveKind(kind string) bool {
	switch kind {
	case "bond", "bridge", "vrf":
		return true
	}
	return false
}

func decodeLinkInfo(d attrs.Decoder, info *LinkInfo) error {
	var data, slaveData []byte
	var haveData, haveSlaveData bool
	for d.Next() {
		switch d.Type() {
		case unix.IFLA_INFO_KIND:
			info.Kind = internKind(d.StringBytes())
		case unix.IFLA_INFO_SLAVE_KIND:
			info.SlaveKind = internKind(d.StringBytes())
		case unix.IFLA_INFO_DATA:
			data, haveData = d.Bytes(), true
		case unix.IFLA_INFO_SLAVE_DATA:
			slaveData, haveSlaveData = d.Bytes(), true
		}
	}
	if err := d.Err(); err != nil {
		return err
	}
	if haveData {
		if v := newLinkData(info.Kind); v != nil {
			if err := v.decode(attrs.NewDecoder(data)); err != nil {
				return err
			}
			info.Data = v
		}
	}
	if haveSlaveData {
		if v := newSlaveData(info.SlaveKind); v != nil {
			if err := v.decode(attrs.NewDecoder(slaveData)); err != nil {
				return err
			}
			info.SlaveData = v
		}
	}
	return nil
}

// encode appends IFLA_LINKINFO for creating or changing a link.
func (info *LinkInfo) encode(e *writer) error {
	n := e.Nest(unix.IFLA_LINKINFO)
	// Kinds go without a NUL terminator, as iproute2 sends them.
	if info.Kind != "" {
		e.Raw(unix.IFLA_INFO_KIND, []byte(info.Kind))
	}
	if info.Data != nil {
		if info.Kind != "" && info.Data.LinkKind() != info.Kind {
			return errKindMismatch(info.Kind, info.Data)
		}
		d := e.Nest(unix.IFLA_INFO_DATA)
		if err := info.Data.encode(e); err != nil {
			return err
		}
		e.End(d)
	}
	if info.SlaveData != nil {
		kind := info.SlaveKind
		if kind == "" {
			kind = info.SlaveData.LinkKind()
		}
		if kind != info.SlaveData.LinkKind() {
			return errKindMismatch(kind, info.SlaveData)
		}
		e.Raw(unix.IFLA_INFO_SLAVE_KIND, []byte(kind))
		d := e.Nest(unix.IFLA_INFO_SLAVE_DATA)
		if err := info.SlaveData.encode(e); err != nil {
			return err
		}
		e.End(d)
	}
	e.End(n)
	return nil
}

func (info *LinkInfo) resolveRefs(name func(int32) string) {
	for _, v := range []LinkData{info.Data, info.SlaveData} {
		if r, ok := v.(linkRefs); ok {
			r.resolveRefs(name)
		}
	}
}

func (info *LinkInfo) writeJSON(w *jsonw.Writer) {
	w.Open("linkinfo")
	if info.Kind != "" {
		w.String("info_kind", info.Kind)
		if isPrintedKind(info.Kind) && (info.Data != nil || newLinkData(info.Kind) != nil) {
			w.Open("info_data")
			if j, ok := info.Data.(jsonData); ok {
				j.writeJSON(w)
			}
			w.Close()
		}
	}
	if info.SlaveKind != "" {
		w.String("info_slave_kind", info.SlaveKind)
		if isPrintedSlaveKind(info.SlaveKind) && (info.SlaveData != nil || newSlaveData(info.SlaveKind) != nil) {
			w.Open("info_slave_data")
			if j, ok := info.SlaveData.(jsonData); ok {
				j.writeJSON(w)
			}
			w.Close()
		}
	}
	w.Close()
}
