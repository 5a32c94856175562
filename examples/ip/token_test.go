package main

import "testing"

// TestToken sets and deletes IPv6 tokens with ip and with the example and
// compares the tokens and the outputs.
func TestToken(t *testing.T) {
	replayObject(t, scenario{
		roles: []string{"host"},
		cmds: []string{
			"host link add v0 type veth peer v1",
			"host link add v2 type veth peer v3",
			"host token set ::1:2:3:4/64 dev v0",
			"host token set ::5 dev v2",
			"host token add ::6 dev v3",
			"host token del dev v3",
			"host -j token get dev v0 =",
		},
	}, "token", "-j token", "-j -p token list", "token get dev v0", "-j token get x dev v2")
}

// TestTokenErrors checks the example's errors for token against ip's.
func TestTokenErrors(t *testing.T) {
	sameErrors(t, []string{"link add v0 type veth peer v1"},
		"token set dev v0", "token set ::1", "token set ::1 dev nosuch", "token set 10.0.0.1 dev v0",
		"token set zz dev v0", "token set ::1 dev lo", "token list dev", "token frob", "token help")
}
