package mptcp

import (
	"context"
	"errors"
	"fmt"
	"net/netip"
	"strings"

	"golang.org/x/sys/unix"

	"github.com/nlkit/nlkit"

	"github.com/nlkit/nlkit/attrs"
	"github.com/nlkit/nlkit/genl"
)

// AddEndpoint adds an endpoint, as `ip mptcp endpoint add ADDRESS [dev
// NAME] [id ID] [port NR] [FLAGS]` does; e.LinkName is ignored. An ID of 0
// lets the kernel pick one. A port needs the [Signal] flag, which cannot go
// with [Fullmesh]. An endpoint with the address or ID of another gives an
// error matching [genl.ErrExist] (Linux 6.1 answers EINVAL).
func AddEndpoint(ctx context.Context, c *genl.Conn, e Endpoint) error {
	switch {
	case !e.Address.IsValid() || e.Address.Zone() != "":
		return genl.Invalid("endpoint address", fmt.Sprintf("%q is not an IP address without zone", e.Address))
	case e.Flags&Signal != 0 && e.Flags&Fullmesh != 0:
		return genl.Invalid("endpoint flags", "signal and fullmesh cannot go together")
	case e.Port != 0 && e.Flags&Signal == 0:
		return genl.Invalid("endpoint port", "a port needs the signal flag")
	case e.LinkIndex < 0:
		return genl.Invalid("endpoint link index", fmt.Sprint(e.LinkIndex))
	}
	return execute(ctx, c, fmt.Sprintf("mptcp: add endpoint %s", e.Address), cmdAddAddr, e, e.ID != 0)
}

// DeleteEndpoint deletes the endpoint with the given id, as `ip mptcp
// endpoint delete id ID [ADDRESS]` does. The endpoint of id 0, the one of
// the connections' initial subflows, is named by its address, which is
// given only then. A missing endpoint gives an error matching
// [genl.ErrNotExist] (and the kernel's EINVAL).
func DeleteEndpoint(ctx context.Context, c *genl.Conn, id uint8, addr netip.Addr) error {
	switch {
	case id != 0 && addr.IsValid():
		return genl.Invalid("endpoint address", "only the endpoint of id 0 is deleted by address")
	case id == 0 && !addr.IsValid():
		return genl.Invalid("endpoint address", "the endpoint of id 0 is deleted by address")
	}
	return endpointNotFound(execute(ctx, c, fmt.Sprintf("mptcp: delete endpoint id %d", id), cmdDelAddr, Endpoint{ID: id, Address: addr}, true))
}

// ChangeEndpoint sets the [Backup] and [Fullmesh] flags of an endpoint to
// those of e.Flags, as `ip mptcp endpoint change id ID [no]backup
// [no]fullmesh` does. The endpoint is named by e.ID, or when that is 0 by
// e.Address and e.Port. A missing endpoint gives an error matching
// [genl.ErrNotExist].
func ChangeEndpoint(ctx context.Context, c *genl.Conn, e Endpoint) error {
	switch {
	case e.Flags&^(Backup|Fullmesh) != 0:
		return genl.Invalid("endpoint flags", "only backup and fullmesh change")
	case e.ID != 0 && e.Port != 0:
		return genl.Invalid("endpoint port", "a port cannot go with an id")
	case e.ID == 0 && !e.Address.IsValid():
		return genl.Invalid("endpoint", "name it by id or by address")
	}
	what := fmt.Sprintf("id %d", e.ID)
	if e.ID == 0 {
		what = e.Address.String()
	}
	change := Endpoint{ID: e.ID, Address: e.Address, Port: e.Port, Flags: e.Flags}
	err := endpointNotFound(execute(ctx, c, "mptcp: change endpoint "+what, cmdSetFlags, change, e.ID != 0))
	if e.ID != 0 && errors.Is(err, unix.EINVAL) && !errors.Is(err, genl.ErrNotExist) {
		// Linux 6.1 answers a bare EINVAL for a missing endpoint: ask.
		if _, gerr := GetEndpoint(ctx, c, e.ID); errors.Is(gerr, genl.ErrNotExist) {
			return fmt.Errorf("%w (%w)", err, genl.ErrNotExist)
		}
	}
	return err
}

// FlushEndpoints deletes every endpoint, as `ip mptcp endpoint flush` does.
func FlushEndpoints(ctx context.Context, c *genl.Conn) error {
	return c.Execute(ctx, genl.Request{Op: "mptcp: flush endpoints", Family: familyName, Command: cmdFlushAddrs, Version: version}, nil)
}

// execute sends the command with the endpoint as its attribute.
func execute(ctx context.Context, c *genl.Conn, op string, cmd uint8, e Endpoint, withID bool) error {
	req, err := endpointRequest(op, cmd, e, withID)
	if err != nil {
		return err
	}
	return c.Execute(ctx, req, nil)
}

// endpointRequest builds the request of the command with the endpoint as
// its attribute, as ip builds it.
func endpointRequest(op string, cmd uint8, e Endpoint, withID bool) (genl.Request, error) {
	var enc attrs.Encoder
	encodeEndpoint(&enc, e, withID)
	if err := enc.Err(); err != nil {
		return genl.Request{}, err
	}
	return genl.Request{Op: op, Family: familyName, Command: cmd, Version: version, Data: enc.Bytes()}, nil
}

// endpointNotFound makes the kernel's EINVAL "address not found", its
// answer for an endpoint that does not exist, match [genl.ErrNotExist] too.
func endpointNotFound(err error) error {
	var kerr *nlkit.Error
	if errors.As(err, &kerr) && kerr.Errno == unix.EINVAL && strings.Contains(kerr.Message, "not found") {
		return fmt.Errorf("%w (%w)", err, genl.ErrNotExist)
	}
	return err
}
