package rtnl_test

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"golang.org/x/sys/unix"

	"github.com/nlkit/nlkit/internal/testns"
	"github.com/nlkit/nlkit/rtnl"
)

// TestSaveRulesIP saves rules with nlkit and with ip: the files are the
// same but for sequence numbers and port ids; ReadSavedRules reads ip's
// file as Rules lists the rules; ip rule restore restores nlkit's file into
// a fresh namespace, nlkit ip's into another, with the same result (the
// kernel's default rules and the restored copies of them, as with ip).
func TestSaveRulesIP(t *testing.T) {
	ns := testns.New(t)
	ns.IPBatch(t, `
rule add from 10.0.0.0/8 table 100 pref 100
rule add not to 192.168.0.0/16 fwmark 0x10/0xff prohibit pref 200
rule add iif lo ipproto tcp dport 80-90 uidrange 100-200 lookup 300 pref 300
`)
	ns.IP(t, "-6", "rule", "add", "from", "2001:db8::/32", "table", "300")
	c := dial(t, ns)
	ctx := context.Background()
	dir := t.TempDir()
	for _, tc := range []struct {
		name    string
		filters []rtnl.RuleFilter
		ipArgs  []string
	}{
		{"4", []rtnl.RuleFilter{rtnl.FilterRuleFamily(unix.AF_INET)}, []string{"rule", "save"}},
		{"6", []rtnl.RuleFilter{rtnl.FilterRuleFamily(unix.AF_INET6)}, []string{"-6", "rule", "save"}},
	} {
		var file bytes.Buffer
		if err := c.SaveRules(ctx, &file, tc.filters...); err != nil {
			t.Fatal(err)
		}
		theirs := filepath.Join(dir, tc.name+".ip")
		ipWithFiles(t, ns, "", theirs, tc.ipArgs...)
		ipFile, err := os.ReadFile(theirs)
		if err != nil {
			t.Fatal(err)
		}
		if got, want := maskSavedHeaders(t, file.Bytes()), maskSavedHeaders(t, ipFile); !bytes.Equal(got, want) {
			t.Errorf("%s: saved files differ:\nnlkit %x\n   ip %x", tc.name, got, want)
		}
		var read []rtnl.Rule
		for r, err := range rtnl.ReadSavedRules(bytes.NewReader(ipFile)) {
			if err != nil {
				t.Fatal(err)
			}
			read = append(read, r)
		}
		listed, err := c.Rules(ctx, tc.filters...)
		if err != nil {
			t.Fatal(err)
		}
		if diff := cmp.Diff(rulesJSONs(t, listed), rulesJSONs(t, read)); diff != "" {
			t.Errorf("%s: ReadSavedRules differs from Rules (-Rules +ReadSavedRules):\n%s", tc.name, diff)
		}

		mine := filepath.Join(dir, tc.name+".nlkit")
		if err := os.WriteFile(mine, file.Bytes(), 0o600); err != nil {
			t.Fatal(err)
		}
		byIP, byNlkit := testns.New(t), testns.New(t)
		ipWithFiles(t, byIP, mine, "", append(tc.ipArgs[:len(tc.ipArgs)-1:len(tc.ipArgs)-1], "restore")...)
		restorer := dial(t, byNlkit)
		if err := restorer.RestoreRules(ctx, bytes.NewReader(ipFile)); err != nil {
			t.Fatalf("%s: RestoreRules: %v", tc.name, err)
		}
		family := []string{"-4"}
		if tc.name == "6" {
			family = []string{"-6"}
		}
		show := append(family, "-j", "-d", "rule", "show")
		want, got := ipWithFiles(t, byIP, "", "", show...), ipWithFiles(t, byNlkit, "", "", show...)
		if !bytes.Equal(got, want) {
			t.Errorf("%s: RestoreRules restored\n%s\nip rule restore\n%s", tc.name, got, want)
		}
	}
}

// rulesJSONs returns the JSON of each rule.
func rulesJSONs(t *testing.T, rules []rtnl.Rule) []string {
	t.Helper()
	var out []string
	for _, r := range rules {
		b, err := r.MarshalJSON()
		if err != nil {
			t.Fatal(err)
		}
		out = append(out, strings.TrimSpace(string(b)))
	}
	return out
}

// FuzzReadSavedRules reads arbitrary bytes as a saved rule file: it must
// never panic.
func FuzzReadSavedRules(f *testing.F) {
	f.Add([]byte{0x86, 0x69, 0x70, 0x71})
	f.Add([]byte{0x86, 0x69, 0x70, 0x71, 0x1c, 0, 0, 0, 0x20, 0, 2, 0, 0, 0, 0, 0, 0, 0, 0, 0, 2, 0, 0, 0, 0xfe, 0, 0, 1, 0, 0, 0, 0})
	f.Fuzz(func(t *testing.T, b []byte) {
		for _, err := range rtnl.ReadSavedRules(bytes.NewReader(b)) {
			if err != nil {
				return
			}
		}
	})
}
