package netnsutil

import (
	"encoding/json"
	"testing"

	"golang.org/x/sys/unix"
)

// Proc files and `ip -j maddr show` output captured together (iproute2
// 6.1, kernel 6.18), plus a device with a 15-byte name, a static address
// used twice and a group with two users, made up in the kernel's formats.
const (
	sampleDevMcast = `2    ifb0            1     0     333300000001
3    ifb1            1     0     333300000001
4    eth0            1     0     333300000001
4    eth0            1     0     01005e000001
4    eth0            1     0     3333ff000001
4    eth0            1     0     3333ff000002
5    abcdefghijklmno 2     1     01005e010203
`
	sampleIGMP = "Idx\tDevice    : Count Querier\tGroup    Users Timer\tReporter\n" +
		"1\tlo        :     1      V3\n" +
		"\t\t\t\t010000E0     1 0:00000000\t\t0\n" +
		"4\teth0      :     1      V3\n" +
		"\t\t\t\t010000E0     1 0:00000000\t\t0\n" +
		"5\tabcdefghijklmno:     2      V3\n" +
		"\t\t\t\t030201E0     2 0:00000000\t\t0\n" +
		"\t\t\t\t010000E0     1 0:00000000\t\t0\n"
	sampleIGMP6 = `1    lo              ff020000000000000000000000000001     1 0000000C 0
1    lo              ff010000000000000000000000000001     1 00000008 0
2    ifb0            ff020000000000000000000000000001     1 0000000C 0
2    ifb0            ff010000000000000000000000000001     1 00000008 0
3    ifb1            ff020000000000000000000000000001     1 0000000C 0
3    ifb1            ff010000000000000000000000000001     1 00000008 0
4    eth0            ff0200000000000000000001ff000002     1 00000004 0
4    eth0            ff0200000000000000000001ff000001     1 00000004 0
4    eth0            ff020000000000000000000000000001     1 0000000C 0
4    eth0            ff010000000000000000000000000001     1 00000008 0
`
	// The first four devices as ip printed them.
	sampleJSON = `[{"ifindex":1,"ifname":"lo","maddr":[{"family":"inet","address":"224.0.0.1"},{"family":"inet6","address":"ff02::1"},{"family":"inet6","address":"ff01::1"}]},{"ifindex":2,"ifname":"ifb0","maddr":[{"link":"33:33:00:00:00:01"},{"family":"inet6","address":"ff02::1"},{"family":"inet6","address":"ff01::1"}]},{"ifindex":3,"ifname":"ifb1","maddr":[{"link":"33:33:00:00:00:01"},{"family":"inet6","address":"ff02::1"},{"family":"inet6","address":"ff01::1"}]},{"ifindex":4,"ifname":"eth0","maddr":[{"link":"33:33:00:00:00:01"},{"link":"01:00:5e:00:00:01"},{"link":"33:33:ff:00:00:01"},{"link":"33:33:ff:00:00:02"},{"family":"inet","address":"224.0.0.1"},{"family":"inet6","address":"ff02::1:ff00:2"},{"family":"inet6","address":"ff02::1:ff00:1"},{"family":"inet6","address":"ff02::1"},{"family":"inet6","address":"ff01::1"}]},` +
		`{"ifindex":5,"ifname":"abcdefghijklmno","maddr":[{"link":"01:00:5e:01:02:03","users":2,"features":"static"},{"family":"inet","address":"224.1.2.3","users":2},{"family":"inet","address":"224.0.0.1"}]}]`
)

func TestParseMaddrs(t *testing.T) {
	all := append(parseDevMcast([]byte(sampleDevMcast)), parseIGMP([]byte(sampleIGMP))...)
	all = append(all, parseIGMP6([]byte(sampleIGMP6))...)
	got, err := json.Marshal(groupMaddrs(all, ""))
	if err != nil {
		t.Fatal(err)
	}
	if string(got) != sampleJSON {
		t.Errorf("got  %s\nwant %s", got, sampleJSON)
	}

	// A filter on a device, and one on a family.
	got, _ = json.Marshal(groupMaddrs(all, "ifb1"))
	if want := `[{"ifindex":3,"ifname":"ifb1","maddr":[{"link":"33:33:00:00:00:01"},{"family":"inet6","address":"ff02::1"},{"family":"inet6","address":"ff01::1"}]}]`; string(got) != want {
		t.Errorf("dev ifb1: got %s\nwant %s", got, want)
	}
	got, _ = json.Marshal(groupMaddrs(parseIGMP([]byte(sampleIGMP)), ""))
	if want := `[{"ifindex":1,"ifname":"lo","maddr":[{"family":"inet","address":"224.0.0.1"}]},{"ifindex":4,"ifname":"eth0","maddr":[{"family":"inet","address":"224.0.0.1"}]},{"ifindex":5,"ifname":"abcdefghijklmno","maddr":[{"family":"inet","address":"224.1.2.3","users":2},{"family":"inet","address":"224.0.0.1"}]}]`; string(got) != want {
		t.Errorf("-4: got %s\nwant %s", got, want)
	}
	got, _ = json.Marshal(groupMaddrs(nil, ""))
	if string(got) != "[]" {
		t.Errorf("nothing: got %s, want []", got)
	}
	got, _ = json.Marshal(groupMaddrs(all, "nosuchdev"))
	if string(got) != "[]" {
		t.Errorf("unknown dev: got %s, want []", got)
	}
}

func TestParseMaddrsMalformed(t *testing.T) {
	// Lines ip would skip or could not parse are left out, not fatal.
	dev := parseDevMcast([]byte("junk\n2 ifb0 1 0 3333000000\n2 ifb0 1 0 33330000000\n\n"))
	if len(dev) != 1 || dev[0].Link.String() != "33:33:00:00:00" {
		t.Errorf("dev_mcast = %+v", dev)
	}
	if got := parseIGMP([]byte("")); got != nil {
		t.Errorf("empty igmp = %+v", got)
	}
	if got := parseIGMP6([]byte("1 lo ff02 1 0 0\n")); got != nil {
		t.Errorf("short igmp6 address = %+v", got)
	}
}

func TestMaddrJSON(t *testing.T) {
	for _, tc := range []struct {
		m    Maddr
		want string
	}{
		{Maddr{Family: unix.AF_PACKET, Link: []byte{1, 0, 0x5e, 0, 0, 1}, Users: 1}, `{"link":"01:00:5e:00:00:01"}`},
		{Maddr{Family: unix.AF_PACKET, Users: 0}, `{"link":"00","users":0}`},
		{Maddr{Family: unix.AF_PACKET, Link: []byte{0xab}, Users: 3, Static: true}, `{"link":"ab","users":3,"features":"static"}`},
	} {
		got, err := json.Marshal(tc.m)
		if err != nil || string(got) != tc.want {
			t.Errorf("Marshal(%+v) = %s, %v; want %s", tc.m, got, err, tc.want)
		}
	}
}
