package main

import (
	"errors"
	"fmt"
	"io"
	"strings"

	"github.com/nlkit/nlkit"
)

// exitError is an error that ip reports in its own words, with its exit
// status.
type exitError struct {
	msg  string
	code int
}

func (e *exitError) Error() string { return e.msg }

// usageErr is a command line ip does not understand: exit status 255.
func usageErr(msg string) error { return &exitError{msg, 255} }

// incomplete is ip's report of a keyword without its value (its
// NEXT_ARG at the end of the line).
func incomplete() error {
	return usageErr("Command line is not complete. Try option \"help\"")
}

// invarg is ip's invarg(): the argument arg is wrong, as msg says.
func invarg(msg, arg string) error {
	return usageErr("Error: argument \"" + arg + "\" is wrong: " + msg)
}

// missarg is ip's missarg(): the argument key is required.
func missarg(key string) error {
	return usageErr("Error: argument \"" + key + "\" is required")
}

// duparg is ip's duparg(): key was given twice, arg the second time.
func duparg(key, arg string) error {
	return usageErr("Error: duplicate \"" + key + "\": \"" + arg + "\" is the second value.")
}

// duparg2 is ip's duparg2(): key was given twice, or arg is garbage.
func duparg2(key, arg string) error {
	return usageErr("Error: either \"" + key + "\" is duplicate, or \"" + arg + "\" is a garbage.")
}

// noDevice is ip's report of a device it looked up and did not find.
func noDevice(name string) error {
	return &exitError{fmt.Sprintf("Cannot find device %q", name), 1}
}

// report prints err as ip prints its errors and returns ip's exit status.
func report(w io.Writer, err error) int {
	var ee *exitError
	if errors.As(err, &ee) {
		if ee.msg != "" {
			fmt.Fprintln(w, ee.msg)
		}
		return ee.code
	}
	var ke *nlkit.Error
	if errors.As(err, &ke) {
		fmt.Fprintln(w, kernelMessage(ke))
		return 2
	}
	fmt.Fprintln(w, err)
	return 1
}

// kernelMessage is how ip reports an error from the kernel: its
// extended-ack message, or the errno's text.
func kernelMessage(e *nlkit.Error) string {
	if e.Message != "" {
		msg := "Error: " + e.Message
		if !strings.HasSuffix(msg, ".") {
			msg += "."
		}
		return msg
	}
	return "RTNETLINK answers: " + strerror(e.Errno.Error())
}

// strerror capitalises Go's errno text as the C library's strerror does.
func strerror(s string) string {
	if n, ok := strings.CutPrefix(s, "errno "); ok {
		return "Unknown error " + n // an errno Go has no text for
	}
	if s == "" {
		return s
	}
	return strings.ToUpper(s[:1]) + s[1:]
}
