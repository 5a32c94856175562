package attrs_test

import (
	"fmt"
	"log"

	"golang.org/x/sys/unix"

	"github.com/nlkit/nlkit/attrs"
)

// linkAttrs returns the attributes of an RTM_NEWLINK request creating a VXLAN
// link named vxlan0 with an MTU of 1450.
func linkAttrs() []byte {
	var e attrs.Encoder
	e.String(unix.IFLA_IFNAME, "vxlan0")
	e.Uint32(unix.IFLA_MTU, 1450)
	info := e.Nest(unix.IFLA_LINKINFO | attrs.Nested)
	e.String(unix.IFLA_INFO_KIND, "vxlan")
	e.End(info)
	if err := e.Err(); err != nil {
		log.Fatal(err)
	}
	return e.Bytes()
}

// The Encoder writes the attributes of an RTM_NEWLINK request after its
// fixed-size header, then the same buffer is walked to show the layout:
// every attribute starts on a 4-byte boundary, and the nest's payload holds
// the link kind.
func ExampleEncoder() {
	// Room for struct nlmsghdr and struct ifinfomsg, which the caller fills.
	buf := make([]byte, unix.SizeofNlMsghdr+unix.SizeofIfInfomsg, 4096)

	var e attrs.Encoder
	e.Reset(buf)
	e.String(unix.IFLA_IFNAME, "vxlan0")
	e.Uint32(unix.IFLA_MTU, 1450)
	info := e.Nest(unix.IFLA_LINKINFO | attrs.Nested)
	e.String(unix.IFLA_INFO_KIND, "vxlan")
	e.End(info)
	if err := e.Err(); err != nil {
		log.Fatal(err)
	}
	fmt.Printf("message: %d bytes, attributes from offset %d\n", e.Len(), len(buf))

	d := attrs.NewDecoder(e.Bytes()[len(buf):])
	for d.Next() {
		fmt.Printf("offset %2d: type %2d, flags %#04x, %2d-byte payload\n",
			d.Offset(), d.Type(), d.TypeFlags(), d.Len())
	}
	// Output:
	// message: 68 bytes, attributes from offset 32
	// offset  0: type  3, flags 0x0000,  7-byte payload
	// offset 12: type  4, flags 0x0000,  4-byte payload
	// offset 20: type 18, flags 0x8000, 12-byte payload
}

// The Decoder walks the attributes of a link, descending into IFLA_LINKINFO
// with a Decoder of its own.
func ExampleDecoder() {
	b := linkAttrs()

	var (
		name, kind string
		mtu        uint32
	)
	d := attrs.NewDecoder(b)
	for d.Next() {
		switch d.Type() {
		case unix.IFLA_IFNAME:
			name = d.String()
		case unix.IFLA_MTU:
			mtu = d.Uint32()
		case unix.IFLA_LINKINFO:
			info := d.Nested()
			for info.Next() {
				if info.Type() == unix.IFLA_INFO_KIND {
					kind = info.String()
				}
			}
			if err := info.Err(); err != nil {
				log.Fatal(err)
			}
		}
	}
	if err := d.Err(); err != nil {
		log.Fatal(err)
	}
	fmt.Printf("%s: kind %s, mtu %d\n", name, kind, mtu)
	// Output:
	// vxlan0: kind vxlan, mtu 1450
}

// A malformed attribute stops the walk, and the error says where it is.
func ExampleDecoder_Err() {
	b := append(linkAttrs(), 0, 0) // two stray bytes after the last attribute

	d := attrs.NewDecoder(b)
	n := 0
	for d.Next() {
		n++
	}
	fmt.Println(n, "attributes")
	fmt.Println(d.Err())
	// Output:
	// 3 attributes
	// attrs: malformed attribute at offset 36: 2 trailing bytes, too short for a header
}
