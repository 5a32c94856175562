package xfrm

import (
	"github.com/josharian/native"

	"github.com/nlkit/nlkit/attrs"
)

// Security contexts (XFRMA_SEC_CTX, struct xfrm_user_sec_ctx), ip's `ctx
// CTX` of states and policies. The kernel hands a context to its Linux
// security module: SELinux (with CONFIG_SECURITY_NETWORK_XFRM) checks it
// and rejects a context it does not know with EINVAL; a kernel without
// such a module accepts the context and drops it, so a state or policy
// added with one reads back without it (and a policy delete or get
// matches whatever context is given).
const (
	sizeSecCtx    = 8 // struct xfrm_user_sec_ctx without its string
	secCtxAlgDOI  = 1 // ctx_alg and ctx_doi: XFRM_SC_ALG_SELINUX, XFRM_SC_DOI_LSM
	maxSecCtxSize = 0xffff - sizeSecCtx - 1
)

// putSecCtx appends XFRMA_SEC_CTX for the context, with its terminating
// NUL as ip writes it, unless ctx is empty.
func putSecCtx(e *attrs.Encoder, ctx string) {
	if ctx == "" {
		return
	}
	n := len(ctx) + 1
	v := make([]byte, sizeSecCtx+n)
	native.Endian.PutUint16(v, uint16(sizeSecCtx+n))
	native.Endian.PutUint16(v[2:], attrSecCtx) // exttype
	v[4], v[5] = secCtxAlgDOI, secCtxAlgDOI
	native.Endian.PutUint16(v[6:], uint16(n))
	copy(v[sizeSecCtx:], ctx)
	e.Raw(attrSecCtx, v)
}

// validSecCtx checks that a context fits its 16-bit lengths and holds no
// NUL, which would end it early.
func validSecCtx(ctx string) error {
	if len(ctx) > maxSecCtxSize {
		return errInvalid("security context", "longer than "+itoa(maxSecCtxSize)+" bytes")
	}
	for i := range len(ctx) {
		if ctx[i] == 0 {
			return errInvalid("security context", "holds a NUL byte")
		}
	}
	return nil
}
