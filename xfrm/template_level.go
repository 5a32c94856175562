package xfrm

import "github.com/nlkit/nlkit/internal/jsonw"

// A TemplateLevel says whether a policy's template must be satisfied by a
// state (struct xfrm_user_tmpl's optional): ip's `level required|use`. The
// kernel keeps any u8; ip prints other values as numbers.
type TemplateLevel uint8

// TemplateLevel values.
const (
	// LevelRequired: a packet needs a state matching the template.
	LevelRequired TemplateLevel = 0
	// LevelUse: a matching state is used if there is one.
	LevelUse TemplateLevel = 1
)

// String names the level as ip does: "required", "use", or its number.
func (l TemplateLevel) String() string {
	switch l {
	case LevelRequired:
		return "required"
	case LevelUse:
		return "use"
	}
	return itoa(uint64(l))
}

// writeJSON writes the level as the member k: its name, or a number for a
// level ip has no name for.
func (l TemplateLevel) writeJSON(w *jsonw.Writer, k string) {
	if l > LevelUse {
		w.Uint(k, uint64(l))
		return
	}
	w.String(k, l.String())
}
