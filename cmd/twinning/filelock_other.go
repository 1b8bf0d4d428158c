//go:build !(linux || darwin || freebsd || netbsd || openbsd || dragonfly)

package main

// lockFile is a no-op where BSD locks are not available: `twinning restore` then relies on
// the operator having stopped the server, as its help says.
func lockFile(path string, exclusive bool) (release func(), ok bool, err error) {
	return func() {}, true, nil
}
