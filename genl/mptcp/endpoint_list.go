package mptcp

import (
	"context"
	"fmt"
	"iter"

	"github.com/nlkit/nlkit/attrs"
	"github.com/nlkit/nlkit/genl"
	"github.com/nlkit/nlkit/genl/internal/named"
	"github.com/nlkit/nlkit/internal/linknames"
)

// dumpRequest is the request that dumps the endpoints.
func dumpRequest() genl.Request {
	return genl.Request{Op: "mptcp: dump endpoints", Family: familyName, Command: cmdGetAddr, Version: version}
}

// Endpoints returns the endpoints of the path manager, as `ip mptcp
// endpoint show` lists them, with their link names filled in. A dump the
// kernel reports interrupted returns what it read with an error matching
// [genl.ErrDumpInterrupted].
func Endpoints(ctx context.Context, c *genl.Conn) ([]Endpoint, error) {
	return named.Collect(ctx, c, dumpRequest(), decodeEndpointMessage, nameLink)
}

// EndpointsSeq streams the endpoints as the kernel's reply arrives; see
// [Endpoints].
func EndpointsSeq(ctx context.Context, c *genl.Conn) iter.Seq2[Endpoint, error] {
	return named.Stream(ctx, c, dumpRequest(), decodeEndpointMessage, nameLink)
}

// GetEndpoint returns the endpoint with the given id, as `ip mptcp endpoint
// show id ID` does. A missing endpoint gives an error matching
// [genl.ErrNotExist].
func GetEndpoint(ctx context.Context, c *genl.Conn, id uint8) (Endpoint, error) {
	var enc attrs.Encoder
	encodeEndpoint(&enc, Endpoint{ID: id}, true)
	if err := enc.Err(); err != nil {
		return Endpoint{}, err
	}
	var e Endpoint
	found := false
	req := genl.Request{Op: fmt.Sprintf("mptcp: get endpoint id %d", id), Family: familyName, Command: cmdGetAddr, Version: version, Data: enc.Bytes()}
	err := c.Execute(ctx, req, func(m genl.Message) error {
		var err error
		e, found, err = decodeEndpointMessage(m)
		return err
	})
	if err != nil {
		return Endpoint{}, endpointNotFound(err)
	}
	if !found {
		return Endpoint{}, fmt.Errorf("%s: no endpoint in the reply", req.Op)
	}
	if e.LinkIndex != 0 {
		names, err := linknames.ReadIn(ctx, c.WithNetNSFD)
		if err != nil {
			return Endpoint{}, fmt.Errorf("mptcp: name the endpoint's link: %w", err)
		}
		nameLink(&e, names)
	}
	return e, nil
}

// nameLink fills in the name of the endpoint's link.
func nameLink(e *Endpoint, names linknames.Names) {
	if e.LinkIndex != 0 {
		e.LinkName = names.Name(e.LinkIndex)
	}
}
