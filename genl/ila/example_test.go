package ila_test

import (
	"context"
	"log"

	"github.com/nlkit/nlkit/genl"
	"github.com/nlkit/nlkit/genl/ila"
)

// Translate the locator 2001:db8:1:2 to 2001:db8:3:4 in a named
// namespace, as `ip -n blue ila add loc_match 2001:db8:1:2 loc
// 2001:db8:3:4` does.
func ExampleAdd() {
	ctx := context.Background()
	c, err := genl.Dial(ctx, genl.WithNetNSPath("/run/netns/blue"))
	if err != nil {
		log.Fatal(err)
	}
	defer c.Close()
	match, err := ila.ParseLocator("2001:db8:1:2")
	if err != nil {
		log.Fatal(err)
	}
	loc, err := ila.ParseLocator("2001:db8:3:4")
	if err != nil {
		log.Fatal(err)
	}
	if err := ila.Add(ctx, c, ila.Mapping{LocatorMatch: match, Locator: loc}); err != nil {
		log.Fatal(err) // errors.Is(err, genl.ErrNotSupported) without ILA
	}
}
