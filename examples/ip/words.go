package main

// words reads a command's arguments one at a time, as ip's NEXT_ARG and
// PREV_ARG loops do: keywords each followed by zero or more values. The
// routing commands (route, rule, nexthop), ip xfrm, ip link's settings
// and the kinds' parser read their arguments with it.
type words struct {
	list []string
	// i is the index of the next word.
	i int
	// family is ip's preferred_family for the commands that follow it
	// (ip xfrm): -4/-6, or what the addresses read so far had.
	family uint16
}

// more reports whether words are left.
func (w *words) more() bool { return w.i < len(w.list) }

// left is how many words are left.
func (w *words) left() int { return len(w.list) - w.i }

// peek returns the next word without taking it, or "".
func (w *words) peek() string { return w.ahead(0) }

// ahead returns the word n places after the next one without taking
// anything, or "".
func (w *words) ahead(n int) string {
	if w.left() <= n {
		return ""
	}
	return w.list[w.i+n]
}

// take returns the next word and moves past it.
func (w *words) take() string {
	v := w.list[w.i]
	w.i++
	return v
}

// rest returns the words left, taking none.
func (w *words) rest() []string { return w.list[w.i:] }

// last returns the word taken last: ip's *argv.
func (w *words) last() string { return w.list[w.i-1] }

// back gives the word taken last back: ip's PREV_ARG.
func (w *words) back() { w.i-- }

// value takes the value of the keyword just taken: ip's NEXT_ARG, which
// stops the command when there is none.
func (w *words) value() (string, error) {
	if !w.more() {
		return "", incomplete()
	}
	return w.take(), nil
}

// uintValue takes the keyword's value as an unsigned number of at most
// bits bits, in C's notations (decimal, 0x…, 0…), as ip's get_u32 and kin
// read it.
func (w *words) uintValue(key string, bits int) (uint64, error) {
	return w.uintArg(bits, "\""+key+"\" value is invalid\n")
}

// uintArg takes the keyword's value as uintValue does; msg is the error's
// words for a value that is no such number.
func (w *words) uintArg(bits int, msg string) (uint64, error) {
	v, err := w.value()
	if err != nil {
		return 0, err
	}
	n, err := parseCUint(v, bits)
	if err != nil {
		return 0, invarg(msg, v)
	}
	return n, nil
}

// u32 takes the keyword's value as a 32-bit number.
func (w *words) u32(key string) (uint32, error) {
	return w.u32Arg("\"" + key + "\" value is invalid\n")
}

// u32Arg takes the keyword's value as a 32-bit number; msg is the error's
// words for a value that is no such number.
func (w *words) u32Arg(msg string) (uint32, error) {
	n, err := w.uintArg(32, msg)
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
