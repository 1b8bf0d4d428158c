package main

import (
	"context"
	"fmt"
	"runtime/debug"
	"strings"
)

func init() {
	register(verb{name: "version", summary: "Print the version of this build: module version, commit and build date", run: runVersion})
}

func runVersion(ctx context.Context, e *env, args []string) error {
	fs := newFlags(e, "version", "")
	if _, err := parseArgs(fs, args, 0, 0); err != nil {
		return err
	}
	fmt.Fprintln(e.stdout, "twinning", buildVersion())
	return nil
}

// buildVersion describes this build from what the Go toolchain recorded in it: the module
// version (or -ldflags "-X main.version=..."), the commit, its date, whether the tree had
// uncommitted changes, and the Go version.
func buildVersion() string {
	v := version
	bi, ok := debug.ReadBuildInfo()
	if !ok {
		return v
	}
	if v == "dev" && bi.Main.Version != "" && bi.Main.Version != "(devel)" {
		v = bi.Main.Version
	}
	parts := []string{v}
	var rev, when string
	dirty := false
	for _, s := range bi.Settings {
		switch s.Key {
		case "vcs.revision":
			rev = s.Value
		case "vcs.time":
			when = s.Value
		case "vcs.modified":
			dirty = s.Value == "true"
		}
	}
	if rev != "" {
		if len(rev) > 12 {
			rev = rev[:12]
		}
		if dirty {
			rev += "+modified"
		}
		if when != "" {
			rev += " of " + when
		}
		parts = append(parts, "commit "+rev)
	}
	parts = append(parts, bi.GoVersion)
	return strings.Join(parts, ", ")
}
