package vmtest

import (
	"bufio"
	"fmt"
	"io"

	"golang.org/x/sys/unix"
)

// A cpioWriter writes an initramfs: a cpio archive in the "newc" format
// that the kernel unpacks.
type cpioWriter struct {
	w   *bufio.Writer
	ino int
	err error
}

func newCPIOWriter(w io.Writer) *cpioWriter { return &cpioWriter{w: bufio.NewWriter(w)} }

// Dir adds a directory.
func (c *cpioWriter) Dir(name string) { c.entry(name, unix.S_IFDIR|0o755, 0, 0, nil) }

// File adds a regular file.
func (c *cpioWriter) File(name string, mode uint32, data []byte) {
	c.entry(name, unix.S_IFREG|mode, 0, 0, data)
}

// CharDev adds a character device node.
func (c *cpioWriter) CharDev(name string, major, minor uint32) {
	c.entry(name, unix.S_IFCHR|0o600, major, minor, nil)
}

// Close writes the trailer and flushes.
func (c *cpioWriter) Close() error {
	c.entry("TRAILER!!!", 0, 0, 0, nil)
	if c.err != nil {
		return c.err
	}
	return c.w.Flush()
}

func (c *cpioWriter) entry(name string, mode, rmajor, rminor uint32, data []byte) {
	if c.err != nil {
		return
	}
	c.ino++
	nlink := 1
	if mode&unix.S_IFMT == unix.S_IFDIR {
		nlink = 2
	}
	_, c.err = fmt.Fprintf(c.w, "070701%08X%08X%08X%08X%08X%08X%08X%08X%08X%08X%08X%08X%08X%s\x00",
		c.ino, mode, 0, 0, nlink, 0, len(data), 0, 0, rmajor, rminor, len(name)+1, 0, name)
	c.pad(110 + len(name) + 1)
	if c.err == nil {
		_, c.err = c.w.Write(data)
	}
	c.pad(len(data))
}

// pad writes the zeros that align n bytes to 4.
func (c *cpioWriter) pad(n int) {
	if c.err == nil && n%4 != 0 {
		_, c.err = c.w.Write(make([]byte, 4-n%4))
	}
}
