package web

import (
	"os"
	"testing"

	"github.com/twinning/twinning/internal/auth"
)

// TestMain makes password hashes cheap for the whole package, once, before any test runs: the
// tests create and sign in accounts by the hundred, and argon2id's cost is internal/auth's to
// test. Setting it here, and never again, lets the tests run in parallel.
func TestMain(m *testing.M) {
	auth.Cost = auth.Params{Memory: 64, Time: 1, Threads: 1, SaltLen: 16, KeyLen: 32}
	os.Exit(m.Run())
}
