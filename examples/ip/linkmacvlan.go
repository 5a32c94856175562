package main

import "github.com/nlkit/nlkit/rtnl"

// macvlanFlags reads macvlan's `flag nopromisc|nodst|null`, `nopromisc`,
// `nodst` and `bcqueuelen N`. ip sends the flags, those given, when any of
// the first three appears.
func (p *kindParser) macvlanFlags(m *rtnl.Macvlan) {
	sent := func() {
		if m.NoPromisc == nil {
			m.NoPromisc = boolPtr(false)
		}
		if m.NoDst == nil {
			m.NoDst = boolPtr(false)
		}
	}
	if v, ok := p.opt("flag"); ok {
		switch v {
		case "nopromisc":
			m.NoPromisc = boolPtr(true)
		case "nodst":
			m.NoDst = boolPtr(true)
		case "null":
		default:
			p.err = &exitError{"Error: argument of \"flag\" must be \"nopromisc\", \"nodst\" or \"null\", not \"" + v + "\"", 1}
			return
		}
		sent()
	}
	switch {
	case p.word("nopromisc"):
		m.NoPromisc = boolPtr(true)
		sent()
	case p.word("nodst"):
		m.NoDst = boolPtr(true)
		sent()
	}
	p.opt32(&m.BcQueueLen, "bcqueuelen", "invalid bcqueuelen")
}
