package ioam_test

import (
	"context"
	"errors"
	"testing"

	"github.com/nlkit/nlkit/genl"
	"github.com/nlkit/nlkit/genl/internal/gtest"
	"github.com/nlkit/nlkit/genl/ioam"
	"github.com/nlkit/nlkit/internal/testns"
)

func ptr[T any](v T) *T { return &v }

// compare checks Namespaces and Schemas, and their streams, against `ip -j
// ioam namespace show` and `ip -j ioam schema show`.
func compare(t *testing.T, ns *testns.NS, c *genl.Conn) ([]ioam.Namespace, []ioam.Schema) {
	t.Helper()
	ctx := context.Background()
	nss, err := ioam.Namespaces(ctx, c)
	if err != nil {
		t.Fatalf("Namespaces: %v", err)
	}
	gtest.CompareJSON(t, "Namespaces", gtest.JSONList(t, nss), ns.IP(t, "-j", "ioam", "namespace", "show"))
	scs, err := ioam.Schemas(ctx, c)
	if err != nil {
		t.Fatalf("Schemas: %v", err)
	}
	gtest.CompareJSON(t, "Schemas", gtest.JSONList(t, scs), ns.IP(t, "-j", "ioam", "schema", "show"))
	n := 0
	for _, err := range ioam.NamespacesSeq(ctx, c) {
		if err != nil {
			t.Fatalf("NamespacesSeq: %v", err)
		}
		n++
	}
	for _, err := range ioam.SchemasSeq(ctx, c) {
		if err != nil {
			t.Fatalf("SchemasSeq: %v", err)
		}
		n++
	}
	if n != len(nss)+len(scs) {
		t.Errorf("the streams gave %d values, the lists %d", n, len(nss)+len(scs))
	}
	return nss, scs
}

func TestIOAMLikeIP(t *testing.T) {
	ns := testns.New(t)
	c := gtest.Dial(t, ns)
	ctx := context.Background()
	compare(t, ns, c)

	// nlkit adds, ip reads.
	for _, n := range []ioam.Namespace{
		{ID: 1, Data: ptr[uint32](0xdeadbeef), Wide: ptr[uint64](0x123456789)},
		{ID: 2},
		{ID: 3, Wide: ptr[uint64](0)},
	} {
		if err := ioam.AddNamespace(ctx, c, n); err != nil {
			t.Fatalf("AddNamespace(%d): %v", n.ID, err)
		}
	}
	if err := ioam.AddSchema(ctx, c, ioam.Schema{ID: 7, Data: []byte("nlkit")}); err != nil {
		t.Fatalf("AddSchema: %v", err)
	}
	if err := ioam.SetNamespaceSchema(ctx, c, 1, ptr[uint32](7)); err != nil {
		t.Fatalf("SetNamespaceSchema: %v", err)
	}
	// ip adds, nlkit reads.
	ns.IP(t, "ioam", "namespace", "add", "40", "data", "5", "wide", "6")
	ns.IP(t, "ioam", "schema", "add", "8", "ip data")
	ns.IP(t, "ioam", "namespace", "set", "40", "schema", "8")
	nss, scs := compare(t, ns, c)
	if len(nss) != 4 || len(scs) != 2 {
		t.Errorf("%d namespaces and %d schemas; want 4 and 2", len(nss), len(scs))
	}

	// Each unsets and deletes what the other made.
	if err := ioam.SetNamespaceSchema(ctx, c, 40, nil); err != nil {
		t.Fatalf("SetNamespaceSchema(none): %v", err)
	}
	ns.IP(t, "ioam", "namespace", "set", "1", "schema", "none")
	compare(t, ns, c)
	if err := ioam.DeleteSchema(ctx, c, 8); err != nil {
		t.Fatalf("DeleteSchema: %v", err)
	}
	if err := ioam.DeleteNamespace(ctx, c, 40); err != nil {
		t.Fatalf("DeleteNamespace: %v", err)
	}
	ns.IP(t, "ioam", "schema", "del", "7")
	ns.IP(t, "ioam", "namespace", "del", "1")
	if nss, scs := compare(t, ns, c); len(nss) != 2 || len(scs) != 0 {
		t.Errorf("after deleting: %d namespaces and %d schemas; want 2 and 0", len(nss), len(scs))
	}
}

func TestIOAMErrors(t *testing.T) {
	ns := testns.New(t)
	c := gtest.Dial(t, ns)
	ctx := context.Background()
	if err := ioam.AddNamespace(ctx, c, ioam.Namespace{ID: 1}); err != nil {
		t.Fatal(err)
	}
	if err := ioam.AddNamespace(ctx, c, ioam.Namespace{ID: 1}); !errors.Is(err, genl.ErrExist) {
		t.Errorf("AddNamespace of an existing ID: %v; want ErrExist", err)
	}
	if err := ioam.DeleteNamespace(ctx, c, 9); !errors.Is(err, genl.ErrNotExist) {
		t.Errorf("DeleteNamespace of a missing ID: %v; want ErrNotExist", err)
	}
	if err := ioam.DeleteSchema(ctx, c, 9); !errors.Is(err, genl.ErrNotExist) {
		t.Errorf("DeleteSchema of a missing ID: %v; want ErrNotExist", err)
	}
	if err := ioam.SetNamespaceSchema(ctx, c, 1, ptr[uint32](9)); !errors.Is(err, genl.ErrNotExist) {
		t.Errorf("SetNamespaceSchema to a missing schema: %v; want ErrNotExist", err)
	}
	if err := ioam.AddSchema(ctx, c, ioam.Schema{ID: 1, Data: make([]byte, ioam.MaxSchemaData+1)}); !genl.IsInvalid(err) {
		t.Errorf("AddSchema with too much data: %v; want an InvalidError", err)
	}
}
