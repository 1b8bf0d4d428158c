package main

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"time"
	"unicode"
	"unicode/utf8"

	"github.com/twinning/twinning/internal/extract"
	"github.com/twinning/twinning/internal/store"
	"github.com/twinning/twinning/internal/twin"
)

func init() {
	register(verb{name: "extract", summary: "Read a news article (Persian or English) and print the proposed records as JSON", run: runExtract})
}

// maxArticle bounds the input: a news article, not a corpus.
const maxArticle = 16 << 20

func runExtract(ctx context.Context, e *env, args []string) error {
	fs := newFlags(e, "extract", "[--db DSN] [--url URL] [--date YYYY-MM-DD] [--lang fa|en] [--eval DIR] [--train DIR --out FILE] FILE|-")
	dsn := dbFlag(fs, e)
	url := fs.String("url", "", "the article's source URL, copied into the result")
	date := fs.String("date", "", "the article's publication date YYYY-MM-DD (gives a year to dates written without one)")
	lang := fs.String("lang", "", "the article's language, fa or en (detected when empty)")
	eval := fs.String("eval", "", "instead of reading an article, score location mentions on the NER corpora under DIR (peyma/, parstwiner/) and print a table")
	train := fs.String("train", "", "instead of reading an article, retrain the name tagger on DIR/parstwiner/train.txt (reproducible: same data, same bytes)")
	out := fs.String("out", "", "with --train: where to write the model (e.g. internal/extract/tagger.bin.gz)")
	pos, err := parseArgs(fs, args, 0, 1)
	if err != nil {
		return err
	}
	if *train != "" {
		return trainTagger(e, *train, *out, len(pos))
	}
	if err := checkArticleFlags(*date, *lang); err != nil {
		return err
	}
	start := time.Now()
	dbGiven := e.getenv("TWINNING_DB") != ""
	fs.Visit(func(f *flag.Flag) { dbGiven = dbGiven || f.Name == "db" })
	g, err := gazetteerFor(ctx, *dsn, dbGiven)
	if err != nil {
		return fmt.Errorf("loading the gazetteer: %w", err)
	}
	if *eval != "" {
		if len(pos) > 0 {
			return errors.New("--eval takes a directory and no FILE")
		}
		return evaluate(e, *eval, g, time.Since(start))
	}
	if len(pos) != 1 {
		fs.Usage()
		return exitError{2}
	}
	text, err := readArticle(e, pos[0])
	if err != nil {
		return err
	}
	r := extract.Extract(text, g, extract.Options{SourceURL: *url, Published: *date, Lang: *lang})
	enc := json.NewEncoder(e.stdout)
	enc.SetEscapeHTML(false)
	enc.SetIndent("", "  ")
	return enc.Encode(r)
}

// checkArticleFlags refuses a --date not written YYYY-MM-DD and a --lang other than fa or en.
func checkArticleFlags(date, lang string) error {
	if date != "" {
		if _, err := time.Parse("2006-01-02", date); err != nil {
			return fmt.Errorf("--date %q: want YYYY-MM-DD", date)
		}
	}
	if lang != "" && lang != "fa" && lang != "en" {
		return fmt.Errorf("--lang %q: want fa or en", lang)
	}
	return nil
}

// evaluate scores location mentions on the NER corpora under dir with g, built in took, and
// prints a table.
func evaluate(e *env, dir string, g *extract.BundleGazetteer, took time.Duration) error {
	fmt.Fprintf(e.stderr, "gazetteer built in %s; evaluating…\n", took.Round(time.Millisecond))
	scores, err := extract.Evaluate(dir, g, nil)
	if err != nil {
		return err
	}
	extract.FormatEval(e.stdout, scores)
	return nil
}

// trainTagger retrains the embedded name tagger with the bundled gazetteer
// (never a registry's: the model must not depend on a database).
func trainTagger(e *env, dir, out string, nargs int) error {
	if out == "" || nargs > 0 {
		return errors.New("--train DIR needs --out FILE and no article")
	}
	g, err := extract.DefaultGazetteer()
	if err != nil {
		return err
	}
	start := time.Now()
	var buf bytes.Buffer
	if err := extract.TrainTagger(dir, g, extract.DefaultTrainOptions, &buf); err != nil {
		return err
	}
	if err := os.WriteFile(out, buf.Bytes(), 0o644); err != nil {
		return err
	}
	fmt.Fprintf(e.stderr, "tagger trained in %s: %s, %d bytes\n", time.Since(start).Round(time.Millisecond), out, buf.Len())
	return nil
}

// readArticle reads FILE or stdin ("-") and rejects what is not text.
func readArticle(e *env, name string) (string, error) {
	var r io.Reader
	if name == "-" {
		r = e.stdin
	} else {
		f, err := os.Open(name)
		if err != nil {
			return "", fmt.Errorf("cannot read the article: %w", err)
		}
		defer f.Close()
		if st, err := f.Stat(); err == nil && st.IsDir() {
			return "", fmt.Errorf("%s is a directory, not an article", name)
		}
		r = f
	}
	b, err := io.ReadAll(io.LimitReader(r, maxArticle+1))
	if err != nil {
		return "", fmt.Errorf("cannot read the article: %w", err)
	}
	if len(b) > maxArticle {
		return "", fmt.Errorf("the article is larger than %d MB", maxArticle>>20)
	}
	b = bytes.TrimPrefix(b, []byte("\xef\xbb\xbf"))
	if len(bytes.TrimSpace(b)) == 0 {
		return "", errors.New("the article is empty")
	}
	if !utf8.Valid(b) {
		return "", errors.New("the article is not UTF-8 text")
	}
	ctrl := 0
	for _, c := range string(b) {
		if c == 0 || unicode.IsControl(c) && c != '\n' && c != '\r' && c != '\t' {
			ctrl++
		}
	}
	if ctrl > 0 && ctrl*100 > utf8.RuneCount(b) {
		return "", errors.New("the article looks binary, not text")
	}
	return string(b), nil
}

// gazetteerFor is the registry's gazetteer when a registry with cities was named (so cities
// added after the bundled dataset are recognised), else the bundled world's. It never creates
// a database.
func gazetteerFor(ctx context.Context, dsn string, given bool) (*extract.BundleGazetteer, error) {
	if given && (store.IsPostgres(dsn) || fileExists(dsn)) {
		db, err := store.Open(ctx, dsn)
		if err != nil {
			return nil, err
		}
		defer db.Close()
		if n, err := db.Count(ctx, twin.KindCity); err == nil && n > 0 {
			countries, err := db.Countries(ctx)
			if err != nil {
				return nil, err
			}
			cities, err := db.Cities.All(ctx)
			if err != nil {
				return nil, err
			}
			return extract.NewGazetteer(countries, cities), nil
		}
	}
	return extract.DefaultGazetteer()
}

func fileExists(path string) bool {
	st, err := os.Stat(path)
	return err == nil && !st.IsDir()
}
