package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"

	"github.com/twinning/twinning/internal/exchange"
)

func init() {
	register(verb{name: "import", summary: "Bring a file's records into the registry (CSV, XLSX, JSON Lines, Wikidata query results)", run: runImport})
}

func runImport(ctx context.Context, e *env, args []string) error {
	fs := newFlags(e, "import", "[--dry-run] [-v] [--format auto|csv|xlsx|jsonl|wikidata] [--db DSN] FILE|-")
	dry := fs.Bool("dry-run", false, "show what the import would create, change or skip, and every problem, without writing")
	verbose := fs.Bool("v", false, "list every record the import creates, changes or skips")
	format := fs.String("format", "auto", "file format: auto, csv, xlsx, jsonl or wikidata")
	dsn := dbFlag(fs, e)
	pos, err := parseArgs(fs, args, 1, 1)
	if err != nil {
		return err
	}
	name := pos[0]
	if *dry {
		if err := needDB(*dsn); err != nil {
			return err
		}
	}
	var in io.Reader = e.stdin
	if name != "-" {
		f, err := os.Open(name)
		if err != nil {
			return err
		}
		defer f.Close()
		in = f
	}
	db, err := openQuiet(ctx, e, *dsn)
	if err != nil {
		return err
	}
	defer db.Close()
	opt := exchange.Options{Format: *format, Name: name, DryRun: *dry, Progress: func(p exchange.Progress) {
		fmt.Fprintf(e.stderr, "import: %s %d/%d\n", p.Phase, p.Done, p.Total)
	}}
	if name == "-" {
		opt.Name = ""
	}
	rep, err := exchange.Import(ctx, db, in, opt)
	// The summary is what was written (or, dry, would be): after a failure other than the
	// file's own problems (interrupted, the database gone) nothing was, and the counts reached
	// before it would read as a success.
	fileProblems := errors.As(err, new(exchange.Errors))
	if rep != nil && (err == nil || fileProblems) {
		printImport(e, rep, *dry, *verbose)
	}
	return importFailure(ctx, e, err)
}

// importFailure turns an import's error into the command's: the file's own problems, each
// on standard error, an interruption, or another failure; each says nothing was written.
func importFailure(ctx context.Context, e *env, err error) error {
	var errs exchange.Errors
	if errors.As(err, &errs) {
		for _, re := range errs {
			fmt.Fprintln(e.stderr, re)
		}
		return fmt.Errorf("%d problem(s); nothing was written", len(errs))
	}
	if err != nil && ctx.Err() != nil {
		return errors.New("import interrupted; nothing was written")
	}
	if err != nil {
		return fmt.Errorf("%w; nothing was written", err)
	}
	return nil
}

// printImport prints what an import wrote (or, dry, would write): every record's action
// with -v, then the format, the rows read and the counts, unless the file had problems.
func printImport(e *env, rep *exchange.Report, dry, verbose bool) {
	if verbose {
		for _, a := range rep.Actions {
			fmt.Fprintln(e.stdout, a)
		}
	}
	if len(rep.Errors) == 0 {
		fmt.Fprintf(e.stdout, "%s, %d rows", rep.Format, rep.Rows)
		if dry {
			fmt.Fprint(e.stdout, " (dry run: nothing written)")
		}
		fmt.Fprintf(e.stdout, "\n%s", rep.Summary())
	}
}
