package netnsutil

import (
	"bytes"
	"encoding/json"
	"testing"

	"golang.org/x/sys/unix"

	"github.com/nlkit/nlkit/internal/corpus"
	"github.com/nlkit/nlkit/internal/nlconn"
)

// The fd that iproute2 passed in NETNSA_FD in the captures.
const corpusFD = 6

// TestCorpusRequests compares the payloads of nlkit's nsid requests with
// those iproute2 sent (the fd masked). The header flags differ in one
// respect: nlkit asks for an acknowledgement of RTM_GETNSID as well
// (NLM_F_ACK), where ip reads the single reply.
func TestCorpusRequests(t *testing.T) {
	for _, tc := range []struct {
		name   string
		typ    uint16
		flags  uint16
		nlkit  []byte
		byCase string
	}{
		{"get nsid", unix.RTM_GETNSID, unix.NLM_F_REQUEST, nsidRequest(corpusFD, false, 0), "netns_list"},
		{"set nsid 7", unix.RTM_NEWNSID, unix.NLM_F_REQUEST | unix.NLM_F_ACK, nsidRequest(corpusFD, true, 7), "netns_set_id"},
		{"set nsid auto", unix.RTM_NEWNSID, unix.NLM_F_REQUEST | unix.NLM_F_ACK, nsidRequest(corpusFD, true, -1), "netns_set_auto"},
		{"list-id dump", unix.RTM_GETNSID, unix.NLM_F_REQUEST | unix.NLM_F_DUMP, make([]byte, rtgenmsgLen), "netns_list_id"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			c := corpus.LoadCase(t, tc.byCase)
			var found bool
			for _, m := range c.Messages {
				if m.Direction != "request" || m.Type != tc.typ || m.Flags != tc.flags {
					continue
				}
				found = true
				want := corpus.Mask(m.Bytes, m.Volatile)[nlconn.HeaderLen:]
				got := make([]byte, len(tc.nlkit))
				copy(got, tc.nlkit)
				// Mask the same ranges in nlkit's payload.
				var vol []corpus.Range
				for _, r := range m.Volatile {
					if r.Off >= nlconn.HeaderLen {
						vol = append(vol, corpus.Range{Off: r.Off - nlconn.HeaderLen, Len: r.Len})
					}
				}
				got = corpus.Mask(got, vol)
				if !bytes.Equal(got, want) {
					t.Errorf("payload\nnlkit % x\nip    % x", got, want)
				}
				if !bytes.Equal(tc.nlkit, m.Payload()) {
					t.Errorf("unmasked payload\nnlkit % x\nip    % x", tc.nlkit, m.Payload())
				}
			}
			if !found {
				t.Fatalf("no %d request with flags %#x in %s", tc.typ, tc.flags, tc.byCase)
			}
		})
	}
}

// TestCorpusReplies decodes the captured RTM_NEWNSID replies and
// acknowledgements.
func TestCorpusReplies(t *testing.T) {
	var ids []int
	for _, name := range []string{"netns_list", "netns_list_id", "netns_set_id", "netns_set_auto"} {
		c := corpus.LoadCase(t, name)
		for _, m := range c.Messages {
			if m.Direction != "reply" {
				continue
			}
			msg := nlconn.Message{Type: m.Type, Flags: m.Flags, Data: m.Payload()}
			switch m.Type {
			case unix.RTM_NEWNSID:
				id, cur, err := parseNSID(msg)
				if err != nil {
					t.Errorf("%s: %v", name, err)
				}
				if cur != -1 {
					t.Errorf("%s: current nsid %d, want none", name, cur)
				}
				ids = append(ids, id)
			case unix.NLMSG_ERROR, unix.NLMSG_DONE:
				if err := nlconn.ParseError("op", msg); err != nil {
					t.Errorf("%s: %v", name, err)
				}
			}
		}
	}
	// netns_list and netns_list_id ask for nlc-a (none) and nlc-b (7);
	// the dump of list-id has nlc-b's 7.
	want := []int{-1, 7, -1, 7, -1, 7, 7}
	if got, _ := json.Marshal(ids); string(got) != mustJSON(want) {
		t.Errorf("nsids %s, want %s", got, mustJSON(want))
	}

	// What ip printed, from the same data.
	list := []NamedNS{{Name: "nlc-a", ID: -1}, {Name: "nlc-b", ID: 7}}
	if got, want := mustJSON(list), `[{"name":"nlc-a"},{"name":"nlc-b","id":7}]`; got != want {
		t.Errorf("list JSON %s, want %s", got, want)
	}
	if got, want := mustJSON([]PeerID{{NSID: 7, CurrentNSID: -1, Name: "nlc-b"}, {NSID: 3, CurrentNSID: -1}, {NSID: 2, CurrentNSID: 0, Name: "x"}}), `[{"nsid":7,"name":"nlc-b"},{"nsid":3},{"nsid":2,"current-nsid":0,"name":"x"}]`; got != want {
		t.Errorf("list-id JSON %s, want %s", got, want)
	}
}

func mustJSON(v any) string {
	b, err := json.Marshal(v)
	if err != nil {
		panic(err)
	}
	return string(b)
}
