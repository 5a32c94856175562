package nsthread

// SetSetns replaces the setns system call for a test, and returns a function
// that restores it.
func SetSetns(f func(fd, nstype int) error) (restore func()) {
	old := setns
	setns = f
	return func() { setns = old }
}

// SetMainThreadHook sets a function called whenever a worker goroutine finds
// itself on the main thread, and returns a function that removes it.
func SetMainThreadHook(f func()) (restore func()) {
	mainThreadHook = f
	return func() { mainThreadHook = nil }
}
