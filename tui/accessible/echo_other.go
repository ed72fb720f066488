//go:build !(linux || darwin || freebsd || netbsd || openbsd || dragonfly)

package accessible

import "io"

// hideInput cannot turn echo off here; secrets are typed visibly.
func hideInput(io.Reader) (restore func()) { return func() {} }
