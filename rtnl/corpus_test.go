package rtnl

import (
	"bytes"
	"encoding/json"
	"fmt"
	"slices"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/josharian/native"
	"golang.org/x/sys/unix"

	"github.com/nlkit/nlkit/internal/corpus"
)

// A corpusMember is one member of a JSON object: its key and its value,
// compacted.
type corpusMember struct {
	Key   string
	Value string
}

// corpusMembers splits a JSON object into its members, in order.
func corpusMembers(obj []byte) ([]corpusMember, error) {
	dec := json.NewDecoder(bytes.NewReader(obj))
	if tok, err := dec.Token(); err != nil || tok != json.Delim('{') {
		return nil, fmt.Errorf("not a JSON object: %.60s", obj)
	}
	var ms []corpusMember
	for dec.More() {
		tok, err := dec.Token()
		if err != nil {
			return nil, err
		}
		key, ok := tok.(string)
		if !ok {
			return nil, fmt.Errorf("JSON object key %v is not a string", tok)
		}
		var raw json.RawMessage
		if err := dec.Decode(&raw); err != nil {
			return nil, fmt.Errorf("value of %q: %w", key, err)
		}
		var v bytes.Buffer
		if err := json.Compact(&v, raw); err != nil {
			return nil, err
		}
		ms = append(ms, corpusMember{key, v.String()})
	}
	if tok, err := dec.Token(); err != nil || tok != json.Delim('}') {
		return nil, fmt.Errorf("JSON object not closed: %v", err)
	}
	if _, err := dec.Token(); err == nil {
		return nil, fmt.Errorf("data after the JSON object")
	}
	return ms, nil
}

// corpusWithout returns ms less the members with the given keys, and the
// value of each removed key that was present.
func corpusWithout(ms []corpusMember, keys ...string) (kept []corpusMember, removed map[string]string) {
	removed = make(map[string]string)
	for _, m := range ms {
		if slices.Contains(keys, m.Key) {
			removed[m.Key] = m.Value
			continue
		}
		kept = append(kept, m)
	}
	return kept, removed
}

// corpusMarshal encodes v as ip prints JSON: no HTML escaping, no newline.
func corpusMarshal(v any) ([]byte, error) {
	var b bytes.Buffer
	enc := json.NewEncoder(&b)
	enc.SetEscapeHTML(false)
	if err := enc.Encode(v); err != nil {
		return nil, err
	}
	return bytes.TrimSuffix(b.Bytes(), []byte("\n")), nil
}

// corpusLinkJSON returns the JSON that ip printed for the links of a case:
// the output of the command itself or of its companion.
func corpusLinkJSON(c corpus.Case) (command, out string) {
	if strings.HasPrefix(c.Command, "ip -d -j link show") {
		return c.Command, c.Stdout
	}
	if p := c.Companion; p != nil {
		return p.Command, p.Stdout
	}
	return "", ""
}

// corpusLinkCheck says how a case's JSON relates to Link.MarshalJSON: the
// keys that nlkit prints but ip did not (dropped from our side), and the
// keys that ip printed but nlkit does not, or not yet (dropped from both).
type corpusLinkCheck struct {
	oursOnly, either []string
}

// corpusLinkChecks lists the commands whose JSON describes links, with what
// to leave out of the comparison.
var corpusLinkChecks = map[string]corpusLinkCheck{
	// The JSON Link.MarshalJSON reproduces. ip printed no stats64 (it ran
	// without -s, though the dump carried IFLA_STATS64), and nlkit does
	// not print kind-specific linkinfo yet.
	"ip -d -j link show": {oursOnly: []string{"stats64"}, either: []string{"linkinfo"}},
	// ip addr show prints links with the same function, but only ip link
	// prints linkmode and inet6_addr_gen_mode (do_link); addr_info is the
	// addresses.
	"ip -d -j addr show": {
		oursOnly: []string{"stats64", "linkmode", "inet6_addr_gen_mode"},
		either:   []string{"linkinfo", "addr_info"},
	},
}

// TestCorpusLinkJSON decodes the link dumps of the corpus and compares the
// links' JSON with what ip printed for them, key by key and in order.
func TestCorpusLinkJSON(t *testing.T) {
	compared := 0
	for _, c := range corpus.Load(t) {
		command, out := corpusLinkJSON(c)
		check, ok := corpusLinkChecks[command]
		if !ok {
			continue
		}
		t.Run(c.Name, func(t *testing.T) {
			var links []Link
			for _, m := range c.Messages {
				if m.Direction != "reply" || m.Type != unix.RTM_NEWLINK || !corpusIsLink(m) {
					continue
				}
				l, err := decodeLink(m.Payload())
				if err != nil {
					t.Fatalf("message %d: %v", m.Index, err)
				}
				links = append(links, l)
			}
			resolveNames(links, nil)

			var objs []json.RawMessage
			if err := json.Unmarshal([]byte(out), &objs); err != nil {
				t.Fatalf("output of %s: %v", command, err)
			}
			want := make(map[int32][]corpusMember)
			for _, obj := range objs {
				var id struct{ Ifindex int32 }
				if err := json.Unmarshal(obj, &id); err != nil {
					t.Fatal(err)
				}
				ms, err := corpusMembers(obj)
				if err != nil {
					t.Fatalf("output of %s: %v", command, err)
				}
				want[id.Ifindex] = ms
			}
			if len(want) != len(links) {
				t.Errorf("%d links decoded, ip printed %d", len(links), len(want))
			}

			for _, l := range links {
				b, err := corpusMarshal(l)
				if err != nil {
					t.Errorf("link %d %s: %v", l.Index, l.Name, err)
					continue
				}
				got, err := corpusMembers(b)
				if err != nil {
					t.Errorf("link %d %s: %v", l.Index, l.Name, err)
					continue
				}
				w, ok := want[l.Index]
				if !ok {
					t.Errorf("link %d %s: ip printed no such link", l.Index, l.Name)
					continue
				}
				got, _ = corpusWithout(got, check.oursOnly...)
				got, gotInfo := corpusWithout(got, check.either...)
				w, wantInfo := corpusWithout(w, check.either...)
				if diff := cmp.Diff(w, got); diff != "" {
					t.Errorf("link %d %s: JSON differs from %s (-ip +nlkit):\n%s", l.Index, l.Name, command, diff)
				}
				corpusCheckLinkInfo(t, l, gotInfo["linkinfo"], wantInfo["linkinfo"])
				compared++
			}
		})
	}
	t.Logf("%d links compared", compared)
	if compared == 0 {
		t.Error("no link JSON in the corpus")
	}
}

// corpusCheckLinkInfo checks that what nlkit prints of linkinfo (the kinds
// so far) agrees with ip, which prints more.
func corpusCheckLinkInfo(t *testing.T, l Link, got, want string) {
	t.Helper()
	if (got == "") != (want == "") {
		t.Errorf("link %d %s: linkinfo %s, ip printed %s", l.Index, l.Name, got, want)
		return
	}
	if got == "" {
		return
	}
	g, err := corpusMembers([]byte(got))
	if err != nil {
		t.Fatal(err)
	}
	w, err := corpusMembers([]byte(want))
	if err != nil {
		t.Fatal(err)
	}
	for _, m := range g {
		i := slices.IndexFunc(w, func(wm corpusMember) bool { return wm.Key == m.Key })
		if i < 0 || w[i] != m {
			t.Errorf("link %d %s: linkinfo member %s:%s, ip printed %s", l.Index, l.Name, m.Key, m.Value, want)
		}
	}
}

// TestCorpusLinkDumpRequest compares the request Links sends with the link
// dumps of ip link show, sequence numbers masked. (Other commands dump links
// with other filters: AF_UNSPEC, a kind.)
func TestCorpusLinkDumpRequest(t *testing.T) {
	var buf [32]byte
	req := linkRequest(buf[:], unix.AF_PACKET, 0)
	payload := req.Bytes()
	n := 0
	for _, c := range corpus.Load(t) {
		if c.Command != "ip link show" && c.Command != "ip -d -j link show" {
			continue
		}
		for _, m := range c.Messages {
			if m.Direction != "request" || !corpusIsLinkDump(m) {
				continue
			}
			// The header the Conn writes: NLM_F_REQUEST, NLM_F_DUMP, a
			// sequence number and port id 0.
			got := make([]byte, 16, 16+len(payload))
			native.Endian.PutUint32(got, uint32(16+len(payload)))
			native.Endian.PutUint16(got[4:], unix.RTM_GETLINK)
			native.Endian.PutUint16(got[6:], unix.NLM_F_REQUEST|unix.NLM_F_DUMP)
			native.Endian.PutUint32(got[8:], 12345)
			got = append(got, payload...)
			if g, w := corpus.Mask(got, m.Volatile), corpus.Mask(m.Bytes, m.Volatile); !bytes.Equal(g, w) {
				t.Errorf("%s: message %d: link dump request\n%x\nwant (volatile bytes zeroed)\n%x", c.Name, m.Index, g, w)
			}
			n++
		}
	}
	t.Logf("%d link dump requests compared", n)
	if n == 0 {
		t.Error("no link dump request in the corpus")
	}
}

// corpusIsLinkDump reports whether m is an RTM_GETLINK dump request for
// every link, as ip link show and ip addr show send.
func corpusIsLinkDump(m corpus.Message) bool {
	return m.Protocol == "NETLINK_ROUTE" && m.Type == unix.RTM_GETLINK && m.Flags&unix.NLM_F_DUMP == unix.NLM_F_DUMP
}

// corpusIsLink reports whether m is an RTM_NEWLINK or RTM_DELLINK message
// (xfrm messages reuse their numbers).
func corpusIsLink(m corpus.Message) bool {
	return m.Protocol == "NETLINK_ROUTE" && (m.Type == unix.RTM_NEWLINK || m.Type == unix.RTM_DELLINK)
}

// TestCorpusDecodeLinks decodes every link message of the corpus: dump
// parts, notifications and requests.
func TestCorpusDecodeLinks(t *testing.T) {
	n := 0
	for _, c := range corpus.Load(t) {
		for _, m := range c.Messages {
			if !corpusIsLink(m) {
				continue
			}
			where := fmt.Sprintf("%s: %s message %d (%s)", c.Name, m.Direction, m.Index, m.TypeName)
			l, err := decodeLink(m.Payload())
			if err != nil {
				t.Errorf("%s: %v", where, err)
				continue
			}
			var name, mtu string
			for _, a := range m.Attrs {
				switch a.Type {
				case unix.IFLA_IFNAME:
					name = a.Value
				case unix.IFLA_MTU:
					mtu = a.Value
				}
			}
			if l.Name != name {
				t.Errorf("%s: name %q, want %q", where, l.Name, name)
			}
			if mtu != "" && fmt.Sprint(int32(l.MTU)) != mtu {
				t.Errorf("%s: MTU %d, want %s", where, l.MTU, mtu)
			}
			if _, err := corpusMarshal(l); err != nil {
				t.Errorf("%s: %v", where, err)
			}
			n++
		}
	}
	t.Logf("%d link messages decoded", n)
}

// FuzzDecodeLink decodes arbitrary bytes as a link message: decodeLink,
// resolveNames and MarshalJSON must not panic, and the JSON must be valid.
func FuzzDecodeLink(f *testing.F) {
	for _, c := range corpus.Load(f) {
		for _, m := range c.Messages {
			if corpusIsLink(m) {
				f.Add(m.Payload())
			}
		}
	}
	f.Fuzz(func(t *testing.T, b []byte) {
		// A link that fails to decode is still marshalled: decodeLink
		// returns what it read before the error.
		l, _ := decodeLink(b)
		// A link that names itself as parent and master, and one other.
		links := []Link{l, l}
		links[1].Index++
		resolveNames(links, nil)
		for _, l := range links {
			out, jerr := l.MarshalJSON()
			if jerr != nil {
				t.Fatalf("MarshalJSON: %v", jerr)
			}
			if !json.Valid(out) {
				t.Fatalf("MarshalJSON wrote invalid JSON: %s", out)
			}
			if _, jerr := corpusMarshal(l); jerr != nil {
				t.Fatalf("json.Encoder: %v", jerr)
			}
		}
	})
}
