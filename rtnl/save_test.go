package rtnl

import (
	"bytes"
	"context"
	"errors"
	"io"
	"net/netip"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/josharian/native"
	"golang.org/x/sys/unix"

	"github.com/nlkit/nlkit/internal/corpus"
	"github.com/nlkit/nlkit/internal/nlconn"
	"github.com/nlkit/nlkit/internal/testns"
)

// TestCorpusSaveRequests checks that the dump requests of SaveAddresses
// and SaveRoutes without filters are the bytes ip addr
// save and ip route save sent.
func TestCorpusSaveRequests(t *testing.T) {
	for _, tc := range []struct {
		name string
		typ  uint16
		req  []byte
	}{
		{"addr_save", unix.RTM_GETADDR, addrDumpRequest(&addrFilter{})},
		{"route_save", unix.RTM_GETROUTE, defaultRouteDumpRequest(t)},
	} {
		c := corpus.LoadCase(t, tc.name)
		reqs := corpusAddrRequests(c, tc.typ)
		if len(reqs) != 1 {
			t.Fatalf("%s: %d requests, want 1", tc.name, len(reqs))
		}
		want := corpus.Mask(reqs[0].Bytes, reqs[0].Volatile)[16:]
		if !bytes.Equal(tc.req, want) {
			t.Errorf("%s: request\n got %x\nwant %x", c.Command, tc.req, want)
		}
		if f := uint16(unix.NLM_F_REQUEST | unix.NLM_F_DUMP); reqs[0].Flags != f {
			t.Errorf("%s: ip sent flags %#x, nlconn sends %#x", c.Command, reqs[0].Flags, f)
		}
	}
}

// TestCorpusSavedFiles reads the files ip addr save and ip route save
// wrote in the corpus: every message reads and decodes, and writing the
// messages read gives the same file.
func TestCorpusSavedFiles(t *testing.T) {
	for _, tc := range []struct {
		name  string
		magic uint32
	}{{"addr_save", addrSaveMagic}, {"route_save", routeSaveMagic}} {
		c := corpus.LoadCase(t, tc.name)
		var msgs []SavedMessage
		if tc.magic == addrSaveMagic {
			i := 0
			for a, err := range ReadSavedAddresses(bytes.NewReader(c.StdoutBytes)) {
				if err != nil {
					t.Fatalf("%s: %v", tc.name, err)
				}
				if want := c.Saved[i].Attrs; a.LinkIndex == 0 || len(want) == 0 {
					t.Errorf("%s: message %d decodes to %+v", tc.name, i, a)
				}
				i++
			}
		}
		for m, err := range ReadSavedRouteMessagesOrAddrs(c.StdoutBytes, tc.magic) {
			if err != nil {
				t.Fatalf("%s: %v", tc.name, err)
			}
			msgs = append(msgs, m)
		}
		if len(msgs) != len(c.Saved) {
			t.Fatalf("%s: read %d messages, the corpus lists %d", tc.name, len(msgs), len(c.Saved))
		}
		if got := savedFile(t, tc.magic, msgs); !bytes.Equal(got, c.StdoutBytes) {
			t.Errorf("%s: rewritten\n got %x\nwant %x", tc.name, got, c.StdoutBytes)
		}
	}
}

// ReadSavedRouteMessagesOrAddrs reads the raw messages of a saved file of
// either kind.
func ReadSavedRouteMessagesOrAddrs(b []byte, magic uint32) func(func(SavedMessage, error) bool) {
	if magic == routeSaveMagic {
		return ReadSavedRouteMessages(bytes.NewReader(b))
	}
	return readSaved(bytes.NewReader(b), savedAddrsWhat, magic)
}

// savedFile writes msgs as a saved dump.
func savedFile(t testing.TB, magic uint32, msgs []SavedMessage) []byte {
	var out bytes.Buffer
	if err := writeSavedMagic(&out, magic); err != nil {
		t.Fatal(err)
	}
	var buf []byte
	for _, m := range msgs {
		var err error
		if buf, err = writeSavedMessage(&out, buf, nlconnMessage(m)); err != nil {
			t.Fatal(err)
		}
	}
	return out.Bytes()
}

// nlconnMessage returns m as the Conn's dumps yield it.
func nlconnMessage(m SavedMessage) nlconn.Message {
	return nlconn.Message{Type: m.Type, Flags: m.Flags, Seq: m.Seq, PortID: m.PortID, Data: m.Data}
}

// savedAddrMessage returns a saved RTM_NEWADDR message of 10.0.0.1/24 on
// link 2.
func savedAddrMessage() SavedMessage {
	var w writer
	a := Address{LinkIndex: 2, Prefix: netip.MustParsePrefix("10.0.0.1/24")}
	if err := w.addrRequest(&a, false); err != nil {
		panic(err)
	}
	return SavedMessage{Type: unix.RTM_NEWADDR, Flags: unix.NLM_F_MULTI, Data: bytes.Clone(w.Bytes())}
}

// TestReadSavedBad checks the errors for bad files, and that a bad file
// restores nothing.
func TestReadSavedBad(t *testing.T) {
	good := savedFile(t, addrSaveMagic, []SavedMessage{savedAddrMessage(), savedAddrMessage()})
	withLen := func(n uint32) []byte {
		b := bytes.Clone(good)
		native.Endian.PutUint32(b[4:], n)
		return b
	}
	route := savedFile(t, addrSaveMagic, []SavedMessage{savedAddrMessage(), {Type: unix.RTM_NEWROUTE, Data: make([]byte, 12)}})
	badAttr := savedFile(t, addrSaveMagic, []SavedMessage{{Type: unix.RTM_NEWADDR, Data: append(make([]byte, 8), 9, 0, 1, 0)}})
	for _, tc := range []struct {
		name, want string
		file       []byte
	}{
		{"empty", "no magic number", nil},
		{"short magic", "no magic number", good[:3]},
		{"route magic", "not saved addresses saved by ip: magic number 0x45311224", savedFile(t, routeSaveMagic, nil)},
		{"short header", "truncated message at byte 4", good[:10]},
		{"short body", "truncated message at byte", good[:len(good)-4]},
		{"length below header", "malformed message at byte 4: length 15", withLen(15)},
		{"length above ip's", "malformed message at byte 4: length 16385", withLen(16385)},
		{"route in address file", "message 2: message type 24, want RTM_NEWADDR", route},
		{"bad attribute", "message 1:", badAttr},
	} {
		var err error
		for _, e := range ReadSavedAddresses(bytes.NewReader(tc.file)) {
			if e != nil {
				err = e
			}
		}
		if err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("%s: error %v, want one with %q", tc.name, err, tc.want)
		}
		if tc.name == "short body" && !errors.Is(err, io.ErrUnexpectedEOF) {
			t.Errorf("%s: error %v does not match io.ErrUnexpectedEOF", tc.name, err)
		}
	}
	for _, m := range ReadSavedAddresses(bytes.NewReader(savedFile(t, addrSaveMagic, nil))) {
		t.Errorf("an empty dump yields %v", m)
	}
	_, err := func() (int, error) {
		n := 0
		for _, err := range ReadSavedRouteMessages(bytes.NewReader(good)) {
			if err != nil {
				return n, err
			}
			n++
		}
		return n, nil
	}()
	if err == nil || !strings.Contains(err.Error(), "magic number 0x47361222, want 0x45311224") {
		t.Errorf("an address file read as routes: %v", err)
	}

	// A bad file restores nothing: the first address would be valid.
	c, err := Dial(context.Background(), WithNetNS(testns.New(t).FD()))
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	if err := c.RestoreAddresses(context.Background(), bytes.NewReader(good[:len(good)-4])); err == nil {
		t.Error("RestoreAddresses of a truncated file succeeded")
	}
	addrs, err := c.Addresses(context.Background(), FilterAddrTo(netip.MustParsePrefix("10.0.0.1/32")))
	if err != nil {
		t.Fatal(err)
	}
	if len(addrs) != 0 {
		t.Errorf("RestoreAddresses of a truncated file added %v", addrs)
	}
}

// FuzzReadSaved reads arbitrary bytes as saved address and route files:
// it must never panic, and what reads writes back the same.
func FuzzReadSaved(f *testing.F) {
	for _, name := range []string{"addr_save", "route_save"} {
		f.Add([]byte(corpus.LoadCase(f, name).StdoutBytes))
	}
	f.Add(savedFile(f, addrSaveMagic, []SavedMessage{savedAddrMessage()}))
	f.Fuzz(func(t *testing.T, b []byte) {
		for range ReadSavedAddresses(bytes.NewReader(b)) {
		}
		var msgs []SavedMessage
		for m, err := range ReadSavedRouteMessages(bytes.NewReader(b)) {
			if err != nil {
				return
			}
			msgs = append(msgs, m)
		}
		var again []SavedMessage
		for m, err := range ReadSavedRouteMessages(bytes.NewReader(savedFile(t, routeSaveMagic, msgs))) {
			if err != nil {
				t.Fatalf("reading what was written back: %v", err)
			}
			again = append(again, m)
		}
		if diff := cmp.Diff(msgs, again); diff != "" {
			t.Errorf("written back and read again (-first +again):\n%s", diff)
		}
	})
}

// TestSaveRoutesNoTable saves the routes of tables that do not exist: the
// main table of a namespace without routes gives a file without routes, as
// with ip; another table, an error.
func TestSaveRoutesNoTable(t *testing.T) {
	c, err := Dial(context.Background(), WithNetNS(testns.New(t).FD()))
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	var file bytes.Buffer
	if err := c.SaveRoutes(context.Background(), &file); err != nil {
		t.Fatalf("saving the missing main table: %v", err)
	}
	if want := savedFile(t, routeSaveMagic, nil); !bytes.Equal(file.Bytes(), want) {
		t.Errorf("saved %x, want %x", file.Bytes(), want)
	}
	err = c.SaveRoutes(context.Background(), &file, FilterRouteTable(100))
	if !errors.Is(err, ErrNotExist) || !strings.Contains(err.Error(), "FIB table does not exist") {
		t.Errorf("saving the missing table 100: %v, want ErrNotExist and the kernel's message", err)
	}
	if err := c.SaveRoutes(context.Background(), &file, FilterRouteFamily(99)); !errors.As(err, new(*InvalidError)) {
		t.Errorf("saving family 99: %v, want an InvalidError", err)
	}
}

// defaultRouteDumpRequest is the dump request of a route list without
// filters.
func defaultRouteDumpRequest(t *testing.T) []byte {
	f, err := newRouteFilter(nil)
	if err != nil {
		t.Fatal(err)
	}
	return f.dumpRequest()
}
