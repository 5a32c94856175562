package main

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/nlkit/nlkit/examples/internal/extest"
	"github.com/nlkit/nlkit/internal/testns"
)

// TestRun runs the view on a test namespace, makes changes there with ip
// and checks that each appears, then that the view ends, without an error,
// when its context is cancelled (as on Ctrl-C).
func TestRun(t *testing.T) {
	ns := testns.New(t)
	ns.IP(t, "link", "set", "lo", "up")
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	var out extest.Buffer
	done := make(chan error, 1)
	go func() { done <- run(ctx, &out, ns.Name()) }()

	// waitFor waits until the view has printed each of the texts.
	waitFor := func(texts ...string) {
		t.Helper()
		deadline := time.Now().Add(20 * time.Second)
		for {
			missing := ""
			for _, text := range texts {
				if !strings.Contains(out.String(), text) {
					missing = text
					break
				}
			}
			if missing == "" {
				return
			}
			if time.Now().After(deadline) {
				t.Fatalf("the view never printed %q; it printed:\n%s", missing, out.String())
			}
			time.Sleep(20 * time.Millisecond)
		}
	}
	waitFor("+ link lo (index 1) <LOOPBACK,UP,LOWER_UP> mtu 65536 state UNKNOWN\n",
		"\n+ address 127.0.0.1/8 on lo scope host\n",
		"\n= 1 links, 2 addresses, ")

	ns.IPBatch(t,
		"link add v0 type veth peer name v1",
		"address add 10.9.0.1/24 dev v0",
		"link set v1 up",
		"link set v0 up",
		"route add 10.8.0.0/16 via 10.9.0.254",
		"neigh add 10.9.0.2 lladdr 02:00:00:00:00:02 dev v0 nud permanent",
	)
	waitFor("\n+ link v0 (index ", "\n+ link v1 (index ",
		"<BROADCAST,MULTICAST,UP,LOWER_UP> mtu 1500 state UP\n",
		"\n+ address 10.9.0.1/24 on v0 scope global\n",
		"\n+ route 10.8.0.0/16 via 10.9.0.254 dev v0 table main\n",
		"\n+ neighbour 10.9.0.2 on v0 lladdr 02:00:00:00:00:02 PERMANENT\n")
	ns.IP(t, "link", "del", "v0")
	waitFor("\n- route 10.8.0.0/16 via 10.9.0.254 dev v0 table main\n",
		"\n- address 10.9.0.1/24 on v0 scope global\n",
		"\n- neighbour 10.9.0.2 on v0 lladdr 02:00:00:00:00:02 PERMANENT\n",
		"\n- link v0 (index ", "\n- link v1 (index ")

	cancel()
	select {
	case err := <-done:
		if err != nil {
			t.Errorf("run = %v after Ctrl-C; want nil", err)
		}
	case <-time.After(10 * time.Second):
		t.Fatal("run did not end after its context was cancelled")
	}
}

// TestRunMissingNamespace checks that a namespace that does not exist is
// an error.
func TestRunMissingNamespace(t *testing.T) {
	if err := run(context.Background(), &extest.Buffer{}, "nlkit-no-such-namespace"); err == nil {
		t.Error("run in a namespace that does not exist returned nil")
	}
}
