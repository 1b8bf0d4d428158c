//go:build ignore

// gen rebuilds the bundle: go generate ./internal/dataset (or `twinning dataset build`).
package main

import (
	"fmt"
	"os"

	"github.com/twinning/twinning/internal/dataset"
)

func main() {
	if err := dataset.Main(os.Args[1:], os.Stdout, os.Stderr); err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
}
