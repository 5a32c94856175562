package genl

// DecodeCommand decodes m's data with decode when m carries the command cmd,
// and reports whether it did: it is the body of a family's decode function
// for [Collect], which skips the messages of other commands. A decode error
// is returned with keep false.
func DecodeCommand[T any](m Message, cmd uint8, decode func(data []byte) (T, error)) (v T, keep bool, err error) {
	if m.Command != cmd {
		return v, false, nil
	}
	v, err = decode(m.Data)
	return v, err == nil, err
}
