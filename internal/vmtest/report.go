package vmtest

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"os"
	"os/exec"
	"sort"
	"strings"
)

// A testEvent is a line of `go tool test2json`'s output.
type testEvent struct {
	Action, Test, Output string
}

// pkgOutcome is what one package's log says.
type pkgOutcome struct {
	skips   []skip   // skipped tests and why
	failed  []string // failed tests
	passed  int      // passed tests
	timeout string   // the panic of -test.timeout, if the binary timed out
}

// A skip is a skipped test and its message.
type skip struct {
	test, reason string
}

// readLog converts a test binary's -test.v=test2json output with
// `go tool test2json` and collects its skips and failures.
func readLog(ctx context.Context, path, pkgPath string) (pkgOutcome, error) {
	var o pkgOutcome
	f, err := os.Open(path)
	if err != nil {
		return o, err
	}
	defer f.Close()
	var out bytes.Buffer
	cmd := exec.CommandContext(ctx, "go", "tool", "test2json", "-p", pkgPath)
	cmd.Stdin, cmd.Stdout = f, &out
	if err := cmd.Run(); err != nil {
		return o, fmt.Errorf("go tool test2json < %s: %w", path, err)
	}
	said := map[string][]string{}
	dec := json.NewDecoder(&out)
	for dec.More() {
		var e testEvent
		if err := dec.Decode(&e); err != nil {
			return o, err
		}
		if strings.HasPrefix(e.Output, "panic: test timed out") {
			o.timeout = strings.TrimSpace(e.Output)
		}
		if e.Test == "" {
			continue
		}
		switch e.Action {
		case "output":
			line := strings.TrimSpace(e.Output)
			if line != "" && !strings.HasPrefix(line, "=== ") && !strings.HasPrefix(line, "--- ") {
				said[e.Test] = append(said[e.Test], skipMessage(line))
			}
		case "skip":
			o.skips = append(o.skips, skip{e.Test, skipReason(said[e.Test])})
		case "fail":
			o.failed = append(o.failed, e.Test)
		case "pass":
			o.passed++
		}
	}
	return o, nil
}

// skipReason returns the reason of a skip from what the test said: its
// kfeature message when it has one, else everything.
func skipReason(said []string) string {
	for _, s := range said {
		if strings.HasPrefix(s, "kfeature: ") {
			return s
		}
	}
	return strings.Join(said, " ")
}

// skipMessage strips the "file_test.go:12: " that testing puts before a
// message.
func skipMessage(line string) string {
	if i := strings.Index(line, ": "); i > 0 && strings.Contains(line[:i], ".go:") && !strings.Contains(line[:i], " ") {
		return line[i+2:]
	}
	return line
}

// feature returns the feature and the reason of a kfeature skip message
// ("kfeature: NAME: REASON: error"), or false.
func feature(reason string) (string, string, bool) {
	rest, ok := strings.CutPrefix(reason, "kfeature: ")
	if !ok {
		return "", "", false
	}
	name, why, _ := strings.Cut(rest, ": ")
	why, _, _ = strings.Cut(why, ": ")
	return name, why, true
}

// report prints the table, the skipped features, the other skips and the
// failures; it returns whether every package passed on every kernel.
func (c Config) report(ctx context.Context, pkgs []pkg, kernels []*kernelRun) bool {
	ok := true
	cells := map[string]map[string]string{} // package -> kernel -> cell
	featureSkips := map[string]int{}        // "kernel\tfeature: reason" -> tests
	otherSkips := map[string]int{}          // "kernel\tpackage\treason" -> tests
	var failures []string
	for _, k := range kernels {
		if k.err != nil {
			ok = false
			failures = append(failures, fmt.Sprintf("%s: %v", k.label, k.err))
		}
		if k.missing != "" {
			ok = false
			failures = append(failures, fmt.Sprintf("%s: modules not loaded: %s", k.label, k.missing))
		}
		for _, p := range pkgs {
			if cells[p.Path] == nil {
				cells[p.Path] = map[string]string{}
			}
			r, ran := k.results[p.Path]
			if !ran {
				ok = false
				cells[p.Path][k.label] = "not run"
				continue
			}
			o, err := readLog(ctx, c.scratch(k.name, c.binName(p)+".log"), p.Path)
			if err != nil {
				failures = append(failures, fmt.Sprintf("%s %s: %v", k.label, p.Path, err))
			}
			for _, s := range o.skips {
				if name, why, ok := feature(s.reason); ok {
					featureSkips[k.label+"\t"+name+": "+why]++
				} else {
					otherSkips[k.label+"\t"+p.Path+"\t"+s.reason]++
				}
			}
			for _, t := range o.failed {
				failures = append(failures, fmt.Sprintf("%s %s: %s failed", k.label, p.Path, t))
			}
			cell := "pass"
			switch {
			case r.code != 0:
				ok = false
				cell = fmt.Sprintf("FAIL (exit %d)", r.code)
				switch {
				case o.timeout != "":
					cell = "FAIL (timeout)"
					failures = append(failures, fmt.Sprintf("%s %s: %s (-test.timeout); see %s", k.label, p.Path, o.timeout, c.scratch(k.name, c.binName(p)+".log")))
				case len(o.failed) == 0:
					failures = append(failures, fmt.Sprintf("%s %s: exit %d; see %s", k.label, p.Path, r.code, c.scratch(k.name, c.binName(p)+".log")))
				}
			case o.passed == 0 && len(o.skips) > 0:
				cell = "skip"
			case len(o.skips) > 0:
				cell = fmt.Sprintf("pass, %d skip", len(o.skips))
			}
			cells[p.Path][k.label] = fmt.Sprintf("%s %.0fs", cell, r.secs)
		}
	}
	w := len("package")
	for _, p := range pkgs {
		w = max(w, len(p.Path))
	}
	fmt.Fprintf(c.Out, "\n%-*s", w, "package")
	for _, k := range kernels {
		fmt.Fprintf(c.Out, "  %-20s", k.label)
	}
	fmt.Fprintln(c.Out)
	for _, p := range pkgs {
		line := fmt.Sprintf("%-*s", w, p.Path)
		for _, k := range kernels {
			line += fmt.Sprintf("  %-20s", cells[p.Path][k.label])
		}
		fmt.Fprintln(c.Out, strings.TrimRight(line, " "))
	}
	printCounts(c, "skipped features (kernel, feature: why, tests):", featureSkips)
	printCounts(c, "other skips (kernel, package, why, tests):", otherSkips)
	if len(failures) > 0 {
		fmt.Fprintln(c.Out, "\nfailures:")
		for _, f := range failures {
			fmt.Fprintln(c.Out, "  "+f)
		}
	}
	for _, k := range kernels {
		fmt.Fprintf(c.Out, "time %s: %s\n", k.label, k.took.Round(1e9))
	}
	return ok
}

// printCounts prints a heading and "key  (n)" lines in key order.
func printCounts(c Config, heading string, m map[string]int) {
	if len(m) == 0 {
		return
	}
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	fmt.Fprintln(c.Out, "\n"+heading)
	for _, k := range keys {
		fmt.Fprintf(c.Out, "  %s  (%d)\n", strings.ReplaceAll(k, "\t", "  "), m[k])
	}
}
