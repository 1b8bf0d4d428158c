package persian

import (
	"os"
	"testing"
)

// seedText is the project's seed article, copied into testdata.
func seedText(tb testing.TB) string {
	tb.Helper()
	b, err := os.ReadFile("testdata/isfahan-samarkand.fa.txt")
	if err != nil {
		tb.Fatal(err)
	}
	return string(b)
}
