package nlconn

import "github.com/nlkit/nlkit/attrs"

// spoolChunk is the size of a spool's chunks: the largest the Go runtime
// still allocates as a small object.
const spoolChunk = 32 << 10

// A spool keeps copies of the messages of a dump, back to back in chunks,
// to decode them once they are all in.
type spool struct {
	chunks [][]byte
	count  int
}

// add copies m, header and payload, into the spool.
func (sp *spool) add(m Message) {
	n := attrs.Align(HeaderLen + len(m.Data))
	last := len(sp.chunks) - 1
	if last < 0 || cap(sp.chunks[last])-len(sp.chunks[last]) < n {
		sp.chunks = append(sp.chunks, make([]byte, 0, max(spoolChunk, n)))
		last++
	}
	c := sp.chunks[last]
	off := len(c)
	c = c[:off+n]
	PutHeader(c[off:], HeaderLen+len(m.Data), m.Type, m.Flags, m.Seq, m.PortID)
	copy(c[off+HeaderLen:], m.Data)
	clear(c[off+HeaderLen+len(m.Data):])
	sp.chunks[last] = c
	sp.count++
}

// each calls fn with each message, in order, until fn returns an error.
// The messages alias the spool.
func (sp *spool) each(fn func(Message) error) error {
	for _, c := range sp.chunks {
		for len(c) > 0 {
			m, rest, err := ParseMessage(c)
			if err != nil {
				return err
			}
			if err := fn(m); err != nil {
				return err
			}
			c = rest
		}
	}
	return nil
}
