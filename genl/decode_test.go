package genl_test

import (
	"errors"
	"testing"

	"github.com/nlkit/nlkit/genl"
)

func TestDecodeCommand(t *testing.T) {
	length := func(b []byte) (int, error) {
		if len(b) == 0 {
			return 0, errors.New("empty")
		}
		return len(b), nil
	}
	if v, keep, err := genl.DecodeCommand(genl.Message{Command: 2, Data: []byte{1, 2}}, 2, length); v != 2 || !keep || err != nil {
		t.Errorf("matching command: %d, %v, %v; want 2, true, nil", v, keep, err)
	}
	if _, keep, err := genl.DecodeCommand(genl.Message{Command: 3, Data: []byte{1}}, 2, length); keep || err != nil {
		t.Errorf("other command: %v, %v; want skipped", keep, err)
	}
	if _, keep, err := genl.DecodeCommand(genl.Message{Command: 2}, 2, length); keep || err == nil {
		t.Errorf("bad data: %v, %v; want an error", keep, err)
	}
}
