package main

import "testing"

// TestIoam adds, sets and deletes IOAM namespaces and schemas with ip and
// with the example and compares them and the outputs.
func TestIoam(t *testing.T) {
	replayObject(t, scenario{
		roles: []string{"host"},
		cmds: []string{
			"host ioam namespace add 1 data 0x11 wide 0xabc",
			"host ioam namespace add 2 wide ff",
			"host ioam namespace add 3 data 0",
			"host ioam namespace add 4 data 0xffffffff wide 0",
			"host ioam namespace add 5",
			"host ioam schema add 7 hello",
			"host ioam schema add 8 hi",
			"host ioam schema add 9 gone",
			"host ioam namespace set 1 schema 7",
			"host ioam namespace set 2 schema 8",
			"host ioam namespace set 2 schema none",
			"host ioam schema del 9",
			"host ioam namespace del 5",
		},
	}, "ioam namespace show", "-j ioam namespace show", "-j -p ioam namespace show", "-o ioam namespace show",
		"ioam schema show", "-j ioam schema show")
}

// TestIoamErrors checks the example's errors for ioam against ip's.
func TestIoamErrors(t *testing.T) {
	sameErrors(t, []string{"ioam namespace add 1", "ioam schema add 7 x"},
		"ioam namespace add 1", "ioam namespace add 70000", "ioam namespace add 9 data x", "ioam namespace add 9 wide zz",
		"ioam namespace add 9 frob 1", "ioam namespace add 9 wide 1 data 2", "ioam namespace add 9 data 1 frob 2",
		"ioam namespace del 99", "ioam namespace set 1 schema 99", "ioam namespace set 1 frob 99", "ioam schema del 99",
		"ioam schema add 7 x", "ioam", "ioam help", "ioam frob", "ioam namespace frob", "ioam schema", "ioam namespace add")
}
