package vmtest

import (
	"bytes"
	"io"
	"runtime"
	"sync"
)

// A prefixWriter writes whole lines, each with a prefix, to w. The markers
// of -test.v=test2json (^V) are left out.
type prefixWriter struct {
	w      io.Writer
	prefix string
	buf    []byte
}

func (p *prefixWriter) Write(b []byte) (int, error) {
	p.buf = append(p.buf, b...)
	for {
		i := bytes.IndexByte(p.buf, '\n')
		if i < 0 {
			return len(b), nil
		}
		text := bytes.ReplaceAll(p.buf[:i+1], []byte{0x16}, nil)
		p.buf = p.buf[i+1:]
		if string(bytes.TrimSpace(text)) == "=== NAME" {
			continue // test2json's framing, which says nothing here
		}
		line := append([]byte(p.prefix), text...)
		if _, err := p.w.Write(line); err != nil {
			return len(b), err
		}
	}
}

// Flush writes what is left of an unfinished line.
func (p *prefixWriter) Flush() {
	if len(p.buf) > 0 {
		p.Write([]byte("\n"))
	}
}

// A lockedWriter serialises the writes of several goroutines.
type lockedWriter struct {
	mu sync.Mutex
	w  io.Writer
}

func (l *lockedWriter) Write(b []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.w.Write(b)
}

// runtimeCPUs is the number of CPUs a guest gets: as many as the host has.
func runtimeCPUs() int { return runtime.NumCPU() }
