// Package nsset holds the mechanics the examples that build a topology in
// throw-away network namespaces share: making the namespaces and removing
// exactly those made, also after the caller's context is cancelled;
// connecting to one by name; printing one JSON object with a member per
// namespace; and running an example command (Run, Main) around them. What
// each example builds in them stays in the example.
package nsset

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"time"

	"github.com/nlkit/nlkit/netnsutil"
	"github.com/nlkit/nlkit/rtnl"
)

// removeTimeout bounds [Set.RemoveDetached], which runs with a context of
// its own: the caller's may be cancelled already.
const removeTimeout = 10 * time.Second

// A Set is the network namespaces an example made, in the order it made
// them, so that removal deletes exactly those.
type Set struct {
	created []string
}

// Add creates the named namespaces in order, and remembers each it
// created. It stops at the first error.
func (s *Set) Add(ctx context.Context, names ...string) error {
	for _, name := range names {
		if err := netnsutil.Add(ctx, name); err != nil {
			return err
		}
		s.created = append(s.created, name)
	}
	return nil
}

// Remove deletes the namespaces Add made, the last first. Their links go
// with them: a veth pair is destroyed with either of its namespaces.
func (s *Set) Remove(ctx context.Context) error {
	var errs []error
	for i := len(s.created) - 1; i >= 0; i-- {
		if err := netnsutil.Delete(ctx, s.created[i]); err != nil {
			errs = append(errs, err)
			continue
		}
		s.created = s.created[:i]
	}
	return errors.Join(errs...)
}

// RemoveDetached is [Set.Remove] with a context of its own that keeps ctx's
// values but not its cancellation, bounded by a timeout: an example calls
// it on its way out, when ctx may be cancelled already (Ctrl-C).
func (s *Set) RemoveDetached(ctx context.Context) error {
	ctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), removeTimeout)
	defer cancel()
	return s.Remove(ctx)
}

// Dial connects to the named namespace.
func Dial(ctx context.Context, ns string) (*rtnl.Conn, error) {
	c, err := rtnl.Dial(ctx, rtnl.WithNetNSPath(netnsutil.RunDir+"/"+ns))
	if err != nil {
		return nil, fmt.Errorf("namespace %s: %w", ns, err)
	}
	return c, nil
}

// PrintJSON writes one JSON object, its members the namespaces names in
// order, each with the value read returns on a connection to it. Like ip,
// it does not escape <, > and &.
func PrintJSON(ctx context.Context, w io.Writer, names []string, read func(context.Context, *rtnl.Conn) (any, error)) error {
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false)
	buf.WriteByte('{')
	for i, name := range names {
		v, err := readIn(ctx, name, read)
		if err != nil {
			return err
		}
		if i > 0 {
			buf.WriteByte(',')
		}
		if err := enc.Encode(name); err != nil {
			return err
		}
		buf.Truncate(buf.Len() - 1) // the Encoder's newline
		buf.WriteByte(':')
		if err := enc.Encode(v); err != nil {
			return err
		}
		buf.Truncate(buf.Len() - 1)
	}
	buf.WriteString("}\n")
	_, err := w.Write(buf.Bytes())
	return err
}

// readIn runs read on a connection to the namespace ns.
func readIn(ctx context.Context, ns string, read func(context.Context, *rtnl.Conn) (any, error)) (any, error) {
	c, err := Dial(ctx, ns)
	if err != nil {
		return nil, err
	}
	defer c.Close()
	return read(ctx, c)
}
