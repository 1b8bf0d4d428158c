package exchange

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"path/filepath"
	"sort"
	"strings"
	"time"

	"github.com/twinning/twinning/internal/store"
	"github.com/twinning/twinning/internal/twin"
)

// Import formats.
const (
	FormatAuto     = "auto"
	FormatCSV      = "csv"
	FormatXLSX     = "xlsx"
	FormatJSONL    = "jsonl"
	FormatWikidata = "wikidata"
)

// What an import does with a record.
const (
	OpCreate = "create"
	OpChange = "change"
	OpSkip   = "skip"   // found and unchanged
	OpIgnore = "ignore" // a row the import leaves out on purpose (a city twinned with itself)
)

// Options control an import.
type Options struct {
	// Format is auto (the default), csv, xlsx, jsonl or wikidata (query results as CSV or as
	// SPARQL JSON).
	Format string
	// Name is the file's name: it helps detect the format and names the file in the sources
	// and claims the import writes.
	Name string
	// DryRun runs the whole import, then rolls it back.
	DryRun bool
	// Progress, when set, is called as rows are read and as records are written.
	Progress func(Progress)
}

// Progress is how far an import is: Done of Total rows read (Phase "rows"; lines for JSON
// Lines) or records written (Phase "written").
type Progress struct {
	Phase       string
	Done, Total int
}

// Action is one thing an import did or, in a dry run, would do.
type Action struct {
	Row    int
	Op     string // create, change, skip
	Kind   string // city, agreement, ...
	ID     int64
	Label  string
	Detail string // the fields a change touches
}

// String renders the action as a line of the dry-run listing.
func (a Action) String() string {
	s := fmt.Sprintf("row %d: %s %s", a.Row, actionWords[a.Op], a.Kind)
	if a.ID != 0 {
		s += fmt.Sprintf(" %d", a.ID)
	}
	if a.Label != "" {
		s += " " + a.Label
	}
	if a.Detail != "" {
		s += " (" + a.Detail + ")"
	}
	return s
}

// actionWords name each operation in an action's line with the word of the summary's line it
// is counted in (`-v`'s "unchanged agreement 12" is counted in "unchanged", its "skip" in
// "skipped"): OpSkip's own name would read as the summary's "skipped".
var actionWords = map[string]string{OpCreate: "create", OpChange: "change", OpSkip: "unchanged", OpIgnore: "skip"}

// Report is what an import did (or would do): counts per operation and record type, each
// action, and every problem found.
type Report struct {
	Format  string
	Rows    int
	Counts  map[string]map[string]int // op → type → n
	Actions []Action
	Errors  Errors
	DryRun  bool
}

func (r *Report) count(op, typ string) {
	if r.Counts[op] == nil {
		r.Counts[op] = map[string]int{}
	}
	r.Counts[op][typ]++
}

// Total is the number of records of every type an operation touched.
func (r *Report) Total(op string) int {
	n := 0
	for _, v := range r.Counts[op] {
		n += v
	}
	return n
}

// Summary is one line per operation: "created: 3 (1 city, 2 agreements)". It counts the
// records the file holds or its rows name, each once, never the rest of the registry; the
// "skipped" line appears when rows were left out on purpose.
func (r *Report) Summary() string {
	var b strings.Builder
	for _, op := range []string{OpCreate, OpChange, OpSkip, OpIgnore} {
		if op == OpIgnore && r.Total(op) == 0 {
			continue
		}
		word := map[string]string{OpCreate: "created", OpChange: "changed", OpSkip: "unchanged", OpIgnore: "skipped"}[op]
		if r.DryRun {
			word = map[string]string{OpCreate: "would create", OpChange: "would change", OpSkip: "unchanged", OpIgnore: "skipped"}[op]
		}
		fmt.Fprintf(&b, "%s: %d", word, r.Total(op))
		var parts []string
		for _, t := range Types {
			if n := r.Counts[op][t]; n > 0 {
				parts = append(parts, fmt.Sprintf("%d %s", n, plural(t, n)))
			}
		}
		if len(parts) > 0 {
			fmt.Fprintf(&b, " (%s)", strings.Join(parts, ", "))
		}
		b.WriteByte('\n')
	}
	return b.String()
}

// plural is a record type's English name for n records.
func plural(typ string, n int) string {
	switch {
	case n == 1:
		return typ
	case typ == TypePerson:
		return "people"
	case strings.HasSuffix(typ, "y"):
		return strings.TrimSuffix(typ, "y") + "ies"
	}
	return typ + "s"
}

// errDryRun rolls a dry run's transaction back.
var errDryRun = errors.New("dry run")

// session is one import's state inside its transaction.
type session struct {
	db    *store.DB
	t     *store.Tx
	opt   Options
	rep   *Report
	src   twin.Source
	vocab *Vocab
	known func(string) bool
	last  time.Time
	lastN int
}

func (s *session) fail(e *RowError) { s.rep.Errors = append(s.rep.Errors, e) }

func (s *session) act(a Action) { s.rep.Actions = append(s.rep.Actions, a) }

// progress reports every 1000 steps or every second, and at the ends.
func (s *session) progress(phase string, done, total int) {
	if s.opt.Progress == nil || total == 0 {
		return
	}
	if done != 0 && done != total && done-s.lastN < 1000 && time.Since(s.last) < time.Second {
		return
	}
	s.last, s.lastN = time.Now(), done
	s.opt.Progress(Progress{Phase: phase, Done: done, Total: total})
}

// Import reads a file and brings the registry in line with it in one transaction: every
// record is created, changed or left alone, or, if any row has a problem, nothing is written
// and the report lists every problem with its row and column (the error is then the report's
// Errors). A dry run does the same and rolls back. Importing the same file twice changes
// nothing the second time.
func Import(ctx context.Context, db *store.DB, r io.Reader, opt Options) (rep *Report, err error) {
	data, err := io.ReadAll(io.LimitReader(r, maxInput))
	if err != nil {
		return nil, err
	}
	format, err := detect(data, opt.Name, opt.Format)
	if err != nil {
		return nil, err
	}
	rep = &Report{Format: format, Counts: map[string]map[string]int{}, DryRun: opt.DryRun}
	domains, err := db.Domains(ctx)
	if err != nil {
		return nil, err
	}
	countries, err := db.Countries(ctx)
	if err != nil {
		return nil, err
	}
	s := &session{db: db, opt: opt, rep: rep, vocab: NewVocab(domains, countries)}
	s.known = func(code string) bool {
		for _, c := range s.vocab.domains {
			if c == code {
				return true
			}
		}
		return false
	}
	s.src = twin.Source{Dataset: "import", Title: filepath.Base(opt.Name)}
	if opt.Name == "" {
		s.src.Title = "stdin"
	}
	var rows []*Row
	if format != FormatJSONL {
		t, err := readTable(data, format)
		if err != nil {
			var re *RowError
			if errors.As(err, &re) {
				rep.Errors = append(rep.Errors, re)
				return rep, rep.Errors
			}
			return rep, err
		}
		var errs Errors
		rows, errs = ParseTable(t, s.vocab)
		rep.Rows = len(t.Rows)
		rep.Errors = append(rep.Errors, errs...)
		if len(rows) > 0 && rows[0].Wikidata {
			s.src.Dataset = wikidataDataset
		}
	}
	err = db.Write(ctx, func(t *store.Tx) error {
		s.t = t
		var err error
		if format == FormatJSONL {
			err = s.importJSONL(ctx, data, countries)
		} else {
			err = s.importRows(ctx, rows)
		}
		if err != nil {
			return err
		}
		if len(rep.Errors) > 0 {
			return rep.Errors
		}
		if opt.DryRun {
			return errDryRun
		}
		return nil
	})
	rep.Errors.sort()
	sort.SliceStable(rep.Actions, func(i, j int) bool { return rep.Actions[i].Row < rep.Actions[j].Row })
	switch {
	case len(rep.Errors) > 0:
		return rep, rep.Errors
	case errors.Is(err, errDryRun):
		return rep, nil
	}
	return rep, err
}

// detect names the format of data: by the format asked for, else by its first bytes, else by
// the file's extension.
func detect(data []byte, name, format string) (string, error) {
	trimmed := bytes.TrimLeft(bytes.TrimPrefix(data, []byte("\uFEFF")), " \t\r\n")
	isJSON := len(trimmed) > 0 && trimmed[0] == '{'
	isZip := bytes.HasPrefix(data, []byte("PK\x03\x04"))
	isGzip := bytes.HasPrefix(data, []byte{0x1f, 0x8b})
	switch format {
	case "", FormatAuto:
	case FormatCSV, FormatXLSX, FormatJSONL:
		return format, nil
	case FormatWikidata:
		if isJSON {
			return "sparql-json", nil
		}
		return FormatCSV, nil
	default:
		return "", fmt.Errorf("unknown format %q (want auto, csv, xlsx, jsonl or wikidata)", format)
	}
	switch {
	case isZip:
		return FormatXLSX, nil
	case isGzip:
		return FormatJSONL, nil
	case isJSON:
		line, _, _ := bytes.Cut(trimmed, []byte("\n"))
		var probe map[string]json.RawMessage
		if json.Unmarshal(line, &probe) == nil && probe["type"] != nil {
			return FormatJSONL, nil
		}
		return "sparql-json", nil
	}
	switch strings.ToLower(filepath.Ext(name)) {
	case ".xlsx":
		return FormatXLSX, nil
	case ".jsonl", ".ndjson":
		return FormatJSONL, nil
	}
	return FormatCSV, nil
}

func readTable(data []byte, format string) (*Table, error) {
	switch format {
	case FormatXLSX:
		return ReadXLSX(bytes.NewReader(data))
	case "sparql-json":
		return ReadSPARQLJSON(bytes.NewReader(data))
	}
	return ReadCSV(bytes.NewReader(data))
}
