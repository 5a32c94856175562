package xfrm

import "github.com/nlkit/nlkit/internal/jsonw"

// MarshalJSON writes the state count in the JSON form of nlkit's xfrm
// (iproute2 prints `ip xfrm state count` as text even with -j), with a key
// for each number of `ip -s xfrm state count`:
//
//	{"count":2,"buckets":{"count":8,"max":1048576}}
func (i SADInfo) MarshalJSON() ([]byte, error) {
	var w jsonw.Writer
	w.Open("")
	w.Uint("count", uint64(i.Count))
	writeBuckets(&w, i.Buckets, i.MaxBuckets)
	w.Close()
	return w.Bytes(), nil
}

// MarshalJSON writes the policy counts in the JSON form of nlkit's xfrm
// (iproute2 prints `ip xfrm policy count` as text even with -j), with a key
// for each number of `ip -s -s xfrm policy count`; the thresholds are left
// out when the kernel did not report them:
//
//	{"in":1,"out":1,"fwd":0,"socket":{"in":0,"out":0,"fwd":0},
//	 "buckets":{"count":7,"max":1048576},
//	 "ipv4_thresholds":{"local":32,"remote":32},
//	 "ipv6_thresholds":{"local":128,"remote":128}}
func (i SPDInfo) MarshalJSON() ([]byte, error) {
	var w jsonw.Writer
	w.Open("")
	w.Uint("in", uint64(i.In))
	w.Uint("out", uint64(i.Out))
	w.Uint("fwd", uint64(i.Fwd))
	w.Open("socket")
	w.Uint("in", uint64(i.SocketIn))
	w.Uint("out", uint64(i.SocketOut))
	w.Uint("fwd", uint64(i.SocketFwd))
	w.Close()
	writeBuckets(&w, i.Buckets, i.MaxBuckets)
	for _, th := range []struct {
		key string
		t   *HashThresh
	}{{"ipv4_thresholds", i.IPv4Thresh}, {"ipv6_thresholds", i.IPv6Thresh}} {
		if th.t != nil {
			w.Open(th.key)
			w.Uint("local", uint64(th.t.Local))
			w.Uint("remote", uint64(th.t.Remote))
			w.Close()
		}
	}
	w.Close()
	return w.Bytes(), nil
}

// writeBuckets writes a hash table's size and limit.
func writeBuckets(w *jsonw.Writer, count, max uint32) {
	w.Open("buckets")
	w.Uint("count", uint64(count))
	w.Uint("max", uint64(max))
	w.Close()
}

// MarshalJSON writes the default policies in the JSON form of nlkit's xfrm
// (iproute2 prints `ip xfrm policy getdefault` as text even with -j): the
// action of each direction by name, in ip's order:
//
//	{"in":"accept","fwd":"accept","out":"block"}
func (d DefaultPolicies) MarshalJSON() ([]byte, error) {
	var w jsonw.Writer
	w.Open("")
	w.String("in", d.In.String())
	w.String("fwd", d.Fwd.String())
	w.String("out", d.Out.String())
	w.Close()
	return w.Bytes(), nil
}
