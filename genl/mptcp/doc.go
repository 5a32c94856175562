// Package mptcp manages the in-kernel MPTCP path manager over generic
// netlink (family mptcp_pm), as `ip mptcp` does: endpoints
// ([AddEndpoint], [Endpoints], [ChangeEndpoint], [DeleteEndpoint],
// [FlushEndpoints]) and limits ([SetLimits], [GetLimits]).
//
// Every function takes the [genl.Conn] to work through, which fixes the
// network namespace; the JSON of [Endpoint] and [Limits] is what `ip -j
// mptcp` (iproute2 6.1) prints.
package mptcp
