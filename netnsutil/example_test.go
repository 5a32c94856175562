package netnsutil_test

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"log"
	"net"
	"net/netip"
	"os"
	"strings"

	"golang.org/x/sys/unix"

	"github.com/nlkit/nlkit/netnsutil"
	"github.com/nlkit/nlkit/rtnl"
)

// Create a named namespace, as `ip netns add blue`, and remove it.
func ExampleAdd() {
	ctx := context.Background()
	if err := netnsutil.Add(ctx, "blue"); err != nil {
		log.Fatal(err)
	}
	defer netnsutil.Delete(ctx, "blue")
	// `ip netns list` now lists blue, and `ip -n blue ...` works in it.
}

// Talk rtnetlink to a named namespace.
func ExampleOpen() {
	ctx := context.Background()
	ns, err := netnsutil.Open("blue")
	if err != nil {
		log.Fatal(err) // errors.Is(err, nlkit.ErrNotExist) if there is no blue
	}
	defer ns.Close()
	c, err := rtnl.Dial(ctx, rtnl.WithNetNS(ns.FD()))
	if err != nil {
		log.Fatal(err)
	}
	defer c.Close()
	links, err := c.Links(ctx)
	if err != nil {
		log.Fatal(err)
	}
	for _, l := range links {
		fmt.Println(l.Name)
	}
}

// Work that takes its namespace from the calling thread: a socket and a
// /proc/thread-self/net file.
func ExampleDo() {
	ns, err := netnsutil.Open("blue")
	if err != nil {
		log.Fatal(err)
	}
	defer ns.Close()
	var fd int
	var dev []byte
	err = netnsutil.Do(ns, func() error {
		var err error
		if dev, err = os.ReadFile("/proc/thread-self/net/dev"); err != nil {
			return err
		}
		fd, err = unix.Socket(unix.AF_INET, unix.SOCK_DGRAM|unix.SOCK_CLOEXEC, 0)
		return err
	})
	if err != nil {
		log.Fatal(err)
	}
	defer unix.Close(fd) // a socket in blue, usable from any thread
	fmt.Printf("%s", dev)
}

// Run a command as `ip netns exec blue ip -br addr` does.
func ExampleExec() {
	cmd, err := netnsutil.Exec(context.Background(), "blue", "ip", "-br", "addr")
	if err != nil {
		log.Fatal(err)
	}
	cmd.Stdout, cmd.Stderr = os.Stdout, os.Stderr
	if err := cmd.Run(); err != nil {
		log.Fatal(err)
	}
}

// Print what `ip -j netns list` prints.
func ExampleList() {
	list, err := netnsutil.List(context.Background())
	if err != nil {
		log.Fatal(err)
	}
	b, _ := json.Marshal(list)
	fmt.Println(string(b)) // [{"name":"blue","id":0},{"name":"red"}]
}

// Assign nsids, as `ip netns set red auto` and `ip netns set blue 7`, in
// the namespace of green (`ip -n green ...`), and list them.
func ExampleSetIDAuto() {
	ctx := context.Background()
	green, err := netnsutil.Open("green")
	if err != nil {
		log.Fatal(err)
	}
	defer green.Close()
	in := netnsutil.InNetNS(green)
	id, err := netnsutil.SetIDAuto(ctx, "red", in)
	if err != nil {
		log.Fatal(err)
	}
	if err := netnsutil.SetID(ctx, "blue", 7, in); err != nil {
		log.Fatal(err)
	}
	ids, err := netnsutil.ListIDs(ctx, in)
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println(id, ids)
}

// Identify the namespace of a process, and the processes of a namespace.
func ExampleIdentify() {
	ctx := context.Background()
	names, err := netnsutil.Identify(ctx, os.Getpid())
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println(strings.Join(names, " "))
	pids, err := netnsutil.Pids(ctx, "blue")
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println(pids)
}

// Add a multicast address and list those of the device, as
// `ip -n blue maddr add 01:00:5e:01:02:03 dev eth0` and
// `ip -n blue -j maddr show dev eth0`.
func ExampleMaddrs() {
	ctx := context.Background()
	blue, err := netnsutil.Open("blue")
	if err != nil {
		log.Fatal(err)
	}
	defer blue.Close()
	in := netnsutil.InNetNS(blue)
	group := net.HardwareAddr{0x01, 0x00, 0x5e, 0x01, 0x02, 0x03}
	if err := netnsutil.AddMaddr(ctx, "eth0", group, in); err != nil {
		log.Fatal(err)
	}
	links, err := netnsutil.Maddrs(ctx, netnsutil.MaddrFilter{Dev: "eth0"}, in)
	if err != nil {
		log.Fatal(err)
	}
	b, _ := json.Marshal(links)
	fmt.Println(string(b))
}

// Names are checked as `ip netns` checks them.
func ExampleValidateName() {
	for _, name := range []string{"blue", "a/b", ""} {
		fmt.Println(errors.Is(netnsutil.ValidateName(name), netnsutil.ErrInvalidName))
	}
	// Output:
	// false
	// true
	// true
}

// The JSON of a device's multicast addresses, as `ip -j maddr show` prints
// it.
func ExampleMaddrLink_MarshalJSON() {
	l := netnsutil.MaddrLink{Index: 2, Name: "eth0", Addrs: []netnsutil.Maddr{
		{Family: unix.AF_PACKET, Link: net.HardwareAddr{0x01, 0x00, 0x5e, 0x00, 0x00, 0x01}, Users: 1},
		{Family: unix.AF_PACKET, Link: net.HardwareAddr{0x33, 0x33, 0x00, 0x00, 0x00, 0x01}, Users: 2, Static: true},
		{Family: unix.AF_INET, Addr: netip.MustParseAddr("224.0.0.1"), Users: 1},
		{Family: unix.AF_INET6, Addr: netip.MustParseAddr("ff02::1"), Users: 1},
	}}
	b, _ := json.Marshal([]netnsutil.MaddrLink{l})
	fmt.Println(string(b))
	// Output:
	// [{"ifindex":2,"ifname":"eth0","maddr":[{"link":"01:00:5e:00:00:01"},{"link":"33:33:00:00:00:01","users":2,"features":"static"},{"family":"inet","address":"224.0.0.1"},{"family":"inet6","address":"ff02::1"}]}]
}
