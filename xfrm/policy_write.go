package xfrm

import (
	"context"
	"encoding/binary"

	"github.com/josharian/native"
	"golang.org/x/sys/unix"

	"github.com/nlkit/nlkit/attrs"
	"github.com/nlkit/nlkit/internal/nlconn"
)

// AddPolicy adds a policy, as ip xfrm policy add. It fails with an error
// matching [ErrExist] if a policy with the same selector, direction and
// mark exists.
func (c *Conn) AddPolicy(ctx context.Context, p Policy) error {
	return c.writePolicy(ctx, "add policy", msgNewPolicy, &p)
}

// UpdatePolicy adds or replaces a policy, as ip xfrm policy update.
func (c *Conn) UpdatePolicy(ctx context.Context, p Policy) error {
	return c.writePolicy(ctx, "update policy", msgUpdPolicy, &p)
}

func (c *Conn) writePolicy(ctx context.Context, op string, typ uint16, p *Policy) error {
	if err := c.linkIndex(ctx, op, &p.Selector.LinkIndex, p.Selector.LinkName); err != nil {
		return err
	}
	var e attrs.Encoder
	if err := p.request(&e); err != nil {
		return err
	}
	return c.execute(ctx, op, typ, 0, e.Bytes())
}

// family returns the family the policy is written with.
func (p *Policy) family() uint16 {
	if f := p.Selector.family(); f != 0 {
		return f
	}
	for _, t := range p.Templates {
		if f := t.family(); f != 0 {
			return f
		}
	}
	return unix.AF_INET
}

func (t *Template) family() uint16 {
	switch {
	case t.Family != 0:
		return t.Family
	case t.Dst.IsValid():
		return familyOf(t.Dst)
	}
	return familyOf(t.Src)
}

// request appends struct xfrm_userpolicy_info and the policy's attributes.
func (p *Policy) request(e *attrs.Encoder) error {
	family := p.family()
	if err := p.Selector.validate(family); err != nil {
		return err
	}
	if p.Dir > DirFwd {
		return errInvalid("policy direction", itoa(uint64(p.Dir))+" is not in, out or fwd")
	}
	if err := validSecCtx(p.SecurityContext); err != nil {
		return err
	}
	b := make([]byte, sizePolicyInfo)
	p.Selector.put(b, family)
	p.Lifetime.put(b[56:])
	native.Endian.PutUint32(b[152:], p.Priority)
	native.Endian.PutUint32(b[156:], p.Index)
	b[160] = uint8(p.Dir)
	b[161] = uint8(p.Action)
	b[162] = uint8(p.Flags)
	b[163] = uint8(p.Share)
	e.Append(b)
	if len(p.Templates) > 0 {
		v := make([]byte, sizeUserTmpl*len(p.Templates))
		for i := range p.Templates {
			t := &p.Templates[i]
			tf := t.family()
			if tf == 0 {
				tf = family
			}
			if (t.Src.IsValid() && familyOf(t.Src) != tf) || (t.Dst.IsValid() && familyOf(t.Dst) != tf) {
				return errInvalid("template", "addresses "+t.Src.String()+" and "+t.Dst.String()+" are of different families")
			}
			t.put(v[i*sizeUserTmpl:], tf)
		}
		e.Raw(attrTmpl, v)
	}
	putMark(e, p.Mark)
	p.idAttrs(e, false)
	return e.Err()
}

// idAttrs appends the policy type (unless main, or always), the security
// context and the if_id.
func (p *Policy) idAttrs(e *attrs.Encoder, withMark bool) {
	if withMark {
		putMark(e, p.Mark)
	}
	if p.Type != PolicyMain {
		e.Raw(attrPolicyType, []byte{uint8(p.Type), 0, 0, 0, 0, 0})
	}
	putSecCtx(e, p.SecurityContext)
	if p.IfID != 0 {
		e.Uint32(attrIfID, p.IfID)
	}
}

// put writes struct xfrm_user_tmpl.
func (t *Template) put(b []byte, family uint16) {
	putAddr(b[0:], t.Dst)
	binary.BigEndian.PutUint32(b[16:], t.SPI)
	b[20] = uint8(t.Proto)
	native.Endian.PutUint16(b[24:], family)
	putAddr(b[28:], t.Src)
	native.Endian.PutUint32(b[44:], t.ReqID)
	b[48] = uint8(t.Mode)
	b[49] = uint8(t.Share)
	b[50] = uint8(t.Level)
	for i, m := range []uint32{t.AuthAlgos, t.EncAlgos, t.CompAlgos} {
		if m == 0 {
			m = ^uint32(0)
		}
		native.Endian.PutUint32(b[52+4*i:], m)
	}
}

// request appends struct xfrm_userpolicy_id and the id's attributes.
func (id PolicyID) request(e *attrs.Encoder) error {
	family := id.Selector.family()
	if family == 0 {
		family = unix.AF_INET
	}
	if id.Index == 0 {
		if err := id.Selector.validate(family); err != nil {
			return err
		}
	}
	if id.Dir > DirFwd {
		return errInvalid("policy direction", itoa(uint64(id.Dir))+" is not in, out or fwd")
	}
	if err := validSecCtx(id.SecurityContext); err != nil {
		return err
	}
	b := make([]byte, sizePolicyID)
	if id.Index == 0 {
		id.Selector.put(b, family)
	}
	native.Endian.PutUint32(b[56:], id.Index)
	b[60] = uint8(id.Dir)
	e.Append(b)
	p := Policy{Mark: id.Mark, Type: id.Type, IfID: id.IfID, SecurityContext: id.SecurityContext}
	p.idAttrs(e, true)
	return e.Err()
}

// DeletePolicy deletes the policy id names, as ip xfrm policy delete. A
// missing policy gives an error matching [ErrNotExist].
func (c *Conn) DeletePolicy(ctx context.Context, id PolicyID) error {
	if err := c.policyIDLinks(ctx, "delete policy", &id); err != nil {
		return err
	}
	var e attrs.Encoder
	if err := id.request(&e); err != nil {
		return err
	}
	return c.execute(ctx, "delete policy", msgDelPolicy, 0, e.Bytes())
}

// GetPolicy returns the policy id names, as ip xfrm policy get.
func (c *Conn) GetPolicy(ctx context.Context, id PolicyID) (Policy, error) {
	if err := c.policyIDLinks(ctx, "get policy", &id); err != nil {
		return Policy{}, err
	}
	var e attrs.Encoder
	if err := id.request(&e); err != nil {
		return Policy{}, err
	}
	const op = "get policy"
	var p Policy
	var derr error
	found := false
	err := c.nl.Execute(ctx, op, msgGetPolicy, 0, e.Bytes(), func(m nlconn.Message) error {
		if m.Type == msgNewPolicy {
			p, derr = decodePolicy(m.Data)
			found = true
		}
		return nil
	})
	switch {
	case err != nil:
		return Policy{}, err
	case derr != nil:
		return Policy{}, derr
	case !found:
		return Policy{}, errNoReply(op)
	}
	return p, c.linkNamer(ctx).namePolicy(&p)
}

// FlushPolicies deletes the policies of the type, as ip xfrm policy flush
// [ptype T].
func (c *Conn) FlushPolicies(ctx context.Context, typ PolicyType) error {
	var e attrs.Encoder
	(&Policy{Type: typ}).idAttrs(&e, false)
	return c.execute(ctx, "flush policies", msgFlushPolicy, 0, e.Bytes())
}

// AddPolicy adds a policy in the calling thread's namespace; see
// [Conn.AddPolicy].
func AddPolicy(ctx context.Context, p Policy) error {
	_, err := withConn(ctx, func(c *Conn) (struct{}, error) { return struct{}{}, c.AddPolicy(ctx, p) })
	return err
}

// UpdatePolicy updates a policy in the calling thread's namespace; see
// [Conn.UpdatePolicy].
func UpdatePolicy(ctx context.Context, p Policy) error {
	_, err := withConn(ctx, func(c *Conn) (struct{}, error) { return struct{}{}, c.UpdatePolicy(ctx, p) })
	return err
}

// DeletePolicy deletes a policy in the calling thread's namespace; see
// [Conn.DeletePolicy].
func DeletePolicy(ctx context.Context, id PolicyID) error {
	_, err := withConn(ctx, func(c *Conn) (struct{}, error) { return struct{}{}, c.DeletePolicy(ctx, id) })
	return err
}

// GetPolicy gets a policy in the calling thread's namespace; see
// [Conn.GetPolicy].
func GetPolicy(ctx context.Context, id PolicyID) (Policy, error) {
	return withConn(ctx, func(c *Conn) (Policy, error) { return c.GetPolicy(ctx, id) })
}

// FlushPolicies flushes policies in the calling thread's namespace; see
// [Conn.FlushPolicies].
func FlushPolicies(ctx context.Context, typ PolicyType) error {
	_, err := withConn(ctx, func(c *Conn) (struct{}, error) { return struct{}{}, c.FlushPolicies(ctx, typ) })
	return err
}
