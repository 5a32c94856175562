package tcpmetrics

import (
	"context"
	"fmt"
	"iter"
	"net/netip"

	"golang.org/x/sys/unix"

	"github.com/nlkit/nlkit/attrs"
	"github.com/nlkit/nlkit/genl"
)

// A Filter selects entries as the selector of `ip tcp_metrics show`
// does. The kernel does not filter the metrics: ip and nlkit filter what it
// dumps. The zero Filter selects every entry.
type Filter struct {
	// Family keeps only the entries of AF_INET or AF_INET6; 0 keeps both.
	Family int
	// Dst keeps only the entries whose destination is in the prefix
	// (`ip tcp_metrics show PREFIX`).
	Dst netip.Prefix
	// Src keeps only the entries of this source address (`src ADDRESS`:
	// ip takes no prefix there). As ip does, it keeps the entries that
	// have no source.
	Src netip.Addr
}

// check refuses a filter ip would refuse.
func (f Filter) check() error {
	switch {
	case f.Family != 0 && f.Family != unix.AF_INET && f.Family != unix.AF_INET6:
		return genl.Invalid("tcp metrics filter family", fmt.Sprintf("%d: want AF_INET or AF_INET6", f.Family))
	case f.Dst.IsValid() && f.Family != 0 && f.Dst.Addr().Is4() != (f.Family == unix.AF_INET):
		return genl.Invalid("tcp metrics filter", "the destination prefix is not of the family")
	case f.Src.IsValid() && f.Family != 0 && f.Src.Is4() != (f.Family == unix.AF_INET):
		return genl.Invalid("tcp metrics filter", "the source address is not of the family")
	}
	return nil
}

// match reports whether the filter keeps the entry.
func (f Filter) match(e *Entry) bool {
	if f.Family != 0 && e.Dst.Is4() != (f.Family == unix.AF_INET) {
		return false
	}
	if f.Dst.IsValid() && !f.Dst.Contains(e.Dst) {
		return false
	}
	if f.Src.IsValid() && e.Src.IsValid() && f.Src != e.Src {
		return false
	}
	return true
}

// dumpRequest is the request that dumps every entry.
func dumpRequest() genl.Request {
	return genl.Request{Op: "tcp_metrics: dump", Family: familyName, Command: cmdGet, Version: version}
}

// filtered returns the entry decoder with the filter applied.
func filtered(f Filter) func(genl.Message) (Entry, bool, error) {
	return func(m genl.Message) (Entry, bool, error) {
		e, keep, err := decodeEntryMessage(m)
		return e, keep && f.match(&e), err
	}
}

// Entries returns the entries the filter selects, as `ip tcp_metrics show
// [SELECTOR]` lists them. A dump the kernel reports interrupted returns what
// it read with an error matching [genl.ErrDumpInterrupted].
func Entries(ctx context.Context, c *genl.Conn, f Filter) ([]Entry, error) {
	if err := f.check(); err != nil {
		return nil, err
	}
	return genl.Collect(ctx, c, dumpRequest(), filtered(f))
}

// EntriesSeq streams the entries the filter selects as the kernel's reply
// arrives; see [Entries].
func EntriesSeq(ctx context.Context, c *genl.Conn, f Filter) iter.Seq2[Entry, error] {
	if err := f.check(); err != nil {
		return func(yield func(Entry, error) bool) { yield(Entry{}, err) }
	}
	return genl.Stream(ctx, c, dumpRequest(), filtered(f))
}

// Get returns the entry of the destination dst and, when src is valid, the
// source src, as `ip tcp_metrics show ADDRESS [src ADDRESS]` does. A missing
// entry gives an error matching [genl.ErrNotExist].
func Get(ctx context.Context, c *genl.Conn, dst, src netip.Addr) (Entry, error) {
	req, err := entryRequest("get", cmdGet, dst, src)
	if err != nil {
		return Entry{}, err
	}
	var e Entry
	found := false
	err = c.Execute(ctx, req, func(m genl.Message) error {
		var err error
		e, found, err = decodeEntryMessage(m)
		return err
	})
	if err == nil && !found {
		err = fmt.Errorf("%s: no entry in the reply", req.Op)
	}
	return e, err
}

// entryRequest builds the request of the command for the entry of dst and
// src, as ip builds it.
func entryRequest(op string, cmd uint8, dst, src netip.Addr) (genl.Request, error) {
	switch {
	case !dst.IsValid() || dst.Zone() != "":
		return genl.Request{}, genl.Invalid("tcp metrics destination", fmt.Sprintf("%q is not an IP address without zone", dst))
	case src.IsValid() && (src.Zone() != "" || src.Is4() != dst.Is4()):
		return genl.Request{}, genl.Invalid("tcp metrics source", fmt.Sprintf("%s is not an address of the destination's family", src))
	}
	var enc attrs.Encoder
	encodeAddrs(&enc, dst, src)
	what := dst.String()
	if src.IsValid() {
		what += " from " + src.String()
	}
	return genl.Request{Op: "tcp_metrics: " + op + " " + what, Family: familyName, Command: cmd, Version: version, Data: enc.Bytes()}, enc.Err()
}
