package kfeature

import (
	"fmt"
	"strconv"
	"strings"
)

// A Version is a kernel version: major, minor and patch level.
type Version [3]int

// parseVersion reads the leading "MAJOR.MINOR[.PATCH]" of a release string
// such as "6.1.0-57-amd64" or "4.3".
func parseVersion(s string) (Version, error) {
	var v Version
	end := strings.IndexFunc(s, func(r rune) bool { return r != '.' && (r < '0' || r > '9') })
	if end >= 0 {
		s = s[:end]
	}
	parts := strings.Split(s, ".")
	if len(parts) < 2 || len(parts) > 3 {
		return v, fmt.Errorf("want MAJOR.MINOR[.PATCH], have %q", s)
	}
	for i, p := range parts {
		n, err := strconv.Atoi(p)
		if err != nil {
			return v, fmt.Errorf("want MAJOR.MINOR[.PATCH], have %q", s)
		}
		v[i] = n
	}
	return v, nil
}

// Less reports whether v is older than w.
func (v Version) Less(w Version) bool {
	for i := range v {
		if v[i] != w[i] {
			return v[i] < w[i]
		}
	}
	return false
}

// String returns "MAJOR.MINOR.PATCH".
func (v Version) String() string { return fmt.Sprintf("%d.%d.%d", v[0], v[1], v[2]) }
