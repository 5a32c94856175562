package rtnl

import (
	"bytes"
	"encoding/json"
	"net/netip"
	"strings"
	"testing"

	"golang.org/x/sys/unix"

	"github.com/nlkit/nlkit/internal/corpus"
)

// checkCorpusPayload compares a request payload and its header flags (the
// operation's, NLM_F_REQUEST and NLM_F_ACK added as the Conn does) with the
// case's one request of type typ, volatile bytes masked.
func checkCorpusPayload(t *testing.T, name string, typ, flags uint16, got []byte) {
	t.Helper()
	c := corpus.LoadCase(t, name)
	reqs := corpusAddrRequests(c, typ)
	if len(reqs) != 1 {
		t.Fatalf("%s: %d requests of type %d, want 1", name, len(reqs), typ)
	}
	want := reqs[0]
	wantPayload := corpus.Mask(want.Bytes, want.Volatile)[16:]
	if !bytes.Equal(maskLike(got, want), wantPayload) {
		t.Errorf("%s: request payload\n got %x\nwant %x (volatile bytes zeroed)", c.Command, got, wantPayload)
	}
	if flags|unix.NLM_F_REQUEST|unix.NLM_F_ACK != want.Flags && flags|unix.NLM_F_REQUEST|unix.NLM_F_DUMP != want.Flags {
		t.Errorf("%s: header flags %#x, ip sent %#x", c.Command, flags, want.Flags)
	}
}

// TestCorpusRuleRequests builds the requests of ip rule add, del and show
// and compares them with iproute2's.
func TestCorpusRuleRequests(t *testing.T) {
	add := Rule{Src: netip.MustParsePrefix("10.0.0.0/24"), Table: 100, Priority: 1000}
	var w writer
	if err := w.ruleRequest(&add, false); err != nil {
		t.Fatal(err)
	}
	checkCorpusPayload(t, "rule_add", unix.RTM_NEWRULE, nlmRuleAdd, w.Bytes())

	var del writer
	if err := del.ruleRequest(&Rule{Priority: 1000}, true); err != nil {
		t.Fatal(err)
	}
	checkCorpusPayload(t, "rule_del", unix.RTM_DELRULE, 0, del.Bytes())

	f, err := newRuleFilter([]RuleFilter{FilterRuleFamily(unix.AF_INET)})
	if err != nil {
		t.Fatal(err)
	}
	checkCorpusPayload(t, "rule_show", unix.RTM_GETRULE, unix.NLM_F_DUMP, ruleDumpRequest(&f))
}

// corpusRules returns the rule payloads of the corpus: requests and
// replies.
func corpusRules(tb testing.TB) [][]byte {
	var out [][]byte
	for _, c := range corpus.Load(tb) {
		for _, m := range c.Messages {
			if m.Protocol == "NETLINK_ROUTE" && (m.Type == unix.RTM_NEWRULE || m.Type == unix.RTM_DELRULE) {
				out = append(out, m.Payload())
			}
		}
	}
	return out
}

// TestCorpusRuleShowJSON decodes the dump of ip rule show and compares
// the rules' JSON with ip -d -j rule show.
func TestCorpusRuleShowJSON(t *testing.T) {
	c := corpus.LoadCase(t, "rule_show")
	var rules []Rule
	for _, m := range c.Messages {
		if m.Direction == "reply" && m.Type == unix.RTM_NEWRULE {
			r, err := decodeRule(m.Payload())
			if err != nil {
				t.Fatal(err)
			}
			rules = append(rules, r)
		}
	}
	got, err := json.Marshal(rules)
	if err != nil {
		t.Fatal(err)
	}
	if want := strings.TrimSpace(c.Companion.Stdout); string(got) != want {
		t.Errorf("rules\n got %s\nwant %s", got, want)
	}
}

// TestCorpusRuleMessagesDecode decodes every rule message of the corpus.
func TestCorpusRuleMessagesDecode(t *testing.T) {
	msgs := corpusRules(t)
	if len(msgs) == 0 {
		t.Fatal("no rule message in the corpus")
	}
	for _, p := range msgs {
		if _, err := decodeRule(p); err != nil {
			t.Errorf("decoding %x: %v", p, err)
		}
	}
}

// TestRuleNATJSON checks the JSON of the NAT rules the kernel no longer
// makes, from messages built as old kernels sent them.
func TestRuleNATJSON(t *testing.T) {
	for _, tc := range []struct {
		rule Rule
		want string
	}{
		{Rule{Priority: 5, Action: RuleActionNAT, NATGateway: netip.MustParseAddr("192.0.2.9")},
			`{"priority":5,"src":"all","nat_gateway":"192.0.2.9","protocol":"unspec"}`},
		{Rule{Priority: 6, Action: RuleActionNAT}, `{"priority":6,"src":"all","masquerade":null,"protocol":"unspec"}`},
	} {
		var w writer
		if err := w.ruleRequest(&tc.rule, false); err != nil {
			t.Fatal(err)
		}
		r, err := decodeRule(w.Bytes())
		if err != nil {
			t.Fatal(err)
		}
		if got, _ := r.MarshalJSON(); string(got) != tc.want {
			t.Errorf("JSON %s, want %s", got, tc.want)
		}
	}
}

// TestDecodeRuleErrors checks that truncated rules are errors.
func TestDecodeRuleErrors(t *testing.T) {
	hdr := make([]byte, fibRuleHdrLen)
	for _, b := range [][]byte{
		hdr[:5],
		append(bytes.Clone(hdr), 8, 0, unix.FRA_UID_RANGE, 0, 1, 2, 3, 4),
		append(bytes.Clone(hdr), 6, 0, unix.FRA_SPORT_RANGE, 0, 1, 2, 0, 0),
		append(bytes.Clone(hdr), 8, 0, unix.FRA_TUN_ID, 0, 1, 2, 3, 4),
		append(bytes.Clone(hdr), 8, 0, unix.FRA_PRIORITY),
	} {
		if _, err := decodeRule(b); err == nil {
			t.Errorf("decodeRule(%x) succeeded", b)
		}
	}
}

func FuzzDecodeRule(f *testing.F) {
	for _, p := range corpusRules(f) {
		f.Add(p)
	}
	for _, r := range []Rule{
		{Priority: 9, Flags: RuleInvert, Src: netip.MustParsePrefix("2001:db8::/32"), FwMark: 1, IIF: "lo", OIF: "x",
			UIDRange: &RuleUIDRange{1, 2}, IPProto: 6, SrcPorts: &RulePortRange{1, 2}, DstPorts: &RulePortRange{3, 3},
			TunID: 5, Table: 1000, SuppressPrefixLen: new(int32), SuppressIfGroup: new(uint32), Protocol: 4},
		{Action: RuleActionGoto, Goto: 7, L3MDev: true, RealmFrom: 1, RealmTo: 2},
	} {
		var w writer
		if err := w.ruleRequest(&r, false); err != nil {
			f.Fatal(err)
		}
		f.Add(w.Bytes())
	}
	filters := [][]RuleFilter{
		{FilterRuleSrc(netip.MustParsePrefix("10.0.0.0/8")), FilterRuleUIDRange(1, 2)},
		{FilterRuleDst(netip.MustParsePrefix("2001:db8::/32")), FilterRuleSrcPorts(1, 2), FilterRuleDstPorts(3, 3), FilterRuleFwMark(1, 2)},
	}
	f.Fuzz(func(t *testing.T, b []byte) {
		r, err := decodeRule(b)
		out, jerr := r.MarshalJSON()
		if jerr != nil || !json.Valid(out) {
			t.Fatalf("MarshalJSON: %v %s", jerr, out)
		}
		for _, fs := range filters {
			rf, ferr := newRuleFilter(fs)
			if ferr != nil {
				t.Fatal(ferr)
			}
			rf.match(&r)
		}
		if err != nil {
			return
		}
		// A rule that validates encodes and decodes back to the same JSON,
		// less the flags only the kernel sets.
		r.Flags &= RuleInvert
		out, _ = r.MarshalJSON()
		var w writer
		if w.ruleRequest(&r, true) != nil {
			return
		}
		again, err := decodeRule(w.Bytes())
		if err != nil {
			t.Fatalf("decoding the encoded rule: %v", err)
		}
		if a, _ := again.MarshalJSON(); !bytes.Equal(a, out) {
			t.Fatalf("the rule encoded and decoded again\n got %s\nwant %s", a, out)
		}
	})
}

func BenchmarkDecodeRule(b *testing.B) {
	msgs := corpusRules(b)
	b.ReportAllocs()
	for b.Loop() {
		for _, p := range msgs {
			if _, err := decodeRule(p); err != nil {
				b.Fatal(err)
			}
		}
	}
}

// TestDecodeRuleAllocations bounds the allocations of decoding a rule:
// its interface names and the block behind its optional fields.
func TestDecodeRuleAllocations(t *testing.T) {
	var w writer
	r := Rule{Priority: 9, IIF: "lo", OIF: "x", UIDRange: &RuleUIDRange{1, 2}, SrcPorts: &RulePortRange{1, 2}, SuppressPrefixLen: new(int32)}
	if err := w.ruleRequest(&r, false); err != nil {
		t.Fatal(err)
	}
	p := w.Bytes()
	if allocs := testing.AllocsPerRun(100, func() { _, _ = decodeRule(p) }); allocs > 3 {
		t.Errorf("decoding a rule allocates %.0f times, want at most 3", allocs)
	}
}
