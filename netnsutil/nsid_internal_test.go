package netnsutil

import (
	"context"
	"errors"
	"testing"

	"github.com/nlkit/nlkit"
)

// TestIDQuery runs the nsid requests over nlconn in the test's own
// namespace, reading only: a query, a kernel error, a query again on the
// same connection, a listing, and a canceled context.
func TestIDQuery(t *testing.T) {
	ctx := context.Background()
	q, err := newIDQuery(ctx, options{})
	if err != nil {
		t.Fatal(err)
	}
	defer q.close()

	if _, err := q.idOf(ctx, "/proc/self/ns/net"); err != nil {
		t.Errorf("nsid of the own namespace: %v", err)
	}
	// No namespace behind the descriptor: the kernel refuses.
	_, err = q.idOfFD(ctx, 1<<20)
	var ke *nlkit.Error
	if !errors.As(err, &ke) || ke.Op != "netnsutil: get nsid" {
		t.Fatalf("nsid of a bad fd = %v, want an *nlkit.Error of op %q", err, "netnsutil: get nsid")
	}
	t.Logf("bad fd: %v", err)
	if _, err := q.idOf(ctx, "/proc/self/ns/net"); err != nil {
		t.Errorf("nsid after a kernel error: %v", err)
	}

	ids, err := ListIDs(ctx)
	if err != nil || ids == nil {
		t.Errorf("ListIDs = %v, %v; want a list, empty or not, that is not nil", ids, err)
	}

	cctx, cancel := context.WithCancel(ctx)
	cancel()
	if _, err := q.idOf(cctx, "/proc/self/ns/net"); !errors.Is(err, context.Canceled) {
		t.Errorf("nsid with a canceled context = %v", err)
	}
	if _, err := ListIDs(cctx); !errors.Is(err, context.Canceled) {
		t.Errorf("ListIDs with a canceled context = %v", err)
	}
}
