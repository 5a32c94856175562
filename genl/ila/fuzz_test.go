package ila

import (
	"testing"

	"github.com/nlkit/nlkit/genl"
)

func TestRoundTrip(t *testing.T) {
	idx, csum, ident := int32(3), CsumNeutralMap, IdentLUID
	for _, m := range []Mapping{
		{LocatorMatch: Locator{0x20, 0x01, 0x0d, 0xb8, 0, 1, 0, 2}, Locator: Locator{0, 0, 0, 0, 0, 0, 0, 1}},
		{LocatorMatch: Locator{1}, Locator: Locator{2}, LinkIndex: &idx, CsumMode: &csum, IdentType: &ident},
	} {
		b, err := encodeMapping(m, true)
		if err != nil {
			t.Fatal(err)
		}
		got, err := decodeMapping(b)
		if err != nil {
			t.Fatal(err)
		}
		gj, _ := got.MarshalJSON()
		wj, _ := m.MarshalJSON()
		if string(gj) != string(wj) {
			t.Errorf("decode(encode(%+v)) = %s; want %s", m, gj, wj)
		}
	}
	zero := int32(0)
	j, _ := Mapping{LocatorMatch: Locator{0x20, 0x01, 0x0d, 0xb8, 0, 1, 0, 2}, LinkIndex: &zero, CsumMode: &csum, IdentType: &ident}.MarshalJSON()
	if want := `{"locator_match":"2001:db8:1:2","locator":"0:0:0:0","interface":"*","csum_mode":"neutral-map","ident_type":"luid"}`; string(j) != want {
		t.Errorf("JSON = %s; want %s", j, want)
	}
}

func TestParseLocator(t *testing.T) {
	for _, tc := range []struct {
		in   string
		want string
		ok   bool
	}{
		{"2001:db8:1:2", "2001:db8:1:2", true},
		{"1", "1:0:0:0", true},
		{"a:b", "a:b:0:0", true},
		{"1:2:3:4:5", "", false},
		{"12345", "", false},
		{"x", "", false},
		{"1::2", "", false},
	} {
		l, err := ParseLocator(tc.in)
		if (err == nil) != tc.ok || (tc.ok && l.String() != tc.want) {
			t.Errorf("ParseLocator(%q) = %s, %v; want %s, ok %v", tc.in, l, err, tc.want, tc.ok)
		}
		if err != nil && !genl.IsInvalid(err) {
			t.Errorf("ParseLocator(%q): %v is no InvalidError", tc.in, err)
		}
	}
}

func FuzzDecodeMapping(f *testing.F) {
	idx, csum, ident := int32(3), CsumNoAction, IdentUseFormat
	b, _ := encodeMapping(Mapping{LocatorMatch: Locator{1, 2, 3, 4, 5, 6, 7, 8}, Locator: Locator{8, 7}, LinkIndex: &idx,
		CsumMode: &csum, IdentType: &ident}, true)
	f.Add(b)
	f.Fuzz(func(t *testing.T, b []byte) {
		if m, err := decodeMapping(b); err == nil {
			m.MarshalJSON()
		}
	})
}
