package xfrm_test

import "github.com/nlkit/nlkit/internal/kfeature"

// Kernel features the xfrm tests need beyond xfrm_user itself.
var (
	featESP = kfeature.Feature{Name: "ESP states", Since: "2.6", Config: []string{"CONFIG_INET_ESP", "CONFIG_INET6_ESP"}}
	featAH  = kfeature.Feature{Name: "AH states", Since: "2.6", Config: []string{"CONFIG_INET_AH", "CONFIG_INET6_AH"}}
)

var (
	featIPComp = kfeature.Feature{Name: "IPComp states", Since: "2.6", Config: []string{"CONFIG_INET_IPCOMP"}}
	featMIP6   = kfeature.Feature{Name: "Mobile IPv6 (route2, hao) states", Since: "2.6", Config: []string{"CONFIG_IPV6_MIP6"}}
)
