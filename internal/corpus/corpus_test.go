package corpus

import (
	"bytes"
	"encoding/json"
	"os"
	"testing"
)

// TestLoadMatchesManifest checks that the embedded cases are the ones the
// manifest lists, and that every message's family header is known.
func TestLoadMatchesManifest(t *testing.T) {
	b, err := os.ReadFile("testdata/manifest.json")
	if err != nil {
		t.Fatal(err)
	}
	var manifest struct {
		Cases []struct{ Name, File string }
	}
	if err := json.Unmarshal(b, &manifest); err != nil {
		t.Fatal(err)
	}
	listed := make(map[string]bool)
	for _, c := range manifest.Cases {
		if c.File != "cases/"+c.Name+".json" {
			t.Errorf("manifest: case %s is in %s", c.Name, c.File)
		}
		listed[c.Name] = true
	}

	cases := Load(t)
	if len(cases) != len(listed) {
		t.Errorf("Load returned %d cases, the manifest lists %d", len(cases), len(listed))
	}
	messages := 0
	for _, c := range cases {
		if !listed[c.Name] {
			t.Errorf("case %s is not in the manifest", c.Name)
		}
		for _, ms := range [][]Message{c.Messages, c.Saved} {
			for _, m := range ms {
				if _, ok := m.FamilyHeaderLen(); !ok {
					t.Errorf("%s: message %d: unknown family header %q", c.Name, m.Index, m.FamilyHeader)
				}
				messages++
			}
		}
	}
	t.Logf("%d cases, %d messages", len(cases), messages)
}

func TestLoadCase(t *testing.T) {
	c := LoadCase(t, "link_show_detail_json")
	if c.Command != "ip -d -j link show" || len(c.Messages) == 0 || len(c.Datagrams) == 0 {
		t.Fatalf("LoadCase: %q with %d messages and %d datagrams", c.Command, len(c.Messages), len(c.Datagrams))
	}
	var nested *Attr
	for _, a := range c.Messages[3].Attrs {
		if a.Flags == NLAFNested {
			nested = &a
			break
		}
	}
	if nested == nil {
		t.Error("no attribute with NLA_F_NESTED in message 3")
	}
	if _, err := parse("no_such_case"); err == nil {
		t.Error("parse of a missing case succeeded")
	}
}

func TestNLAFlags(t *testing.T) {
	tests := []struct {
		in   string
		want NLAFlags
		ok   bool
	}{
		{`"NLA_F_NESTED"`, NLAFNested, true},
		{`"NLA_F_NET_BYTEORDER"`, NLAFNetByteOrder, true},
		{`"NLA_F_NESTED|NLA_F_NET_BYTEORDER"`, NLAFNested | NLAFNetByteOrder, true},
		{`32768`, NLAFNested, true},
		{`null`, 0, true},
		{`"NLA_F_OTHER"`, 0, false},
		{`65536`, 0, false},
		{`true`, 0, false},
	}
	for _, tt := range tests {
		var f NLAFlags
		err := json.Unmarshal([]byte(tt.in), &f)
		if (err == nil) != tt.ok || (tt.ok && f != tt.want) {
			t.Errorf("unmarshal %s = %#x, %v; want %#x, ok %t", tt.in, uint16(f), err, uint16(tt.want), tt.ok)
		}
	}
}

func TestMask(t *testing.T) {
	b := []byte{1, 2, 3, 4, 5, 6}
	got := Mask(b, []Range{{Off: 1, Len: 2}, {Off: 5, Len: 4}, {Off: -3, Len: 2}, {Off: 9, Len: 1}})
	if want := []byte{1, 0, 0, 4, 5, 0}; !bytes.Equal(got, want) {
		t.Errorf("Mask = %v, want %v", got, want)
	}
	if !bytes.Equal(b, []byte{1, 2, 3, 4, 5, 6}) {
		t.Errorf("Mask modified its input: %v", b)
	}
}

func TestDatagramBytes(t *testing.T) {
	for _, c := range Load(t) {
		for _, d := range c.Datagrams {
			if b := c.DatagramBytes(d); len(b) != d.Len {
				t.Errorf("%s: datagram %d: %d bytes, the system call moved %d", c.Name, d.Index, len(b), d.Len)
			}
		}
	}
}
