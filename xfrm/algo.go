package xfrm

import (
	"bytes"
	"fmt"
	"slices"

	"github.com/josharian/native"

	"github.com/nlkit/nlkit/attrs"
	"github.com/nlkit/nlkit/internal/jsonw"
)

// An Algorithm is one of a state's algorithms: its name, as the kernel
// knows it (cbc(aes), hmac(sha256), rfc4106(gcm(aes)), deflate …) or by
// the short name ip accepts (aes, sha256 …), which the kernel resolves, and
// its key.
type Algorithm struct {
	// Name is the algorithm's name, at most 63 bytes.
	Name string
	// Key is the key, as bytes.
	Key []byte
	// TruncLen is the truncation length in bits of an authentication
	// algorithm (ip's auth-trunc); 0 for plain auth, which the kernel
	// truncates to the algorithm's default.
	TruncLen uint32
	// ICVLen is the integrity check value length in bits of an AEAD
	// algorithm.
	ICVLen uint32
}

// An algKind is the role of an algorithm in a state.
type algKind int

const (
	algEnc algKind = iota
	algAuth
	algAEAD
	algComp
)

func (k algKind) String() string {
	switch k {
	case algEnc:
		return "encryption"
	case algAuth:
		return "authentication"
	case algAEAD:
		return "aead"
	}
	return "compression"
}

// KernelAlgorithmName returns the name the kernel gives the algorithm of
// the kind ("enc", "auth", "aead" or "comp") that ip calls name — "aes" is
// "cbc(aes)", "sha256" is "hmac(sha256)" — or name itself when it is the
// kernel's name already or unknown to nlkit.
func KernelAlgorithmName(kind, name string) string {
	switch kind {
	case "enc":
		return canonicalAlg(algEnc, name)
	case "auth", "auth-trunc":
		return canonicalAlg(algAuth, name)
	case "aead":
		return canonicalAlg(algAEAD, name)
	}
	return canonicalAlg(algComp, name)
}

// canonicalAlg maps the compatibility names the kernel accepts
// (net/xfrm/xfrm_algo.c) to the names it reports.
func canonicalAlg(k algKind, name string) string {
	switch k {
	case algEnc:
		switch name {
		case "cipher_null":
			return "ecb(cipher_null)"
		case "des", "des3_ede", "cast5", "blowfish", "aes", "serpent", "camellia", "twofish", "sm4":
			return "cbc(" + name + ")"
		}
	case algAuth:
		switch name {
		case "md5", "sha1", "sha256", "sha384", "sha512", "rmd160", "sm3":
			return "hmac(" + name + ")"
		}
	}
	return name
}

// keyBits lists the key lengths in bits the algorithm accepts, or nil when
// nlkit does not know the algorithm or any length goes (HMAC keys).
func keyBits(k algKind, name string) []int {
	switch canonicalAlg(k, name) {
	case "ecb(cipher_null)", "digest_null":
		return []int{0}
	case "cbc(des)":
		return []int{64}
	case "cbc(des3_ede)":
		return []int{192}
	case "cbc(aes)", "cbc(serpent)", "cbc(camellia)", "cbc(twofish)":
		return []int{128, 192, 256}
	case "cbc(sm4)", "xcbc(aes)", "cmac(aes)":
		return []int{128}
	case "cbc(cast5)":
		return bitRange(40, 128)
	case "cbc(blowfish)":
		return bitRange(40, 448)
	case "rfc3686(ctr(aes))", "rfc4106(gcm(aes))", "rfc4543(gcm(aes))":
		return []int{160, 224, 288} // the AES key and a 32-bit nonce
	case "rfc4309(ccm(aes))":
		return []int{152, 216, 280} // the AES key and a 24-bit nonce
	case "rfc7539esp(chacha20,poly1305)":
		return []int{288}
	}
	return nil
}

// bitRange lists the multiples of 8 from lo to hi.
func bitRange(lo, hi int) []int {
	var out []int
	for b := lo; b <= hi; b += 8 {
		out = append(out, b)
	}
	return out
}

// validate checks the name's length and, where nlkit knows the algorithm,
// the key's.
func (a *Algorithm) validate(k algKind) error {
	what := k.String() + " algorithm"
	if a.Name == "" || len(a.Name) >= sizeAlgoName {
		return errInvalid(what, fmt.Sprintf("name %q must have 1 to %d bytes", a.Name, sizeAlgoName-1))
	}
	if k == algComp && len(a.Key) > 0 {
		return errInvalid(what, "a compression algorithm takes no key")
	}
	if bits := keyBits(k, a.Name); bits != nil && !slices.Contains(bits, 8*len(a.Key)) {
		return errInvalid(k.String()+" key", fmt.Sprintf("%d bits do not fit %s, which takes %v bits", 8*len(a.Key), a.Name, bits))
	}
	return nil
}

// put appends the algorithm as attribute typ: struct xfrm_algo, or
// xfrm_algo_auth / xfrm_algo_aead whose extra field is extra.
func (a *Algorithm) put(e *attrs.Encoder, typ uint16, withExtra bool, extra uint32) {
	n := sizeAlgoHeader + len(a.Key)
	if withExtra {
		n += 4
	}
	b := make([]byte, n)
	copy(b, a.Name)
	native.Endian.PutUint32(b[64:], uint32(8*len(a.Key)))
	off := sizeAlgoHeader
	if withExtra {
		native.Endian.PutUint32(b[68:], extra)
		off += 4
	}
	copy(b[off:], a.Key)
	e.Raw(typ, b)
}

// getAlgorithm decodes struct xfrm_algo (withExtra false) or
// xfrm_algo_auth / xfrm_algo_aead, whose extra field is returned.
func getAlgorithm(b []byte, withExtra bool) (*Algorithm, uint32, error) {
	hdr := sizeAlgoHeader
	if withExtra {
		hdr += 4
	}
	if len(b) < hdr {
		return nil, 0, errShort("algorithm", len(b), hdr)
	}
	name := b[:sizeAlgoName]
	if i := bytes.IndexByte(name, 0); i >= 0 {
		name = name[:i]
	}
	keyLen := int(native.Endian.Uint32(b[64:])+7) / 8
	var extra uint32
	if withExtra {
		extra = native.Endian.Uint32(b[68:])
	}
	if keyLen > len(b)-hdr {
		return nil, 0, fmt.Errorf("xfrm: algorithm %q: key of %d bytes, %d received", name, keyLen, len(b)-hdr)
	}
	a := &Algorithm{Name: string(name)}
	if keyLen > 0 {
		a.Key = bytes.Clone(b[hdr : hdr+keyLen])
	}
	return a, extra, nil
}

// writeJSON writes the algorithm as the object k.
func (a *Algorithm) writeJSON(w *jsonw.Writer, k string) {
	if a == nil {
		return
	}
	w.Open(k)
	w.String("name", a.Name)
	if k != "comp" {
		w.String("key", hexBytes(a.Key))
		w.Uint("key_len", uint64(8*len(a.Key)))
	}
	switch k {
	case "auth_trunc":
		w.Uint("trunc_len", uint64(a.TruncLen))
	case "aead":
		w.Uint("icv_len", uint64(a.ICVLen))
	}
	w.Close()
}
