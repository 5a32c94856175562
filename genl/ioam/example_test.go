package ioam_test

import (
	"context"
	"log"

	"github.com/nlkit/nlkit/genl"
	"github.com/nlkit/nlkit/genl/ioam"
)

// Add an IOAM namespace with a schema in a named namespace, as `ip ioam
// namespace add 1 data 5`, `ip ioam schema add 7 DATA` and `ip ioam
// namespace set 1 schema 7` do.
func ExampleAddNamespace() {
	ctx := context.Background()
	c, err := genl.Dial(ctx, genl.WithNetNSPath("/run/netns/blue"))
	if err != nil {
		log.Fatal(err)
	}
	defer c.Close()
	data, schema := uint32(5), uint32(7)
	if err := ioam.AddNamespace(ctx, c, ioam.Namespace{ID: 1, Data: &data}); err != nil {
		log.Fatal(err)
	}
	if err := ioam.AddSchema(ctx, c, ioam.Schema{ID: schema, Data: []byte("opaque state")}); err != nil {
		log.Fatal(err)
	}
	if err := ioam.SetNamespaceSchema(ctx, c, 1, &schema); err != nil {
		log.Fatal(err)
	}
}
