package main

import (
	"bufio"
	"context"
	"fmt"
	"io"
	"os"
	"strings"
)

// batch runs the commands of -batch FILE, one a line, FILE "-" being the
// standard input, as ip does: a '#' starts a comment, a line ending in
// '\' goes on on the next, words are split on blanks unless quoted with '
// or ". A command that fails prints its error and "Command failed
// FILE:LINE", and stops the batch unless -force is given; the status is
// then 1. A command line ip would not accept stops it at once, with ip's
// status 255, as ip exits there.
func (c *command) batch(ctx context.Context) int {
	in := c.stdin
	if name := c.opts.batch; name != "-" {
		f, err := os.Open(name)
		if err != nil {
			fmt.Fprintf(c.stderr, "Cannot open file \"%s\" for reading: %s\n", name, strerror(errnoText(err)))
			return 1
		}
		defer f.Close()
		in = f
	}
	lines := batchLines(in)
	status := 0
	for {
		lineno, args, ok, err := lines()
		if err != nil {
			fmt.Fprintln(c.stderr, err)
			return 1
		}
		if !ok {
			return status
		}
		if len(args) == 0 {
			continue
		}
		cmd := &command{opts: c.opts, stdin: c.stdin, stdout: c.stdout, stderr: c.stderr}
		err = cmd.dispatch(ctx, args)
		if err == nil {
			continue
		}
		if code := report(c.stderr, err); code == 255 {
			return code
		}
		fmt.Fprintf(c.stderr, "Command failed %s:%d\n", c.opts.batch, lineno)
		status = 1
		if !c.opts.force {
			return status
		}
	}
}

// batchLines returns a function that reads the next command of a batch:
// the number of its last line, its words, and false at the end.
func batchLines(r io.Reader) func() (int, []string, bool, error) {
	sc := bufio.NewScanner(r)
	lineno := 0
	return func() (int, []string, bool, error) {
		if !sc.Scan() {
			return lineno, nil, false, sc.Err()
		}
		lineno++
		line := uncomment(sc.Text())
		for strings.HasSuffix(line, "\\") {
			if !sc.Scan() {
				return lineno, nil, false, fmt.Errorf("Missing continuation line")
			}
			lineno++
			line = strings.TrimSuffix(line, "\\") + uncomment(sc.Text())
		}
		args, err := splitArgs(line)
		return lineno, args, true, err
	}
}

// uncomment cuts a line at its '#'.
func uncomment(line string) string {
	line, _, _ = strings.Cut(line, "#")
	return line
}

// splitArgs splits a batch line into words as ip's makeargs does: on
// blanks, a word that starts with a quote running to the same quote.
func splitArgs(line string) ([]string, error) {
	var args []string
	for {
		line = strings.TrimLeft(line, " \t\r\n")
		if line == "" {
			return args, nil
		}
		if q := line[0]; q == '\'' || q == '"' {
			end := strings.IndexByte(line[1:], q)
			if end < 0 {
				return nil, fmt.Errorf("Unterminated quoted string")
			}
			args = append(args, line[1:end+1])
			line = line[end+2:]
			continue
		}
		end := strings.IndexAny(line, " \t\r\n")
		if end < 0 {
			end = len(line)
		}
		args = append(args, line[:end])
		line = line[end:]
	}
}
