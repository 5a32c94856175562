package main

// words reads a command's arguments one at a time, as ip's NEXT_ARG loop
// does: the routing commands (route, rule, nexthop) take keywords each
// followed by zero or more values.
type words []string

// more reports whether words are left.
func (w *words) more() bool { return len(*w) > 0 }

// peek returns the next word without taking it, or "".
func (w *words) peek() string {
	if len(*w) == 0 {
		return ""
	}
	return (*w)[0]
}

// take returns the next word and moves past it.
func (w *words) take() string {
	v := (*w)[0]
	*w = (*w)[1:]
	return v
}

// value takes the value of the keyword just taken: ip's NEXT_ARG, which
// stops the command when there is none.
func (w *words) value() (string, error) {
	if len(*w) == 0 {
		return "", incomplete()
	}
	return w.take(), nil
}

// uintValue takes the keyword's value as an unsigned number of at most
// bits bits, in C's notations (decimal, 0x…, 0…), as ip's get_u32 and kin
// read it.
func (w *words) uintValue(key string, bits int) (uint64, error) {
	v, err := w.value()
	if err != nil {
		return 0, err
	}
	n, err := parseCUint(v, bits)
	if err != nil {
		return 0, invarg("\""+key+"\" value is invalid\n", v)
	}
	return n, nil
}

// u32 takes the keyword's value as a 32-bit number.
func (w *words) u32(key string) (uint32, error) {
	n, err := w.uintValue(key, 32)
	return uint32(n), err
}

// takeIf takes the next word when it is word.
func (w *words) takeIf(word string) bool {
	if w.peek() == word {
		w.take()
		return true
	}
	return false
}
