package ioam

import (
	"testing"

	"github.com/nlkit/nlkit/genl"
	"github.com/nlkit/nlkit/genl/internal/gtest"
	"github.com/nlkit/nlkit/internal/testns"
)

// TestRequestsLikeIP checks that nlkit's requests are the bytes ip sends.
func TestRequestsLikeIP(t *testing.T) {
	ns := testns.New(t)
	data, wide, schema := uint32(5), uint64(6), uint32(7)
	for _, tc := range []struct {
		args []string
		want genl.Request
	}{
		{[]string{"ioam", "namespace", "add", "1", "data", "5", "wide", "6"}, namespaceRequest(cmdAddNamespace, "", Namespace{ID: 1, Data: &data, Wide: &wide})},
		{[]string{"ioam", "schema", "add", "7", "abc"}, schemaRequest(Schema{ID: 7, Data: []byte("abc")})},
		{[]string{"ioam", "namespace", "set", "1", "schema", "7"}, setSchemaRequest(1, &schema)},
		{[]string{"ioam", "namespace", "set", "1", "schema", "none"}, setSchemaRequest(1, nil)},
		{[]string{"ioam", "namespace", "del", "1"}, namespaceRequest(cmdDelNamespace, "", Namespace{ID: 1})},
	} {
		gtest.CompareRequest(t, ns, tc.want, tc.args...)
	}
}
