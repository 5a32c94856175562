package jsonw

import "strconv"

// PrintfHex formats v as C's printf "%#x" does, as ip prints many values:
// "0" for zero, else "0x" and lower-case hexadecimal digits.
func PrintfHex(v uint64) string {
	if v == 0 {
		return "0"
	}
	return "0x" + strconv.FormatUint(v, 16)
}
