package dataset

import (
	"bytes"
	"flag"
	"fmt"
	"io"
	"os"
	"path/filepath"
)

// Main is `twinning dataset build`: it builds the bundle from --src into --out and writes the
// figures to --stats (default: STATS.md beside --out) and to stdout.
func Main(args []string, stdout, stderr io.Writer) error {
	fs := flag.NewFlagSet("dataset build", flag.ContinueOnError)
	fs.SetOutput(stderr)
	src := fs.String("src", "../shared/data", "directory of the source data")
	out := fs.String("out", "internal/dataset/world.jsonl.gz", "bundle to write")
	stats := fs.String("stats", "", "figures to write as Markdown (default STATS.md beside --out)")
	if len(args) > 0 && args[0] == "build" {
		args = args[1:]
	}
	if err := fs.Parse(args); err != nil {
		return err
	}
	if *stats == "" {
		*stats = filepath.Join(filepath.Dir(*out), "STATS.md")
	}
	var buf bytes.Buffer
	st, err := Build(*src, &buf, func(s string) { fmt.Fprintln(stderr, s) })
	if err != nil {
		return fmt.Errorf("dataset build: %w", err)
	}
	if err := writeFile(*out, buf.Bytes()); err != nil {
		return err
	}
	md := st.Markdown()
	if err := writeFile(*stats, []byte(md)); err != nil {
		return err
	}
	fmt.Fprintf(stdout, "%s\nwrote %s (%d bytes)\n", md, *out, buf.Len())
	return nil
}

// writeFile replaces path atomically, so an interrupted build leaves the old file.
func writeFile(path string, b []byte) error {
	tmp, err := os.CreateTemp(filepath.Dir(path), ".dataset-*")
	if err != nil {
		return err
	}
	defer os.Remove(tmp.Name())
	if _, err := tmp.Write(b); err != nil {
		tmp.Close()
		return err
	}
	if err := tmp.Close(); err != nil {
		return err
	}
	if err := os.Chmod(tmp.Name(), 0o644); err != nil {
		return err
	}
	return os.Rename(tmp.Name(), path)
}
