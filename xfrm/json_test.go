package xfrm

import (
	"encoding/json"
	"net/netip"
	"strings"
	"testing"

	"github.com/nlkit/nlkit/attrs"
)

// TestStateJSON pins the JSON form of a state like the guide's: keys in
// the order ip prints the fields, SPIs and marks as hex, limits as raw
// numbers.
func TestStateJSON(t *testing.T) {
	a := netip.MustParseAddr
	s := State{Src: a("10.0.0.1"), Dst: a("10.0.0.2"), Proto: ProtoESP, SPI: 1, Mode: ModeTunnel,
		Mark:      Mark{1, 0xffffffff},
		AuthTrunc: &Algorithm{Name: "hmac(sha256)", Key: []byte{1, 2}, TruncLen: 96},
		Enc:       &Algorithm{Name: "cbc(aes)", Key: []byte{0xab}},
		Replay:    &Replay{OSeq: 1},
		Selector:  Selector{Family: 2, Src: netip.MustParsePrefix("0.0.0.0/0"), Dst: netip.MustParsePrefix("0.0.0.0/0")},
		Lifetime:  LifetimeConfig{SoftByteLimit: infinite, HardByteLimit: infinite, SoftPacketLimit: infinite, HardPacketLimit: infinite},
		Current:   LifetimeCurrent{Bytes: 84, Packets: 1, AddTime: 1700000000},
	}
	got, err := json.Marshal(s)
	if err != nil {
		t.Fatal(err)
	}
	want := `{"src":"10.0.0.1","dst":"10.0.0.2","family":"inet","proto":"esp","spi":"0x1","reqid":0,"mode":"tunnel",` +
		`"replay_window":0,"seq":0,"flags":[],"mark":"0x1","mark_mask":"0xffffffff",` +
		`"auth_trunc":{"name":"hmac(sha256)","key":"0x0102","key_len":16,"trunc_len":96},` +
		`"enc":{"name":"cbc(aes)","key":"0xab","key_len":8},"replay":{"seq":0,"oseq":1,"bitmap":"0"},` +
		`"sel":{"src":"0.0.0.0/0","dst":"0.0.0.0/0","user":0},` +
		`"lifetime_config":{"soft_byte_limit":18446744073709551615,"hard_byte_limit":18446744073709551615,` +
		`"soft_packet_limit":18446744073709551615,"hard_packet_limit":18446744073709551615,` +
		`"soft_add_expires_seconds":0,"hard_add_expires_seconds":0,"soft_use_expires_seconds":0,"hard_use_expires_seconds":0},` +
		`"lifetime_current":{"bytes":84,"packets":1,"add_time":1700000000,"use_time":0},` +
		`"stats":{"replay_window":0,"replay":0,"integrity_failed":0}}`
	if string(got) != want {
		t.Errorf("JSON\n got %s\nwant %s", got, want)
	}
}

// TestPolicyJSON pins the JSON form of a policy like the guide's.
func TestPolicyJSON(t *testing.T) {
	a := netip.MustParseAddr
	p := Policy{Selector: Selector{Family: 2}, Dir: DirOut, Index: 1, Mark: Mark{1, 0xffffffff},
		Flags:     PolicyLocalOK | 0x8,
		Templates: []Template{{Src: a("10.0.0.1"), Dst: a("10.0.0.2"), Family: 2, Proto: ProtoESP, SPI: 1, Mode: ModeTunnel, Level: LevelUse, AuthAlgos: 0xffffffff, EncAlgos: 0xffffffff, CompAlgos: 0xffffffff}},
	}
	got, err := json.Marshal(p)
	if err != nil {
		t.Fatal(err)
	}
	want := `{"src":"0.0.0.0/0","dst":"0.0.0.0/0","user":0,"dir":"out","action":"allow","index":1,"priority":0,` +
		`"ptype":"main","share":"any","flags":["localok","8"],"lifetime_config":{"soft_byte_limit":0,"hard_byte_limit":0,` +
		`"soft_packet_limit":0,"hard_packet_limit":0,"soft_add_expires_seconds":0,"hard_add_expires_seconds":0,` +
		`"soft_use_expires_seconds":0,"hard_use_expires_seconds":0},"lifetime_current":{"bytes":0,"packets":0,"add_time":0,"use_time":0},` +
		`"mark":"0x1","mark_mask":"0xffffffff","tmpl":[{"src":"10.0.0.1","dst":"10.0.0.2","family":"inet","proto":"esp",` +
		`"spi":"0x1","reqid":0,"mode":"tunnel","level":"use","share":"any","ealgos":"0xffffffff","aalgos":"0xffffffff","calgos":"0xffffffff"}]}`
	if string(got) != want {
		t.Errorf("JSON\n got %s\nwant %s", got, want)
	}
}

// TestTemplateLevelJSON checks that a template's level is named as ip
// names it, and that a level ip has no name for stays a number.
func TestTemplateLevelJSON(t *testing.T) {
	for _, c := range []struct {
		level TemplateLevel
		want  string
	}{{LevelRequired, `"required"`}, {LevelUse, `"use"`}, {2, `2`}, {255, `255`}} {
		got, err := json.Marshal(Policy{Templates: []Template{{Level: c.level}}})
		if err != nil {
			t.Fatal(err)
		}
		if want := `"level":` + c.want + `,`; !strings.Contains(string(got), want) {
			t.Errorf("level %d: JSON %s lacks %s", c.level, got, want)
		}
	}
}

// TestDevJSON checks that devices print as ip xfrm names them: by name,
// or "ifN" for an index nlkit could not name.
func TestDevJSON(t *testing.T) {
	s := State{Selector: Selector{Family: 2, LinkIndex: 7}, Offload: &Offload{LinkIndex: 3, LinkName: "eth0", Flags: OffloadInbound}}
	got, err := json.Marshal(s)
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{`"offload":{"dev":"eth0","dir":"in","mode":"crypto"}`, `"dev":"if7","user":0}`} {
		if !strings.Contains(string(got), want) {
			t.Errorf("JSON %s lacks %s", got, want)
		}
	}
	got, err = json.Marshal(Policy{Selector: Selector{Family: 2, LinkIndex: 1, LinkName: "lo"}})
	if err != nil {
		t.Fatal(err)
	}
	if want := `"dst":"0.0.0.0/0","dev":"lo","user":0,`; !strings.Contains(string(got), want) {
		t.Errorf("JSON %s lacks %s", got, want)
	}
}

// TestPCPUNum checks that a per-CPU state's CPU, 0 included, survives
// encoding and decoding and prints as pcpu_num, and that a state of every
// CPU prints none.
func TestPCPUNum(t *testing.T) {
	a := netip.MustParseAddr
	s := State{Src: a("10.0.0.1"), Dst: a("10.0.0.2"), Proto: ProtoESP, SPI: 1, PCPUNum: new(uint32)}
	var e attrs.Encoder
	if err := s.request(&e); err != nil {
		t.Fatal(err)
	}
	got, err := decodeState(e.Bytes())
	if err != nil || got.PCPUNum == nil || *got.PCPUNum != 0 {
		t.Fatalf("decoded PCPUNum %v, %v; want 0", got.PCPUNum, err)
	}
	for _, c := range []struct {
		s    State
		want bool
	}{{got, true}, {State{Src: s.Src, Dst: s.Dst}, false}} {
		b, err := json.Marshal(c.s)
		if err != nil {
			t.Fatal(err)
		}
		if has := strings.Contains(string(b), `"pcpu_num":0`); has != c.want {
			t.Errorf("JSON %s: pcpu_num present %v, want %v", b, has, c.want)
		}
	}
}
