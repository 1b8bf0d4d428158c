//go:build linux || darwin || freebsd || netbsd || openbsd || dragonfly

package main

import (
	"os"
	"syscall"
)

// lockFile takes a BSD lock on path: shared for a server using the database file, exclusive
// (and without waiting) for `twinning restore`, which must not swap the file under a running
// server. SQLite's own locks are POSIX record locks on the same file; the two do not interact.
// ok is false when an exclusive lock is refused because someone holds the file.
func lockFile(path string, exclusive bool) (release func(), ok bool, err error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, false, err
	}
	how := syscall.LOCK_SH
	if exclusive {
		how = syscall.LOCK_EX | syscall.LOCK_NB
	}
	if err := syscall.Flock(int(f.Fd()), how); err != nil {
		f.Close()
		if err == syscall.EWOULDBLOCK {
			return nil, false, nil
		}
		return nil, false, err
	}
	return func() { syscall.Flock(int(f.Fd()), syscall.LOCK_UN); f.Close() }, true, nil
}
