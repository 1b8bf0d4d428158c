// Command twinning is the sister-city cooperation platform: one binary for the web application,
// the JSON API and the command-line tools. Run `twinning help` for the verbs.
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"os"
	"os/signal"
	"sort"
	"strings"
	"syscall"
	"time"

	"github.com/mattn/go-isatty"

	"github.com/twinning/twinning/internal/store"
	"github.com/twinning/twinning/internal/twin"
	"github.com/twinning/twinning/internal/web"
)

// version is set at build time with -ldflags "-X main.version=...".
var version = "dev"

// env is what every verb receives: the process's environment and streams.
type env struct {
	getenv func(string) string
	stdin  io.Reader
	stdout io.Writer
	stderr io.Writer
}

// verb is one subcommand. Adding a verb is adding one file that registers itself in init.
type verb struct {
	name    string
	summary string
	run     func(ctx context.Context, e *env, args []string) error
}

var verbs = map[string]verb{}

func register(v verb) { verbs[v.name] = v }

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	e := &env{getenv: os.Getenv, stdin: os.Stdin, stdout: os.Stdout, stderr: os.Stderr}
	if err := run(ctx, os.Args[1:], e); err != nil {
		var ee exitError
		if !errors.Is(err, flag.ErrHelp) && !errors.As(err, &ee) {
			fmt.Fprintln(os.Stderr, "twinning:", err)
		}
		os.Exit(exitCode(err))
	}
}

type exitError struct{ code int }

func (e exitError) Error() string { return fmt.Sprintf("exit status %d", e.code) }

func exitCode(err error) int {
	var ee exitError
	if errors.As(err, &ee) {
		return ee.code
	}
	if errors.Is(err, flag.ErrHelp) {
		return 0
	}
	return 1
}

// run is main without the process: tests call it with their own arguments and streams.
func run(ctx context.Context, args []string, e *env) error {
	if len(args) == 0 || args[0] == "help" || args[0] == "-h" || args[0] == "--help" {
		usage(e.stdout)
		if len(args) == 0 {
			return exitError{2}
		}
		return nil
	}
	v, ok := verbs[args[0]]
	if !ok {
		usage(e.stderr)
		return fmt.Errorf("unknown command %q", args[0])
	}
	return v.run(ctx, e, args[1:])
}

func usage(w io.Writer) {
	fmt.Fprintln(w, "Twinning: the sister-city cooperation platform.\n\nUsage: twinning <command> [flags]\n\nCommands:")
	names := make([]string, 0, len(verbs))
	for n := range verbs {
		names = append(names, n)
	}
	sort.Strings(names)
	for _, n := range names {
		fmt.Fprintf(w, "  %-10s %s\n", n, verbs[n].summary)
	}
	fmt.Fprintln(w, "\nRun `twinning <command> --help` for a command's flags. Every command takes --db (or TWINNING_DB):\na SQLite file (default ./twinning.db) or a postgres:// URL.")
}

// newFlags returns a flag set for a verb, writing its help to the verb's stderr.
func newFlags(e *env, name, usageLine string) *flag.FlagSet {
	fs := flag.NewFlagSet(name, flag.ContinueOnError)
	fs.SetOutput(e.stderr)
	fs.Usage = func() {
		fmt.Fprintf(e.stderr, "Usage: twinning %s %s\n\n%s\n\nFlags:\n", name, usageLine, verbs[name].summary)
		fs.PrintDefaults()
	}
	return fs
}

// parseArgs parses a verb's flags wherever they stand among its arguments (`import data.csv
// --dry-run` and `import --dry-run data.csv` are the same) and returns the other arguments in
// order. After "--" everything is an argument. It refuses fewer than min or more than max
// arguments (max < 0: no limit), so a stray word is an error rather than silently ignored.
func parseArgs(fs *flag.FlagSet, args []string, min, max int) ([]string, error) {
	var pos []string
	for {
		if err := fs.Parse(args); err != nil {
			return nil, err
		}
		rest := fs.Args()
		if n := len(args) - len(rest); n > 0 && args[n-1] == "--" {
			pos = append(pos, rest...)
			break
		}
		if len(rest) == 0 {
			break
		}
		pos, args = append(pos, rest[0]), rest[1:]
	}
	if len(pos) < min || (max >= 0 && len(pos) > max) {
		fs.Usage()
		if max >= 0 && len(pos) > max {
			fmt.Fprintf(fs.Output(), "\nunexpected argument %q\n", pos[max])
		}
		return nil, exitError{2}
	}
	return pos, nil
}

// parseSubcommand is parseArgs for a verb with subcommands (token create NAME, feeds list):
// the first argument names the subcommand, which takes exactly arity[sub]-1 arguments after it.
func parseSubcommand(fs *flag.FlagSet, args []string, arity map[string]int) ([]string, error) {
	pos, err := parseArgs(fs, args, 0, -1)
	if err != nil {
		return nil, err
	}
	if len(pos) == 0 || len(pos) != arity[pos[0]] {
		fs.Usage()
		return nil, exitError{2}
	}
	return pos, nil
}

// envName is the environment variable that sets a flag: --log-format is TWINNING_LOG_FORMAT.
func envName(flagName string) string {
	return "TWINNING_" + strings.ToUpper(strings.ReplaceAll(flagName, "-", "_"))
}

// flagsFromEnv gives every flag of fs its environment variable: the variable, when set, is the
// flag's default, and a flag on the command line still wins. The help text names the variable.
func flagsFromEnv(fs *flag.FlagSet, e *env) error {
	var err error
	fs.VisitAll(func(f *flag.Flag) {
		name := envName(f.Name)
		if !strings.Contains(f.Usage, name) {
			f.Usage += " (env " + name + ")"
		}
		if v := e.getenv(name); v != "" && err == nil {
			if serr := f.Value.Set(v); serr != nil {
				err = fmt.Errorf("%s=%q: %w", name, v, serr)
			}
			switch {
			case f.Name == "db":
				f.DefValue = store.Redact(f.Value.String()) // --help never shows a password
			case !secretFlags[f.Name]:
				f.DefValue = f.Value.String()
			}
		}
	})
	return err
}

// secretFlags are masked wherever the configuration is shown.
var secretFlags = map[string]bool{"admin-token": true, "metrics-token": true}

// logConfig logs a verb's effective configuration, secrets masked and passwords taken out of
// database URLs.
func logConfig(log *slog.Logger, fs *flag.FlagSet) {
	var attrs []any
	fs.VisitAll(func(f *flag.Flag) {
		v := f.Value.String()
		switch {
		case secretFlags[f.Name] && v != "":
			v = "(set)"
		case f.Name == "db":
			v = store.Redact(v)
		}
		attrs = append(attrs, slog.String(f.Name, v))
	})
	log.Info("configuration", attrs...)
}

// dbFlag adds --db with its TWINNING_DB default. The help shows the default with any password
// taken out of the URL.
func dbFlag(fs *flag.FlagSet, e *env) *string {
	def := e.getenv("TWINNING_DB")
	if def == "" {
		def = "./twinning.db"
	}
	p := fs.String("db", def, "database: a SQLite file or a postgres:// URL (env TWINNING_DB)")
	fs.Lookup("db").DefValue = store.Redact(def)
	return p
}

// needDB refuses a SQLite file that does not exist, for the commands that read or change an
// existing registry: a mistyped --db would otherwise be created, migrated and used empty (an
// export of nothing, an account nobody's server sees). serve, migrate, import and restore
// make a new database on purpose.
func needDB(dsn string) error {
	if store.IsPostgres(dsn) {
		return nil
	}
	st, err := os.Stat(dsn)
	switch {
	case errors.Is(err, os.ErrNotExist):
		return fmt.Errorf("no database at %s (name it with --db or TWINNING_DB; `twinning migrate --db %s` makes a new, empty one)", dsn, dsn)
	case err != nil:
		return err
	case st.IsDir():
		return fmt.Errorf("%s is a folder, not a database file", dsn)
	}
	return nil
}

// openAsUser opens and migrates the database for a command that changes accounts, tokens or
// feeds on its user's behalf: quietly, with the user named as the author of the changes.
func openAsUser(ctx context.Context, e *env, dsn string) (*store.DB, context.Context, error) {
	if err := needDB(dsn); err != nil {
		return nil, ctx, err
	}
	db, err := openDB(ctx, dsn, slog.New(slog.NewTextHandler(io.Discard, nil)))
	return db, twin.WithActor(ctx, cliActor(e)), err
}

// openQuiet opens and migrates the database for a command whose standard output is its
// result (export, import): only warnings are logged, as text on standard error.
func openQuiet(ctx context.Context, e *env, dsn string) (*store.DB, error) {
	log, err := newLogger(e.stderr, "text", "warn")
	if err != nil {
		return nil, err
	}
	return openDB(ctx, dsn, log)
}

// subcommandAsUser parses a command with subcommands (feeds, token) and opens the database on
// its user's behalf (openAsUser); pos[0] is the subcommand.
func subcommandAsUser(ctx context.Context, e *env, fs *flag.FlagSet, dsn *string, args []string, arity map[string]int) ([]string, *store.DB, context.Context, error) {
	pos, err := parseSubcommand(fs, args, arity)
	if err != nil {
		return nil, nil, ctx, err
	}
	db, ctx, err := openAsUser(ctx, e, *dsn)
	return pos, db, ctx, err
}

// openDB opens and migrates the database.
func openDB(ctx context.Context, dsn string, log *slog.Logger) (*store.DB, error) {
	db, err := store.Open(ctx, dsn)
	if err != nil {
		return nil, err
	}
	applied, err := db.Migrate(ctx)
	if err != nil {
		db.Close()
		return nil, err
	}
	for _, m := range applied {
		log.Info("migration applied", "name", m)
	}
	return db, nil
}

// openDBRetry is openDB for a server: while the database cannot be reached (PostgreSQL still
// starting, a network hiccup) it says so and tries again with a growing pause, up to 30 s
// between tries, until ctx ends. Any other failure (a schema newer than the build, a bad
// migration) ends it at once.
func openDBRetry(ctx context.Context, dsn string, log *slog.Logger) (*store.DB, error) {
	pause := time.Second
	for {
		db, err := openDB(ctx, dsn, log)
		if err == nil || !store.Unavailable(err) {
			return db, err
		}
		log.Warn("the database cannot be reached; trying again", "db", store.Redact(dsn), "in", pause, "err", err)
		select {
		case <-ctx.Done():
			return nil, fmt.Errorf("gave up waiting for the database: %w", err)
		case <-time.After(pause):
		}
		pause = min(2*pause, 30*time.Second)
	}
}

// newLogger makes the structured logger: text on a terminal, JSON when asked or when the
// output is not a terminal and format is "auto".
func newLogger(w io.Writer, format, level string) (*slog.Logger, error) {
	var lv slog.Level
	if err := lv.UnmarshalText([]byte(level)); err != nil {
		return nil, fmt.Errorf("--log-level: %w", err)
	}
	opts := &slog.HandlerOptions{Level: lv}
	switch strings.ToLower(format) {
	case "json":
		return slog.New(web.LogHandler(slog.NewJSONHandler(w, opts))), nil
	case "text":
		return slog.New(web.LogHandler(slog.NewTextHandler(w, opts))), nil
	case "auto", "":
		if f, ok := w.(*os.File); ok && isatty.IsTerminal(f.Fd()) {
			return slog.New(web.LogHandler(slog.NewTextHandler(w, opts))), nil
		}
		return slog.New(web.LogHandler(slog.NewJSONHandler(w, opts))), nil
	}
	return nil, fmt.Errorf("--log-format must be text, json or auto, not %q", format)
}
