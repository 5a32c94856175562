// Package ipstrace captures the netlink requests the real ip command sends,
// for tests that compare them with the bytes nlkit builds.
package ipstrace

import (
	"bytes"
	"encoding/hex"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/nlkit/nlkit/internal/testns"
)

// Sent runs `ip -n NS ARGS` under strace and returns the buffers ip sent on
// its sockets (with sendmsg or sendto), in order, and ip's error output when
// it failed: the kernel may refuse a request, and the request is what
// counts.
func Sent(t testing.TB, ns *testns.NS, args ...string) (bufs [][]byte, ipErr string) {
	t.Helper()
	log := filepath.Join(t.TempDir(), "strace")
	cmd := exec.Command("strace", append([]string{"-f", "-qq", "-o", log, "-e", "trace=sendmsg,sendto", "-e", "write=all",
		"ip", "-n", ns.Name()}, args...)...)
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	if err := cmd.Run(); err != nil {
		ipErr = strings.TrimSpace(stderr.String())
		if ipErr == "" {
			ipErr = err.Error()
		}
	}
	out, err := os.ReadFile(log)
	if err != nil {
		t.Fatalf("strace ip %s: %v (%s)", strings.Join(args, " "), err, ipErr)
	}
	bufs, err = dumpedBuffers(string(out))
	if err != nil {
		t.Fatalf("strace ip %s: %v", strings.Join(args, " "), err)
	}
	return bufs, ipErr
}

// dumpedBuffers parses the buffers strace's write=all dumps: runs of lines
// " | OFFSET  HEX…  ASCII |", each run one buffer.
func dumpedBuffers(out string) ([][]byte, error) {
	var bufs [][]byte
	var cur []byte
	for line := range strings.Lines(out) {
		if !strings.HasPrefix(line, " | ") {
			if cur != nil {
				bufs, cur = append(bufs, cur), nil
			}
			continue
		}
		// " | 00000  30 00 00 00 …  ascii |": the hex is in columns 10 to 58.
		for _, h := range strings.Fields(line[10:min(len(line), 59)]) {
			b, err := hex.DecodeString(h)
			if err != nil {
				return nil, err
			}
			cur = append(cur, b...)
		}
	}
	if cur != nil {
		bufs = append(bufs, cur)
	}
	return bufs, nil
}
