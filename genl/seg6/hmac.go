package seg6

import (
	"bytes"
	"context"
	"fmt"
	"iter"
	"strconv"

	"github.com/nlkit/nlkit/attrs"
	"github.com/nlkit/nlkit/genl"
	"github.com/nlkit/nlkit/internal/jsonw"
)

// An HMACAlgorithm is the hash of an HMAC key (SEG6_HMAC_ALGO_*).
type HMACAlgorithm uint8

// The algorithms ip knows.
const (
	SHA1   HMACAlgorithm = 1
	SHA256 HMACAlgorithm = 2
)

// String returns the name ip gives the algorithm: "sha1", "sha256", or
// "<unknown>".
func (a HMACAlgorithm) String() string {
	switch a {
	case SHA1:
		return "sha1"
	case SHA256:
		return "sha256"
	}
	return "<unknown>"
}

// maxSecretLen is the longest secret: the kernel's SEG6_HMAC_SECRET_LEN.
const maxSecretLen = 64

// An HMACKey is a key that signs and checks the HMAC TLV of segment routing
// headers: what a line of `ip sr hmac show` lists.
type HMACKey struct {
	// ID is the key's number, not 0.
	ID uint32
	// Algorithm is the key's hash.
	Algorithm HMACAlgorithm
	// Secret is the shared secret, up to 64 bytes.
	Secret string
}

// MarshalJSON encodes the key as one element of `ip -j sr hmac show`
// (iproute2 6.1): "hmac" (the ID), "algo" and "secret", which ip cuts at 63
// bytes and at the first NUL.
func (k HMACKey) MarshalJSON() ([]byte, error) {
	secret := k.Secret[:min(len(k.Secret), maxSecretLen-1)]
	if i := bytes.IndexByte([]byte(secret), 0); i >= 0 {
		secret = secret[:i]
	}
	var w jsonw.Writer
	w.Open("")
	w.Uint("hmac", uint64(k.ID))
	w.String("algo", k.Algorithm.String())
	w.String("secret", secret)
	w.Close()
	return w.Bytes(), nil
}

// dumpRequest is the request that dumps the HMAC keys.
func dumpRequest() genl.Request {
	return genl.Request{Op: "seg6: dump hmac keys", Family: familyName, Command: cmdDumpHMAC, Version: version}
}

// HMACKeys returns the HMAC keys, as `ip sr hmac show` does. A kernel built
// without SRv6 HMAC gives an error matching [genl.ErrNotSupported].
func HMACKeys(ctx context.Context, c *genl.Conn) ([]HMACKey, error) {
	ks, err := genl.Collect(ctx, c, dumpRequest(), decodeHMACKeyMessage)
	return ks, notSupported(err)
}

// HMACKeysSeq streams the HMAC keys as the kernel's reply arrives; see
// [HMACKeys].
func HMACKeysSeq(ctx context.Context, c *genl.Conn) iter.Seq2[HMACKey, error] {
	return func(yield func(HMACKey, error) bool) {
		for k, err := range genl.Stream(ctx, c, dumpRequest(), decodeHMACKeyMessage) {
			if !yield(k, notSupported(err)) || err != nil {
				return
			}
		}
	}
}

// SetHMACKey adds or replaces the key k.ID, as `ip sr hmac set KEYID ALGO`
// does with the secret it prompts for. An empty secret deletes the key.
func SetHMACKey(ctx context.Context, c *genl.Conn, k HMACKey) error {
	switch {
	case k.ID == 0:
		return genl.Invalid("hmac key id", "0")
	case k.Algorithm != SHA1 && k.Algorithm != SHA256:
		return genl.Invalid("hmac algorithm", strconv.Itoa(int(k.Algorithm)))
	case len(k.Secret) > maxSecretLen:
		return genl.Invalid("hmac secret", fmt.Sprintf("%d bytes, more than %d", len(k.Secret), maxSecretLen))
	}
	op := fmt.Sprintf("seg6: set hmac key %d", k.ID)
	if k.Secret == "" {
		op = fmt.Sprintf("seg6: delete hmac key %d", k.ID)
	}
	return notSupported(c.Execute(ctx, genl.Request{Op: op, Family: familyName, Command: cmdSetHMAC, Version: version, Data: encodeHMACKey(k)}, nil))
}

// DeleteHMACKey deletes the key id, as `ip sr hmac set KEYID ALGO` with a
// blank secret does. A missing key gives an error matching
// [genl.ErrNotExist].
func DeleteHMACKey(ctx context.Context, c *genl.Conn, id uint32) error {
	return SetHMACKey(ctx, c, HMACKey{ID: id, Algorithm: SHA1})
}

// encodeHMACKey encodes the key's attributes as ip does.
func encodeHMACKey(k HMACKey) []byte {
	var enc attrs.Encoder
	enc.Uint32(attrHMACKeyID, k.ID)
	enc.Uint8(attrSecretLen, uint8(len(k.Secret)))
	enc.Uint8(attrAlgID, uint8(k.Algorithm))
	if k.Secret != "" {
		enc.Raw(attrSecret, []byte(k.Secret))
	}
	return enc.Bytes()
}

// decodeHMACKeyMessage decodes a SEG6_CMD_DUMPHMAC message.
func decodeHMACKeyMessage(m genl.Message) (HMACKey, bool, error) {
	return genl.DecodeCommand(m, cmdDumpHMAC, decodeHMACKey)
}

// decodeHMACKey decodes a key's attributes; the secret is cut at the
// length the kernel gives.
func decodeHMACKey(b []byte) (HMACKey, error) {
	var k HMACKey
	var secret []byte
	secretLen := -1
	d := attrs.NewDecoder(b)
	for d.Next() {
		switch d.Type() {
		case attrHMACKeyID:
			k.ID = d.Uint32()
		case attrAlgID:
			k.Algorithm = HMACAlgorithm(d.Uint8())
		case attrSecretLen:
			secretLen = int(d.Uint8())
		case attrSecret:
			secret = d.Bytes()
		}
	}
	if err := d.Err(); err != nil {
		return k, fmt.Errorf("seg6 hmac key: %w", err)
	}
	if secretLen > len(secret) {
		return k, fmt.Errorf("seg6 hmac key %d: secret length %d, but %d bytes of secret", k.ID, secretLen, len(secret))
	}
	if secretLen >= 0 {
		secret = secret[:secretLen]
	}
	k.Secret = string(secret)
	return k, nil
}
