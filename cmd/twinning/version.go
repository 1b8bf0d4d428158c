package main

import (
	"context"
	"fmt"
	"runtime/debug"
)

func init() {
	register(verb{name: "version", summary: "Print the version of this build", run: runVersion})
}

func runVersion(ctx context.Context, e *env, args []string) error {
	fs := newFlags(e, "version", "")
	if err := fs.Parse(args); err != nil {
		return err
	}
	v := version
	if bi, ok := debug.ReadBuildInfo(); ok {
		for _, s := range bi.Settings {
			if s.Key == "vcs.revision" && len(s.Value) >= 12 {
				v += " (" + s.Value[:12] + ")"
			}
		}
		fmt.Fprintf(e.stdout, "twinning %s %s\n", v, bi.GoVersion)
		return nil
	}
	fmt.Fprintln(e.stdout, "twinning", v)
	return nil
}
