package main

import (
	"bufio"
	"context"
	"fmt"
	"io"
	"os"
	"slices"
	"strings"

	"github.com/twinning/twinning/internal/exchange"
)

func init() {
	register(verb{name: "export", summary: "Write the registry, or one city's neighbourhood, as CSV, JSON Lines, GeoJSON, GraphML or iCalendar", run: runExport})
}

func runExport(ctx context.Context, e *env, args []string) error {
	fs := newFlags(e, "export", "--format csv|jsonl|geojson|graphml|ics [--city REF [--depth N]] [--out FILE] [--db DSN]")
	format := fs.String("format", "", "output format: csv, jsonl, geojson, graphml or ics")
	city := fs.String("city", "", "export only this city's neighbourhood (Wikidata id or internal id)")
	depth := fs.Int("depth", 1, "with --city: how many partner steps away to go")
	out := fs.String("out", "", "write to this file instead of standard output")
	lang := fs.String("lang", "fa", "language of texts where the format holds one (ics)")
	dsn := dbFlag(fs, e)
	if _, err := parseArgs(fs, args, 0, 0); err != nil {
		return err
	}
	if !slices.Contains(exchange.ExportFormats, *format) {
		fs.Usage()
		if *format != "" {
			fmt.Fprintf(e.stderr, "\n--format %q: an export is one of %s\n", *format, strings.Join(exchange.ExportFormats, ", "))
		}
		return exitError{2}
	}
	if err := needDB(*dsn); err != nil {
		return err
	}
	db, err := openQuiet(ctx, e, *dsn)
	if err != nil {
		return err
	}
	defer db.Close()
	d, err := exchange.Gather(ctx, db, *city, *depth)
	if err != nil {
		return err
	}
	rep, err := writeExport(e.stdout, *out, *format, d, *lang)
	if err != nil {
		return err
	}
	// The summary goes to standard error, so that it never mixes with the data on standard
	// output; it names what the format could not hold (cities without coordinates in
	// GeoJSON, activities without a date in iCalendar).
	if *out != "" {
		fmt.Fprintf(e.stderr, "%s: ", *out)
	}
	fmt.Fprintf(e.stderr, "%s\n", rep)
	return nil
}

// writeExport writes d in format to out, or to stdout when out is "", and returns the
// format's report of what it could not hold.
func writeExport(stdout io.Writer, out, format string, d *exchange.Data, lang string) (*exchange.ExportReport, error) {
	var w io.Writer = stdout
	var f *os.File
	var err error
	if out != "" {
		// Written beside FILE and given its name only once whole: a failed or killed export
		// leaves FILE as it was (a previous export, or nothing).
		if f, err = os.Create(fmt.Sprintf("%s.partial-%d", out, os.Getpid())); err != nil {
			return nil, err
		}
		defer func() {
			f.Close()
			os.Remove(f.Name()) // gone already when renamed
		}()
		w = f
	}
	bw := bufio.NewWriterSize(w, 1<<16)
	rep, err := exchange.WriteReport(bw, format, d, lang)
	if err != nil {
		return nil, err
	}
	if err := bw.Flush(); err != nil {
		return nil, err
	}
	if f != nil {
		if err := f.Close(); err != nil {
			return nil, err
		}
		if err := os.Rename(f.Name(), out); err != nil {
			return nil, err
		}
	}
	return rep, nil
}
