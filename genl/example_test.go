package genl_test

import (
	"context"
	"fmt"
	"log"

	"github.com/nlkit/nlkit/genl"
)

// List the generic netlink families, as `genl ctrl list` does.
func ExampleListFamilies() {
	families, err := genl.ListFamilies(context.Background())
	if err != nil {
		log.Fatal(err)
	}
	for _, f := range families {
		fmt.Printf("%s id %#x version %d, %d commands\n", f.Name, f.ID, f.Version, len(f.Ops))
	}
}

// Resolve the controller, which every kernel with generic netlink has.
func ExampleGetFamily() {
	f, err := genl.GetFamily(context.Background(), "nlctrl")
	if err != nil {
		log.Fatal(err)
	}
	g, _ := f.Group("notify")
	fmt.Println(f.Name, f.ID, g.Name)
	// Output: nlctrl 16 notify
}
