package rtnl

// addrLabelMatch reports whether label matches the shell pattern, as
// fnmatch(3) without flags in the C locale does for `ip addr show label
// PATTERN`: '*' matches any run of bytes (slashes and leading dots
// included), '?' any byte, "[...]" a set of bytes with ranges, character
// classes such as [:digit:] and '!' or '^' for the complement, and '\'
// quotes the byte after it. A '[' without its ']' stands for itself, and a
// pattern that ends in a lone '\' matches nothing.
func addrLabelMatch(pattern, label string) bool {
	px, lx := 0, 0
	// Where to resume after the last '*': the pattern after it, and the
	// next label position it may swallow up to.
	starPx, starLx := -1, 0
	for px < len(pattern) || lx < len(label) {
		if px < len(pattern) {
			switch c := pattern[px]; c {
			case '*':
				starPx, starLx = px+1, lx
				px++
				continue
			case '?':
				if lx < len(label) {
					px++
					lx++
					continue
				}
			case '[':
				if n, ok := globBracketLen(pattern[px:]); ok {
					if lx < len(label) && globBracketMatch(pattern[px:px+n], label[lx]) {
						px += n
						lx++
						continue
					}
					break
				}
				if lx < len(label) && label[lx] == '[' {
					px++
					lx++
					continue
				}
			case '\\':
				if px+1 == len(pattern) {
					return false // a trailing '\' never matches
				}
				if lx < len(label) && label[lx] == pattern[px+1] {
					px += 2
					lx++
					continue
				}
			default:
				if lx < len(label) && label[lx] == c {
					px++
					lx++
					continue
				}
			}
		}
		// Mismatch: let the last '*' swallow one more byte, if it can.
		if starPx >= 0 && starLx < len(label) {
			starLx++
			px, lx = starPx, starLx
			continue
		}
		return false
	}
	return true
}

// globBracketLen returns the length of the bracket expression at the start
// of p (which starts with '['), and false when it has no closing ']'.
func globBracketLen(p string) (int, bool) {
	i := 1
	if i < len(p) && (p[i] == '!' || p[i] == '^') {
		i++
	}
	first := true
	for i < len(p) {
		switch {
		case p[i] == ']' && !first:
			return i + 1, true
		case p[i] == '\\':
			i += 2
		case p[i] == '[' && i+1 < len(p) && p[i+1] == ':':
			end := globIndex(p, i+2, ":]")
			if end < 0 {
				i++
			} else {
				i = end + 2
			}
		default:
			i++
		}
		first = false
	}
	return 0, false
}

// globIndex returns the index of sub in s at or after from, or -1.
func globIndex(s string, from int, sub string) int {
	for i := from; i+len(sub) <= len(s); i++ {
		if s[i:i+len(sub)] == sub {
			return i
		}
	}
	return -1
}

// globBracketMatch reports whether b is in the set of the whole bracket
// expression p, "[...]".
func globBracketMatch(p string, b byte) bool {
	p = p[1 : len(p)-1]
	negate := len(p) > 0 && (p[0] == '!' || p[0] == '^')
	if negate {
		p = p[1:]
	}
	in := false
	for i := 0; i < len(p); {
		if p[i] == '[' && i+1 < len(p) && p[i+1] == ':' {
			if end := globIndex(p, i+2, ":]"); end >= 0 {
				if globClass(p[i+2:end], b) {
					in = true
				}
				i = end + 2
				continue
			}
		}
		lo, n := globBracketByte(p, i)
		i += n
		if i+1 < len(p) && p[i] == '-' {
			hi, m := globBracketByte(p, i+1)
			i += 1 + m
			if lo <= b && b <= hi {
				in = true
			}
			continue
		}
		if b == lo {
			in = true
		}
	}
	return in != negate
}

// globBracketByte returns the byte at p[i] in a bracket expression, a quoted
// one when it is '\', and how many bytes it took.
func globBracketByte(p string, i int) (byte, int) {
	if p[i] == '\\' && i+1 < len(p) {
		return p[i+1], 2
	}
	return p[i], 1
}

// globClass reports whether b is in the character class name of the C
// locale.
func globClass(name string, b byte) bool {
	upper, lower, digit := 'A' <= b && b <= 'Z', 'a' <= b && b <= 'z', '0' <= b && b <= '9'
	switch name {
	case "alpha":
		return upper || lower
	case "digit":
		return digit
	case "alnum":
		return upper || lower || digit
	case "upper":
		return upper
	case "lower":
		return lower
	case "xdigit":
		return digit || ('a' <= b && b <= 'f') || ('A' <= b && b <= 'F')
	case "space":
		return b == ' ' || ('\t' <= b && b <= '\r')
	case "blank":
		return b == ' ' || b == '\t'
	case "punct":
		return 0x21 <= b && b <= 0x7e && !upper && !lower && !digit
	case "print":
		return 0x20 <= b && b <= 0x7e
	case "graph":
		return 0x21 <= b && b <= 0x7e
	case "cntrl":
		return b < 0x20 || b == 0x7f
	}
	return false
}
