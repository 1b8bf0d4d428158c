package main

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"io"
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/twinning/twinning/internal/store"
	"github.com/twinning/twinning/internal/twin"
)

// startServe runs `twinning serve` through run, as main does, on a free port and the given
// database, and returns its base URL, what it printed, and a stop function that shuts it down
// gracefully and returns run's error.
func startServe(t *testing.T, db string) (string, *bytes.Buffer, func() error) {
	t.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	pr, pw := io.Pipe()
	var out bytes.Buffer
	e := &env{getenv: func(k string) string {
		if k == "TWINNING_ADMIN_TOKEN" {
			return "e2e-token-0123456789"
		}
		return ""
	}, stdin: strings.NewReader(""), stdout: pw, stderr: io.Discard}
	done := make(chan error, 1)
	go func() {
		done <- run(ctx, []string{"serve", "--addr", "127.0.0.1:0", "--db", db}, e)
		pw.Close()
	}()
	base := make(chan string, 1)
	go func() {
		sc := bufio.NewScanner(pr)
		for sc.Scan() {
			line := sc.Text()
			out.WriteString(line + "\n")
			if u, ok := strings.CutPrefix(line, "Twinning is running at "); ok {
				base <- strings.TrimSuffix(u, "/")
			}
		}
	}()
	select {
	case u := <-base:
		return u, &out, func() error { cancel(); return <-done }
	case err := <-done:
		cancel()
		t.Fatalf("serve stopped: %v\n%s", err, out.String())
	case <-time.After(5 * time.Minute):
		cancel()
		t.Fatal("serve did not start within 5 minutes")
	}
	return "", nil, nil
}

func getJSON(t *testing.T, u string, v any) {
	t.Helper()
	resp, err := http.Get(u)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	if resp.StatusCode != 200 {
		b, _ := io.ReadAll(resp.Body)
		t.Fatalf("GET %s = %d %s", u, resp.StatusCode, b)
	}
	if err := json.NewDecoder(resp.Body).Decode(v); err != nil {
		t.Fatal(err)
	}
}

// TestWorldEndToEnd starts the binary's serve on an empty database, as a newcomer would, and
// checks what the first start must show: Isfahan's official partners with their dates and
// states, names across scripts, a graceful stop, and a second start that loads nothing.
//
// It is not parallel: serve sets the process's soft memory limit (defaultMemoryLimit), and the
// first load should meet it as a server does, not beside other tests' heaps.
func TestWorldEndToEnd(t *testing.T) {
	if testing.Short() {
		t.Skip("loads the whole world dataset (about 20 s); runs without -short")
	}
	if raceEnabled {
		t.Skip("under the race detector loading the world takes minutes; .ci/run runs this test again without -race")
	}
	db := filepath.Join(t.TempDir(), "e2e.db")
	interruptFirstStart(t, db)
	base, out, stop := startServe(t, db)
	if !strings.Contains(out.String(), "First start: loading") {
		t.Errorf("the start after an interrupted first start did not load the dataset:\n%s", out)
	}

	var partners struct {
		Items []struct {
			Agreement struct {
				Status string `json:"status"`
				Signed *struct {
					Value, Precision string
				} `json:"signed"`
				Claims []json.RawMessage `json:"claims"`
			} `json:"agreement"`
			City struct {
				Wikidata string `json:"wikidata"`
			} `json:"city"`
		} `json:"items"`
	}
	getJSON(t, base+"/api/v1/cities/Q42053/partners", &partners)
	byQ := map[string]int{}
	for i, p := range partners.Items {
		byQ[p.City.Wikidata] = i
	}
	official := map[string]string{"Q5826": "1989-05-07", "Q1865": "1997-06-23", "Q2044": "1998-09-18", "Q46852": "1999-05-10",
		"Q1492": "2000-01-14", "Q1953": "2000-04-27", "Q35178": "2000-06-19", "Q2833": "2000-10-27", "Q1563": "2001-03-08",
		"Q11739": "2004-07-22", "Q656": "2004-11-10", "Q3718": "2009-11-25", "Q178835": "2010-10-05"}
	for q, date := range official {
		i, ok := byQ[q]
		if !ok {
			t.Errorf("Isfahan's official partner %s is missing", q)
			continue
		}
		a := partners.Items[i].Agreement
		if a.Status != "signed" || a.Signed == nil || a.Signed.Value != date || a.Signed.Precision != "day" {
			t.Errorf("Isfahan–%s = %s %+v, want signed on %s", q, a.Status, a.Signed, date)
		}
	}
	if i, ok := byQ["Q5753"]; !ok || partners.Items[i].Agreement.Status != "signed" || partners.Items[i].Agreement.Signed.Value != "2021-07" {
		t.Errorf("Isfahan–Samarkand is not signed in July 2021")
	}
	for _, q := range []string{"Q36433", "Q1361"} {
		if i, ok := byQ[q]; !ok || partners.Items[i].Agreement.Status != "proposed" {
			t.Errorf("Isfahan–%s is not planned", q)
		}
	}
	if i, ok := byQ["Q641"]; !ok || len(partners.Items[i].Agreement.Claims) == 0 {
		t.Errorf("Isfahan–Venice shows no disagreeing claims")
	}

	for want, queries := range map[string][]string{
		"Q5753":  {"Samarkand", "Samarqand", "Самарқанд", "Самарканд", "سمرقند", "سمرقنـــد"},
		"Q42053": {"Isfahan", "Esfahan", "Ispahan", "اصفهان"},
	} {
		for _, q := range queries {
			var res struct {
				Items []struct{ Wikidata string } `json:"items"`
			}
			getJSON(t, base+"/api/v1/cities?q="+url.QueryEscape(q), &res)
			if len(res.Items) == 0 || res.Items[0].Wikidata != want {
				t.Errorf("cities?q=%s does not list %s first: %+v", q, want, res.Items[:min(3, len(res.Items))])
			}
		}
	}

	var path struct {
		Path []struct{ Wikidata string } `json:"path"`
	}
	getJSON(t, base+"/api/v1/graph/path?from=Q42053&to=Q5753", &path)
	if len(path.Path) != 2 {
		t.Errorf("Isfahan→Samarkand path = %+v", path.Path)
	}

	if err := stop(); err != nil {
		t.Fatalf("graceful stop: %v", err)
	}
	base, out, stop = startServe(t, db)
	if strings.Contains(out.String(), "First start") {
		t.Errorf("the second start loaded the dataset again:\n%s", out)
	}
	resp, err := http.Get(base + "/healthz")
	if err != nil || resp.StatusCode != 200 {
		t.Errorf("healthz after restart: %v %v", resp, err)
	}
	if err := stop(); err != nil {
		t.Fatal(err)
	}
}

// interruptFirstStart starts `twinning serve` on an empty database and stops it (as Ctrl-C
// would) once it has loaded 10,000 cities: the registry is left without any of the bundle.
func interruptFirstStart(t *testing.T, db string) {
	t.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	pr, pw := io.Pipe()
	e := &env{getenv: func(string) string { return "" }, stdin: strings.NewReader(""), stdout: pw, stderr: io.Discard}
	done := make(chan error, 1)
	go func() {
		done <- run(ctx, []string{"serve", "--addr", "127.0.0.1:0", "--db", db}, e)
		pw.Close()
	}()
	var out strings.Builder
	sc := bufio.NewScanner(pr)
	for sc.Scan() {
		out.WriteString(sc.Text() + "\n")
		if strings.Contains(sc.Text(), "city") && strings.Contains(sc.Text(), "10000") {
			cancel()
		}
	}
	if err := <-done; err == nil || strings.Contains(out.String(), "Twinning is running") {
		t.Fatalf("the interrupted first start went on: %v\n%s", err, out.String())
	}
	reg, err := store.Open(context.Background(), db)
	if err != nil {
		t.Fatal(err)
	}
	defer reg.Close()
	for _, table := range []twin.Kind{twin.KindCity, twin.KindAgreement} {
		if n, err := reg.Count(context.Background(), table); n != 0 || err != nil {
			t.Errorf("after the interrupted first start: %d %s (%v)", n, table, err)
		}
	}
}

// TestExtractCommand reads the seed article through the command line, as the contract does.
func TestExtractCommand(t *testing.T) {
	t.Parallel()
	var out, errb bytes.Buffer
	e := &env{getenv: func(string) string { return "" }, stdin: strings.NewReader(""), stdout: &out, stderr: &errb}
	if err := run(context.Background(), []string{"extract", "../../internal/extract/testdata/isfahan-samarkand.fa.txt"}, e); err != nil {
		t.Fatalf("extract: %v %s", err, errb.String())
	}
	for _, q := range []string{"Q42053", "Q5753", "Q36433", "Q1361"} {
		if !strings.Contains(out.String(), `"`+q+`"`) {
			t.Errorf("the seed article's reading lacks %s", q)
		}
	}
	out.Reset()
	if err := run(context.Background(), []string{"extract", "/nonexistent/article.txt"}, e); err == nil {
		t.Error("a missing file is not an error")
	}
}

// TestHelpOnEveryVerb: every command answers --help without failing.
func TestHelpOnEveryVerb(t *testing.T) {
	t.Parallel()
	for name := range verbs {
		var out, errb bytes.Buffer
		e := &env{getenv: func(string) string { return "" }, stdin: strings.NewReader(""), stdout: &out, stderr: &errb}
		err := run(context.Background(), []string{name, "--help"}, e)
		if err != nil && exitCode(err) != 0 {
			t.Errorf("%s --help: %v", name, err)
		}
		if out.Len()+errb.Len() == 0 {
			t.Errorf("%s --help printed nothing", name)
		}
	}
}

// TestBackup copies a registry with the backup command and opens the copy.
func TestBackup(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	db := filepath.Join(dir, "live.db")
	var out, errb bytes.Buffer
	e := &env{getenv: func(string) string { return "" }, stdin: strings.NewReader(""), stdout: &out, stderr: &errb}
	if err := run(context.Background(), []string{"migrate", "--db", db}, e); err != nil {
		t.Fatal(err)
	}
	copyPath := filepath.Join(dir, "copy.db")
	if err := run(context.Background(), []string{"backup", "--db", db, copyPath}, e); err != nil {
		t.Fatalf("backup: %v %s", err, errb.String())
	}
	out.Reset()
	if err := run(context.Background(), []string{"migrate", "--db", copyPath}, e); err != nil || !strings.Contains(out.String(), "schema at version") {
		t.Fatalf("the copy does not open: %v %s", err, out.String())
	}
	if err := run(context.Background(), []string{"backup", "--db", db, copyPath}, e); err == nil {
		t.Error("a backup overwrote an existing file")
	}
}

// TestExtractWithRegistry: given a registry, the news reader knows its cities, even those the
// bundled world lacks.
func TestExtractWithRegistry(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	dsn := filepath.Join(t.TempDir(), "reg.db")
	db, err := store.Open(ctx, dsn)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := db.Migrate(ctx); err != nil {
		t.Fatal(err)
	}
	for _, c := range []*twin.City{
		{Names: twin.Names{"fa": "اصفهان", "en": "Isfahan"}, Country: "IR", Wikidata: "Q42053"},
		{Names: twin.Names{"fa": "زرین‌دشت نو", "en": "New Zarrindasht"}, Country: "IR"},
	} {
		if _, err := db.Cities.Create(ctx, c); err != nil {
			t.Fatal(err)
		}
	}
	db.Close()
	article := filepath.Join(t.TempDir(), "a.txt")
	os.WriteFile(article, []byte("شهرداران اصفهان و زرین‌دشت نو تفاهم‌نامه خواهرخواندگی امضا کردند."), 0o644)
	var out, errb bytes.Buffer
	e := &env{getenv: func(string) string { return "" }, stdin: strings.NewReader(""), stdout: &out, stderr: &errb}
	if err := run(ctx, []string{"extract", "--db", dsn, article}, e); err != nil {
		t.Fatalf("extract: %v %s", err, errb.String())
	}
	if !strings.Contains(out.String(), "New Zarrindasht") {
		t.Errorf("a registry-only city was not recognised:\n%s", out.String())
	}
}

// TestExtractCreatesNoDatabase: naming a database that does not exist reads with the bundled
// world and leaves no file behind.
func TestExtractCreatesNoDatabase(t *testing.T) {
	t.Parallel()
	dsn := filepath.Join(t.TempDir(), "absent.db")
	var out, errb bytes.Buffer
	e := &env{getenv: func(string) string { return "" }, stdin: strings.NewReader("اصفهان و سمرقند"), stdout: &out, stderr: &errb}
	if err := run(context.Background(), []string{"extract", "--db", dsn, "-"}, e); err != nil {
		t.Fatalf("extract: %v %s", err, errb.String())
	}
	if _, err := os.Stat(dsn); err == nil {
		t.Error("extract created a database")
	}
	if !strings.Contains(out.String(), "Q5753") {
		t.Errorf("the bundled world was not used: %s", out.String())
	}
}
