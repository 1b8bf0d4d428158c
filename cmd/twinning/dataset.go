package main

import (
	"context"
	"fmt"

	"github.com/twinning/twinning/internal/dataset"
)

func init() {
	register(verb{name: "dataset", summary: "Rebuild the bundled world dataset from the source files (dataset build --src DIR --out FILE)", run: runDataset})
}

func runDataset(ctx context.Context, e *env, args []string) error {
	if len(args) == 0 || (args[0] != "build" && args[0] != "--help" && args[0] != "-h") {
		fmt.Fprintln(e.stderr, "Usage: twinning dataset build [--src ../shared/data] [--out internal/dataset/world.jsonl.gz] [--stats FILE]")
		return exitError{2}
	}
	return dataset.Main(args, e.stdout, e.stderr)
}
