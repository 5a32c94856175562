package vmtest

import (
	"bytes"
	"strconv"
	"testing"
)

// cpioEntry is an entry read back from a newc archive.
type cpioEntry struct {
	name          string
	mode          uint64
	rmajor, minor uint64
	data          string
}

// readCPIO parses a newc archive up to its trailer.
func readCPIO(t *testing.T, b []byte) []cpioEntry {
	t.Helper()
	var es []cpioEntry
	align := func(n int) int { return (n + 3) &^ 3 }
	for off := 0; ; {
		if off+110 > len(b) || string(b[off:off+6]) != "070701" {
			t.Fatalf("no header at %d", off)
		}
		field := func(i int) uint64 {
			v, err := strconv.ParseUint(string(b[off+6+8*i:off+14+8*i]), 16, 32)
			if err != nil {
				t.Fatal(err)
			}
			return v
		}
		size, nameLen := int(field(6)), int(field(11))
		name := string(b[off+110 : off+110+nameLen-1])
		dataOff := align(off + 110 + nameLen)
		if name == "TRAILER!!!" {
			if align(dataOff) != len(b) {
				t.Errorf("%d bytes after the trailer", len(b)-dataOff)
			}
			return es
		}
		es = append(es, cpioEntry{name, field(1), field(9), field(10), string(b[dataOff : dataOff+size])})
		off = align(dataOff + size)
	}
}

func TestCPIOWriter(t *testing.T) {
	var b bytes.Buffer
	c := newCPIOWriter(&b)
	c.Dir("dev")
	c.CharDev("dev/console", 5, 1)
	c.File("init", 0o755, []byte("#!/bin/sh\n"))
	c.File("modules/00-a.ko", 0o644, []byte("abcde"))
	if err := c.Close(); err != nil {
		t.Fatal(err)
	}
	got := readCPIO(t, b.Bytes())
	want := []cpioEntry{
		{"dev", 0o40755, 0, 0, ""},
		{"dev/console", 0o20600, 5, 1, ""},
		{"init", 0o100755, 0, 0, "#!/bin/sh\n"},
		{"modules/00-a.ko", 0o100644, 0, 0, "abcde"},
	}
	if len(got) != len(want) {
		t.Fatalf("entries %+v; want %+v", got, want)
	}
	for i := range want {
		if got[i] != want[i] {
			t.Errorf("entry %d = %+v; want %+v", i, got[i], want[i])
		}
	}
}
