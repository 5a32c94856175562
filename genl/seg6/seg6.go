package seg6

import (
	"errors"
	"fmt"

	"golang.org/x/sys/unix"

	"github.com/nlkit/nlkit/genl"
)

// The family's name and interface version (<linux/seg6_genl.h>).
const (
	familyName = "SEG6"
	version    = 1 // SEG6_GENL_VERSION
)

// Commands (SEG6_CMD_*).
const (
	cmdSetHMAC   = 1
	cmdDumpHMAC  = 2
	cmdSetTunsrc = 3
	cmdGetTunsrc = 4
)

// Attributes (SEG6_ATTR_*).
const (
	attrDst       = 1
	attrHMACKeyID = 3 // u32
	attrSecret    = 4
	attrSecretLen = 5 // u8
	attrAlgID     = 6 // u8
)

// errnoNotSupp is the kernel-internal ENOTSUPP (524), which the SEG6 family
// answers for HMAC commands when the kernel was built without
// CONFIG_IPV6_SEG6_HMAC.
const errnoNotSupp = unix.Errno(524)

// notSupported makes the kernel's ENOTSUPP match [genl.ErrNotSupported].
func notSupported(err error) error {
	if errors.Is(err, errnoNotSupp) {
		return fmt.Errorf("%w (%w: the kernel has no SRv6 HMAC)", err, genl.ErrNotSupported)
	}
	return err
}
