package xfrm_test

import "github.com/nlkit/nlkit/internal/kfeature"

// Kernel features the xfrm tests need beyond xfrm_user itself.
var (
	featESP = kfeature.Feature{Name: "ESP states", Since: "2.6", Config: []string{"CONFIG_INET_ESP", "CONFIG_INET6_ESP"}}
	featAH  = kfeature.Feature{Name: "AH states", Since: "2.6", Config: []string{"CONFIG_INET_AH"}}
)
