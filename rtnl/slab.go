package rtnl

// slabLen is how many values a slab allocates at a time.
const slabLen = 64

// A slab hands out zeroed values carved from chunks of slabLen, so that the
// small values a dump decodes for each object (route cache information,
// address lifetimes, a neighbour's link-layer address) cost one heap
// allocation per chunk rather than one each. A value stays valid as long
// as anything points to it; its chunk is freed once nothing points into
// it. The nil slab allocates each value on its own, for one-off decoding.
type slab[T any] struct {
	free []T
}

// new returns a pointer to a zeroed T.
func (s *slab[T]) new() *T {
	if s == nil {
		return new(T)
	}
	if len(s.free) == 0 {
		s.free = make([]T, slabLen)
	}
	p := &s.free[0]
	s.free = s.free[1:]
	return p
}
