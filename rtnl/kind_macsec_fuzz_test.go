package rtnl

import (
	"bytes"
	"encoding/binary"
	"testing"

	"golang.org/x/sys/unix"

	"github.com/nlkit/nlkit/attrs"
)

// macsecMessage is a link message of kind macsec with every IFLA_MACSEC_*
// attribute the kernel reports.
func macsecMessage() []byte {
	return linkDataMessage("macsec", "", func(e *attrs.Encoder) {
		var sci [8]byte
		binary.BigEndian.PutUint64(sci[:], 0x0200000000010001)
		e.Raw(unix.IFLA_MACSEC_SCI, sci[:])
		e.Uint8(unix.IFLA_MACSEC_ICV_LEN, 16)
		e.Uint64(unix.IFLA_MACSEC_CIPHER_SUITE, uint64(MacsecGCMAES128))
		e.Uint32(unix.IFLA_MACSEC_WINDOW, 32)
		e.Uint8(unix.IFLA_MACSEC_ENCODING_SA, 1)
		e.Uint8(unix.IFLA_MACSEC_ENCRYPT, 1)
		e.Uint8(unix.IFLA_MACSEC_PROTECT, 1)
		e.Uint8(unix.IFLA_MACSEC_INC_SCI, 1)
		e.Uint8(unix.IFLA_MACSEC_ES, 0)
		e.Uint8(unix.IFLA_MACSEC_SCB, 0)
		e.Uint8(unix.IFLA_MACSEC_REPLAY_PROTECT, 1)
		e.Uint8(unix.IFLA_MACSEC_VALIDATION, 2)
		e.Uint8(unix.IFLA_MACSEC_OFFLOAD, 0)
	})
}

func TestMacsecJSON(t *testing.T) {
	l, err := decodeLink(macsecMessage())
	if err != nil {
		t.Fatal(err)
	}
	j, err := l.MarshalJSON()
	if err != nil {
		t.Fatal(err)
	}
	const want = `"info_data":{"sci":"0200000000010001","protect":true,"cipher_suite":"GCM-AES-128","icv_len":16,"encoding_sa":1,"validation":"strict","offload":"off","encrypt":true,"inc_sci":true,"es":false,"scb":false,"replay_protect":true,"window":32}`
	if !bytes.Contains(j, []byte(want)) {
		t.Errorf("JSON %s\nlacks %s", j, want)
	}
}

func FuzzDecodeMacsec(f *testing.F) {
	f.Add(macsecMessage())
	f.Fuzz(fuzzDecodeLinkData)
}
