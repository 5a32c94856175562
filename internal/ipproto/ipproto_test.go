package ipproto

import "testing"

func TestNumberReadsBackEveryName(t *testing.T) {
	named := 0
	for p := range 256 {
		name, ok := Name(uint8(p))
		if !ok {
			continue
		}
		named++
		if got, ok := Number(name); !ok || got != uint8(p) {
			t.Errorf("Number(%q) = %d, %t; want %d, true", name, got, ok, p)
		}
	}
	if named == 0 {
		t.Fatal("Name names no protocol")
	}
	if got, ok := Number("no-such-protocol"); ok {
		t.Errorf("Number(no-such-protocol) = %d, true; want false", got)
	}
}
