//go:build linux || darwin || freebsd || netbsd || openbsd || dragonfly

package accessible

import (
	"io"
	"os"

	"golang.org/x/sys/unix"
)

// hideInput turns terminal echo off while a secret is typed in the
// accessible mode, keeping line editing (canonical mode) on; the returned
// func turns it back on. Input that is not a terminal is left alone.
func hideInput(in io.Reader) (restore func()) {
	f, ok := in.(*os.File)
	if !ok {
		return func() {}
	}
	fd := int(f.Fd())
	old, err := unix.IoctlGetTermios(fd, ioctlGetTermios)
	if err != nil {
		return func() {}
	}
	quiet := *old
	quiet.Lflag &^= unix.ECHO
	if unix.IoctlSetTermios(fd, ioctlSetTermios, &quiet) != nil {
		return func() {}
	}
	return func() { _ = unix.IoctlSetTermios(fd, ioctlSetTermios, old) }
}
