package gtest

import (
	"bytes"
	"encoding/binary"
	"encoding/hex"
	"os/exec"
	"strings"
	"testing"

	"github.com/nlkit/nlkit/genl"
	"github.com/nlkit/nlkit/internal/testns"
)

// CompareRequest fails the test unless `ip ARGS`, run in the namespace,
// sends r's bytes: the generic netlink header and attributes of the last
// request ip sends its family. ip may fail (the kernel may refuse the
// request): the request is what counts.
func CompareRequest(t testing.TB, ns *testns.NS, r genl.Request, args ...string) {
	t.Helper()
	want := append([]byte{r.Command, r.Version, 0, 0}, r.Data...)
	if got := ipRequest(t, ns, args...); !bytes.Equal(got, want) {
		t.Errorf("ip %s sends\n% x\nnlkit builds\n% x", strings.Join(args, " "), got, want)
	}
}

// ipRequest runs `ip ARGS` in the namespace under strace and returns the
// payload (after the netlink header) of the last request ip sent.
func ipRequest(t testing.TB, ns *testns.NS, args ...string) []byte {
	t.Helper()
	cmd := exec.Command("ip", append([]string{"netns", "exec", ns.Name(),
		"strace", "-f", "-xx", "-e", "trace=sendmsg,sendto", "-e", "write=all", "ip"}, args...)...)
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	err := cmd.Run()
	msgs := dumpedBuffers(stderr.String())
	if len(msgs) == 0 {
		t.Fatalf("strace ip %s: no request seen (%v)\n%s", strings.Join(args, " "), err, stderr.Bytes())
	}
	last := msgs[len(msgs)-1]
	if len(last) < 16 || int(binary.NativeEndian.Uint32(last)) != len(last) {
		t.Fatalf("strace ip %s: a request of %d bytes that is not one netlink message", strings.Join(args, " "), len(last))
	}
	return last[16:]
}

// dumpedBuffers parses the buffers strace's write=all dumps ("* N bytes in
// buffer 0" and lines " | OFFSET  HEX…  ASCII |").
func dumpedBuffers(out string) [][]byte {
	var bufs [][]byte
	for line := range strings.Lines(out) {
		switch {
		case strings.HasPrefix(line, " * ") && strings.Contains(line, "bytes in buffer"):
			bufs = append(bufs, nil)
		case strings.HasPrefix(line, " | ") && len(bufs) > 0:
			// " | 00000  20 00 … 00   ascii |": the hex is in columns 10 to 58.
			if len(line) < 60 {
				continue
			}
			b, err := hex.DecodeString(strings.ReplaceAll(line[10:59], " ", ""))
			if err == nil {
				bufs[len(bufs)-1] = append(bufs[len(bufs)-1], b...)
			}
		}
	}
	return bufs
}
