package main

import "strings"

// protoDownText is ip's " protodown on protodown_reason <R,…>" of a link
// held down.
func protoDownText(o object) string {
	var b strings.Builder
	if string(o.get("proto_down")) == "true" {
		b.WriteString(" protodown on ")
	}
	if reasons := o.strs("proto_down_reason"); len(reasons) > 0 {
		b.WriteString("protodown_reason <" + strings.Join(reasons, ",") + ">")
	}
	return b.String()
}
