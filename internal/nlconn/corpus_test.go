package nlconn

import (
	"bytes"
	"errors"
	"fmt"
	"math"
	"slices"
	"testing"

	"github.com/josharian/native"
	"golang.org/x/sys/unix"

	"github.com/nlkit/nlkit"
	"github.com/nlkit/nlkit/attrs"
	"github.com/nlkit/nlkit/internal/corpus"
)

// corpusMessages returns a case's messages followed by its saved ones.
func corpusMessages(c corpus.Case) []corpus.Message {
	return append(append([]corpus.Message(nil), c.Messages...), c.Saved...)
}

// corpusCheckMessage compares a parsed message with the corpus message it
// came from.
func corpusCheckMessage(t *testing.T, where string, got Message, want corpus.Message) {
	t.Helper()
	if got.Type != want.Type || got.Flags != want.Flags || got.Seq != want.Seq || got.PortID != want.PID {
		t.Errorf("%s: parsed type %d flags %#x seq %d port %d, want type %d flags %#x seq %d port %d",
			where, got.Type, got.Flags, got.Seq, got.PortID, want.Type, want.Flags, want.Seq, want.PID)
	}
	if !bytes.Equal(got.Data, want.Payload()) {
		t.Errorf("%s: parsed payload\n%x\nwant\n%x", where, got.Data, want.Payload())
	}
	if cap(got.Data) != len(got.Data) {
		t.Errorf("%s: payload capacity %d exceeds its length %d", where, cap(got.Data), len(got.Data))
	}
}

// TestCorpusParseMessage parses every message of the corpus on its own.
func TestCorpusParseMessage(t *testing.T) {
	n := 0
	for _, c := range corpus.Load(t) {
		for _, m := range corpusMessages(c) {
			where := fmt.Sprintf("%s: %s message %d (%s)", c.Name, m.Direction, m.Index, m.TypeName)
			got, rest, err := ParseMessage(m.Bytes)
			if err != nil {
				t.Errorf("%s: %v", where, err)
				continue
			}
			if len(rest) != 0 {
				t.Errorf("%s: %d bytes left over", where, len(rest))
			}
			corpusCheckMessage(t, where, got, m)
			n++
		}
	}
	t.Logf("%d messages parsed", n)
}

// TestCorpusParseError checks the error or acknowledgement that every
// NLMSG_ERROR and NLMSG_DONE of the corpus carries.
func TestCorpusParseError(t *testing.T) {
	var acks, errs int
	for _, c := range corpus.Load(t) {
		for _, m := range c.Messages {
			if m.Type != unix.NLMSG_ERROR && m.Type != unix.NLMSG_DONE {
				continue
			}
			where := fmt.Sprintf("%s: message %d (%s)", c.Name, m.Index, m.TypeName)
			if m.Error == nil {
				t.Errorf("%s: the corpus has no error description", where)
				continue
			}
			msg, _, err := ParseMessage(m.Bytes)
			if err != nil {
				t.Errorf("%s: %v", where, err)
				continue
			}
			err = ParseError("corpus op", msg)
			if m.Error.Errno == 0 {
				if err != nil {
					t.Errorf("%s: ParseError of an acknowledgement = %v, want nil", where, err)
				}
				acks++
				continue
			}
			var e *nlkit.Error
			if !errors.As(err, &e) {
				t.Errorf("%s: ParseError = %v (%T), want a *nlkit.Error", where, err, err)
				continue
			}
			want := nlkit.Error{
				Op:      "corpus op",
				Errno:   unix.Errno(-m.Error.Errno),
				Message: m.Error.ExtackMsg,
				Offset:  m.Error.ExtackOffset,
			}
			if *e != want {
				t.Errorf("%s: ParseError = %+v, want %+v", where, *e, want)
			}
			errs++
		}
	}
	t.Logf("%d acknowledgements and ends of dumps, %d errors", acks, errs)
	if errs == 0 || acks == 0 {
		t.Error("the corpus has no errors or no acknowledgements")
	}
}

// TestCorpusPutHeader writes the header of every request of the corpus
// with putHeader, as socket.send does (with a sequence number of its own),
// and compares it with iproute2's, volatile bytes masked.
func TestCorpusPutHeader(t *testing.T) {
	n := 0
	for _, c := range corpus.Load(t) {
		for _, m := range c.Messages {
			if m.Direction != "request" {
				continue
			}
			// A sequence number of our own where iproute2's varies (its
			// probe has a fixed 0).
			seq := m.Seq
			if slices.ContainsFunc(m.Volatile, func(r corpus.Range) bool { return r.Off == 8 && r.Class == "seq" }) {
				seq = 0x5eed
			}
			b := make([]byte, len(m.Bytes))
			PutHeader(b, len(b), m.Type, m.Flags, seq, 0)
			copy(b[HeaderLen:], m.Payload())
			if got, want := corpus.Mask(b, m.Volatile), corpus.Mask(m.Bytes, m.Volatile); !bytes.Equal(got[:HeaderLen], want[:HeaderLen]) {
				t.Errorf("%s: message %d: header %x, want %x (volatile bytes zeroed)", c.Name, m.Index, got[:HeaderLen], want[:HeaderLen])
			}
			n++
		}
	}
	t.Logf("%d request headers compared", n)
}

// corpusSplit parses the messages in b one after another and compares them
// with want. It returns the bytes after the last one.
func corpusSplit(t *testing.T, where string, b []byte, want []corpus.Message) []byte {
	t.Helper()
	for i, w := range want {
		var m Message
		var err error
		m, b, err = ParseMessage(b)
		if err != nil {
			t.Errorf("%s: message %d of %d: %v", where, i, len(want), err)
			return nil
		}
		corpusCheckMessage(t, fmt.Sprintf("%s: message %d (%s)", where, w.Index, w.TypeName), m, w)
	}
	return b
}

// TestCorpusDatagrams rebuilds every datagram of the corpus, as the
// concatenation of its messages each padded to 4 bytes, and splits it again
// with ParseMessage. It does the same with the output of ip addr save and ip
// route save.
func TestCorpusDatagrams(t *testing.T) {
	var datagrams, multi int
	for _, c := range corpus.Load(t) {
		for _, d := range c.Datagrams {
			where := fmt.Sprintf("%s: datagram %d", c.Name, d.Index)
			b := c.DatagramBytes(d)
			if len(b) != d.Len {
				t.Errorf("%s: rebuilt %d bytes, the system call moved %d", where, len(b), d.Len)
				continue
			}
			want := make([]corpus.Message, len(d.Messages))
			for i, j := range d.Messages {
				want[i] = c.Messages[j]
			}
			rest := corpusSplit(t, where, b[:len(b)-d.TrailingBytes], want)
			if len(rest) != 0 {
				t.Errorf("%s: %d bytes left after the messages", where, len(rest))
			}
			// Trailing bytes (requests sent as sizeof(req)) are zero: no
			// message header fits there.
			if trail := b[len(b)-d.TrailingBytes:]; len(trail) > 0 {
				if _, _, err := ParseMessage(trail); err == nil {
					t.Errorf("%s: ParseMessage of %d trailing zero bytes succeeded", where, len(trail))
				}
			}
			datagrams++
			if len(d.Messages) > 1 {
				multi++
			}
		}
		if len(c.Saved) > 0 {
			where := c.Name + ": stdout"
			if len(c.StdoutBytes) < 4 {
				t.Errorf("%s: %d bytes, want a magic number and messages", where, len(c.StdoutBytes))
				continue
			}
			if rest := corpusSplit(t, where, c.StdoutBytes[4:], c.Saved); len(rest) != 0 {
				t.Errorf("%s: %d bytes left after the messages", where, len(rest))
			}
		}
	}
	t.Logf("%d datagrams split, %d of them with several messages", datagrams, multi)
}

// corpusHeader returns a netlink message header for a message of length n
// (which may lie) followed by payload.
func corpusHeader(n uint32, typ, flags uint16, payload ...byte) []byte {
	b := make([]byte, HeaderLen, HeaderLen+len(payload))
	native.Endian.PutUint32(b, n)
	native.Endian.PutUint16(b[4:], typ)
	native.Endian.PutUint16(b[6:], flags)
	return append(b, payload...)
}

func TestParseMessageMalformed(t *testing.T) {
	tests := []struct {
		name string
		b    []byte
	}{
		{"empty", nil},
		{"truncated header", corpusHeader(16, unix.NLMSG_DONE, 0)[:15]},
		{"length 0", corpusHeader(0, unix.NLMSG_DONE, 0)},
		{"length 15", corpusHeader(15, unix.NLMSG_DONE, 0, 0, 0, 0, 0)},
		{"length beyond buffer", corpusHeader(21, unix.NLMSG_DONE, 0, 0, 0, 0, 0)},
		{"length 2^31", corpusHeader(1<<31, unix.NLMSG_DONE, 0)},
		{"length 2^32-1", corpusHeader(math.MaxUint32, unix.NLMSG_DONE, 0)},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			m, rest, err := ParseMessage(tt.b)
			if err == nil {
				t.Fatalf("ParseMessage(%x) = %+v, %x, nil; want an error", tt.b, m, rest)
			}
			if rest != nil || m.Data != nil {
				t.Errorf("ParseMessage(%x) returned data %x and rest %x with its error", tt.b, m.Data, rest)
			}
		})
	}
}

func TestParseMessageSplit(t *testing.T) {
	// An unpadded last message, then a message whose padding is cut short,
	// then a truncated header.
	first := corpusHeader(17, unix.RTM_NEWLINK, unix.NLM_F_MULTI, 0xaa, 0, 0, 0)
	second := corpusHeader(18, unix.RTM_NEWLINK, unix.NLM_F_MULTI, 0xbb, 0xcc)
	tests := []struct {
		name      string
		b         []byte
		datas     [][]byte
		wantError bool
	}{
		{"padded", first, [][]byte{{0xaa}}, false},
		{"unpadded end", first[:17], [][]byte{{0xaa}}, false},
		{"two", append(append([]byte(nil), first...), second...), [][]byte{{0xaa}, {0xbb, 0xcc}}, false},
		{"trailing bytes", append(append([]byte(nil), first...), 1, 2, 3), [][]byte{{0xaa}}, true},
		{"trailing zero header", append(append([]byte(nil), first...), make([]byte, 16)...), [][]byte{{0xaa}}, true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			b := tt.b
			var datas [][]byte
			var err error
			for len(b) > 0 {
				var m Message
				if m, b, err = ParseMessage(b); err != nil {
					break
				}
				datas = append(datas, m.Data)
			}
			if (err != nil) != tt.wantError {
				t.Errorf("error %v, want error: %t", err, tt.wantError)
			}
			if fmt.Sprintf("%x", datas) != fmt.Sprintf("%x", tt.datas) {
				t.Errorf("payloads %x, want %x", datas, tt.datas)
			}
		})
	}
}

// corpusExtack returns the extended-ack attributes for msg and offset.
func corpusExtack(msg string, offset uint32) []byte {
	var e attrs.Encoder
	if msg != "" {
		e.String(ackAttrMsg, msg)
	}
	if offset != 0 {
		e.Uint32(ackAttrOffs, offset)
	}
	return e.Bytes()
}

// corpusErrno returns the 4-byte error field for errno, negated as the
// kernel sends it.
func corpusErrno(errno int32) []byte { return native.Endian.AppendUint32(nil, uint32(-errno)) }

func TestParseErrorMalformed(t *testing.T) {
	request := corpusHeader(20, unix.RTM_NEWLINK, unix.NLM_F_REQUEST|unix.NLM_F_ACK, 1, 2, 3, 4)
	cat := func(parts ...[]byte) []byte { return bytes.Join(parts, nil) }
	tests := []struct {
		name  string
		typ   uint16
		flags uint16
		data  []byte
		want  *nlkit.Error // nil: a plain error, not a kernel one
	}{
		{name: "empty", typ: unix.NLMSG_ERROR, data: nil},
		{name: "3 bytes", typ: unix.NLMSG_ERROR, data: []byte{0xed, 0xff, 0xff}},
		{name: "done 3 bytes", typ: unix.NLMSG_DONE, data: []byte{0, 0, 0}},
		{
			name: "errno only", typ: unix.NLMSG_ERROR,
			data: corpusErrno(int32(unix.ENODEV)),
			want: &nlkit.Error{Errno: unix.ENODEV},
		},
		{
			name: "tlvs flag without request", typ: unix.NLMSG_ERROR, flags: unix.NLM_F_ACK_TLVS,
			data: corpusErrno(int32(unix.EINVAL)),
			want: &nlkit.Error{Errno: unix.EINVAL},
		},
		{
			name: "truncated request header", typ: unix.NLMSG_ERROR, flags: unix.NLM_F_ACK_TLVS,
			data: cat(corpusErrno(int32(unix.EINVAL)), request[:10]),
			want: &nlkit.Error{Errno: unix.EINVAL},
		},
		{
			name: "request longer than message", typ: unix.NLMSG_ERROR, flags: unix.NLM_F_ACK_TLVS,
			data: cat(corpusErrno(int32(unix.EINVAL)), request[:16]),
			want: &nlkit.Error{Errno: unix.EINVAL},
		},
		{
			name: "request length 2^32-1", typ: unix.NLMSG_ERROR, flags: unix.NLM_F_ACK_TLVS,
			data: cat(corpusErrno(int32(unix.EINVAL)), corpusHeader(math.MaxUint32, 0, 0), corpusExtack("m", 0)),
			want: &nlkit.Error{Errno: unix.EINVAL},
		},
		{
			name: "request length 2^31+16", typ: unix.NLMSG_ERROR, flags: unix.NLM_F_ACK_TLVS,
			data: cat(corpusErrno(int32(unix.EINVAL)), corpusHeader(1<<31+16, 0, 0), corpusExtack("m", 0)),
			want: &nlkit.Error{Errno: unix.EINVAL},
		},
		{
			name: "full request", typ: unix.NLMSG_ERROR, flags: unix.NLM_F_ACK_TLVS,
			data: cat(corpusErrno(int32(unix.EINVAL)), request, corpusExtack("bad thing", 20)),
			want: &nlkit.Error{Errno: unix.EINVAL, Message: "bad thing", Offset: 20},
		},
		{
			name: "capped request", typ: unix.NLMSG_ERROR, flags: unix.NLM_F_ACK_TLVS | unix.NLM_F_CAPPED,
			data: cat(corpusErrno(int32(unix.EINVAL)), request[:16], corpusExtack("bad thing", 0)),
			want: &nlkit.Error{Errno: unix.EINVAL, Message: "bad thing"},
		},
		{
			name: "malformed tlvs", typ: unix.NLMSG_ERROR, flags: unix.NLM_F_ACK_TLVS | unix.NLM_F_CAPPED,
			data: cat(corpusErrno(int32(unix.EINVAL)), request[:16], []byte{0xff, 0, 1, 0, 'x'}),
			want: &nlkit.Error{Errno: unix.EINVAL},
		},
		{
			name: "done with tlvs", typ: unix.NLMSG_DONE, flags: unix.NLM_F_MULTI | unix.NLM_F_ACK_TLVS,
			data: cat(corpusErrno(int32(unix.EINTR)), corpusExtack("dump failed", 0)),
			want: &nlkit.Error{Errno: unix.EINTR, Message: "dump failed"},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := ParseError("op", Message{Type: tt.typ, Flags: tt.flags, Data: tt.data})
			if err == nil {
				t.Fatal("ParseError = nil, want an error")
			}
			var e *nlkit.Error
			isKernel := errors.As(err, &e)
			switch {
			case tt.want == nil && isKernel:
				t.Errorf("ParseError = %+v, want an error that is not the kernel's", *e)
			case tt.want != nil && !isKernel:
				t.Errorf("ParseError = %v, want a *nlkit.Error", err)
			case tt.want != nil:
				want := *tt.want
				want.Op = "op"
				if *e != want {
					t.Errorf("ParseError = %+v, want %+v", *e, want)
				}
			}
		})
	}
}

// FuzzParse splits arbitrary bytes into messages and parses each one as an
// error: neither may panic, and the split must stay within the input.
func FuzzParse(f *testing.F) {
	for _, c := range corpus.Load(f) {
		for _, d := range c.Datagrams {
			f.Add(c.DatagramBytes(d))
		}
	}
	f.Add(corpusHeader(math.MaxUint32, unix.NLMSG_ERROR, unix.NLM_F_ACK_TLVS))
	f.Fuzz(func(t *testing.T, b []byte) {
		for len(b) > 0 {
			m, rest, err := ParseMessage(b)
			if err != nil {
				if rest != nil {
					t.Fatalf("ParseMessage returned %d bytes left with error %v", len(rest), err)
				}
				return
			}
			if len(rest) > len(b)-HeaderLen || len(m.Data) > len(b)-HeaderLen {
				t.Fatalf("ParseMessage of %d bytes: %d payload bytes and %d left", len(b), len(m.Data), len(rest))
			}
			if err := ParseError("fuzz", m); err != nil {
				_ = err.Error()
				var e *nlkit.Error
				if errors.As(err, &e) && e.Errno == 0 {
					t.Fatalf("ParseError returned a kernel error with errno 0: %v", err)
				}
			}
			b = rest
		}
	})
}
