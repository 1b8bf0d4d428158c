package main

import (
	"bytes"
	"context"
	"net"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// opsRun runs one command with the given environment and standard input.
func opsRun(ctx context.Context, vars map[string]string, stdin string, args ...string) (stdout, stderr string, err error) {
	var out, errb bytes.Buffer
	e := &env{getenv: func(k string) string { return vars[k] }, stdin: strings.NewReader(stdin), stdout: &out, stderr: &errb}
	err = run(ctx, args, e)
	return out.String(), errb.String(), err
}

// migrated makes a new, empty registry at db, as `twinning migrate` does.
func migrated(t *testing.T, db string) {
	t.Helper()
	if _, _, err := opsRun(context.Background(), nil, "", "migrate", "--db", db); err != nil {
		t.Fatal(err)
	}
}

// The help shows --db's default from TWINNING_DB: never with the password of the URL.
func TestHelpHidesDatabasePassword(t *testing.T) {
	t.Parallel()
	vars := map[string]string{"TWINNING_DB": "postgres://twin:s3cret-pw@db.example:5432/reg?sslmode=disable"}
	for _, verb := range []string{"serve", "export", "user", "backup", "restore"} {
		_, stderr, _ := opsRun(context.Background(), vars, "", verb, "--help")
		if strings.Contains(stderr, "s3cret-pw") {
			t.Errorf("%s --help shows the database password:\n%s", verb, stderr)
		}
		if !strings.Contains(stderr, "db.example:5432/reg") {
			t.Errorf("%s --help no longer names the database:\n%s", verb, stderr)
		}
	}
}

// A mistyped --db is refused by the commands that work on an existing registry, and no file
// appears under the mistyped name.
func TestMissingDatabaseRefusedNotCreated(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	ctx := context.Background()
	missing := filepath.Join(dir, "typo.db")
	data := filepath.Join(dir, "rows.csv")
	os.WriteFile(data, []byte("city_a,city_a_country,city_b,city_b_country\nIsfahan,IR,Samarkand,UZ\n"), 0o600)
	for _, args := range [][]string{
		{"export", "--format", "csv"},
		{"backup", filepath.Join(dir, "copy.db")},
		{"user", "list"},
		{"user", "add", "alice", "--role", "admin"},
		{"token", "list"},
		{"feeds", "list"},
		{"import", "--dry-run", data},
	} {
		_, _, err := opsRun(ctx, nil, "a long enough password\n", append(args, "--db", missing)...)
		if err == nil || !strings.Contains(err.Error(), "no database at") {
			t.Errorf("%q on a missing database: %v", args, err)
		}
		if ents, _ := os.ReadDir(dir); len(ents) != 1 {
			t.Fatalf("%q left files behind: %v", args, ents)
		}
	}
}

// A backup interrupted leaves nothing at FILE (nor a partial file beside it) that a later
// restore could take for a backup.
func TestInterruptedBackupLeavesNothing(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	src := filepath.Join(dir, "twinning.db")
	migrated(t, src)
	// Interrupted while the copy is half written (what Ctrl-C does to VACUUM INTO or pg_dump).
	ctx, cancel := context.WithCancel(context.Background())
	err := writeThenRename(ctx, filepath.Join(dir, "copy.db"), func(tmp string) error {
		os.WriteFile(tmp, []byte("SQLite format 3\x00half"), 0o600)
		os.WriteFile(tmp+"-journal", []byte("hot"), 0o600)
		cancel()
		return ctx.Err()
	})
	if err == nil || !strings.Contains(err.Error(), "nothing was written") {
		t.Errorf("an interrupted backup: %v", err)
	}
	ents, _ := os.ReadDir(dir)
	for _, e := range ents {
		if strings.HasPrefix(e.Name(), "copy.db") {
			t.Errorf("an interrupted backup left %s", e.Name())
		}
	}
	// The same backup, not interrupted, is whole under its name and restores.
	if _, _, err := opsRun(context.Background(), nil, "", "backup", "--db", src, filepath.Join(dir, "copy.db")); err != nil {
		t.Fatal(err)
	}
	if _, _, err := opsRun(context.Background(), nil, "", "restore", "--db", filepath.Join(dir, "back.db"), filepath.Join(dir, "copy.db")); err != nil {
		t.Errorf("the backup does not restore: %v", err)
	}
}

// user add says a wrong role or a missing scope before it asks for a password, and adds
// nobody.
func TestUserAddChecksRoleBeforePassword(t *testing.T) {
	t.Parallel()
	db := filepath.Join(t.TempDir(), "twinning.db")
	ctx := context.Background()
	migrated(t, db)
	for _, tc := range []struct {
		args []string
		want string
	}{
		{[]string{"--role", "wizard"}, "role: invalid_choice (wizard), one of: admin,"},
		{[]string{"--role", "city"}, "cities: required"},
	} {
		_, _, err := opsRun(ctx, nil, "", append([]string{"user", "add", "ed", "--db", db}, tc.args...)...)
		if err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("user add ed %q: %v; want %q", tc.args, err, tc.want)
		}
	}
	out, _, err := opsRun(ctx, nil, "", "user", "list", "--db", db)
	if err != nil || strings.Contains(out, "ed") {
		t.Errorf("after refused adds: %q %v", out, err)
	}
}

// A backup goes back into the engine it came from; the other engine refuses it by name
// before touching anything, and a SQLite copy interrupted half-way (its journal beside it)
// is refused as such.
func TestRestoreRefusesOtherEngine(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	ctx := context.Background()
	dump := filepath.Join(dir, "pg.dump")
	os.WriteFile(dump, append([]byte("PGDMP\x01\x0f\x00"), make([]byte, 64)...), 0o600)
	target := filepath.Join(dir, "twinning.db")
	if _, _, err := opsRun(ctx, nil, "", "restore", "--db", target, dump); err == nil || !strings.Contains(err.Error(), "is a PostgreSQL backup") {
		t.Errorf("a pg_dump archive restored as SQLite: %v", err)
	}
	src := filepath.Join(dir, "src.db")
	migrated(t, src)
	copyPath := filepath.Join(dir, "copy.db")
	if _, _, err := opsRun(ctx, nil, "", "backup", "--db", src, copyPath); err != nil {
		t.Fatal(err)
	}
	// Port 1 of loopback: the refusal comes before any connection is tried.
	if _, _, err := opsRun(ctx, nil, "", "restore", "--db", "postgres://u@127.0.0.1:1/none?sslmode=disable", copyPath); err == nil || !strings.Contains(err.Error(), "is a SQLite backup") {
		t.Errorf("a SQLite backup restored into PostgreSQL: %v", err)
	}
	// A file that is no database is refused in the operator's words, with no internal names.
	text := filepath.Join(dir, "notes.txt")
	os.WriteFile(text, []byte("not a backup at all, only some words\n"), 0o600)
	if _, _, err := opsRun(ctx, nil, "", "restore", "--db", target, text); err == nil ||
		!strings.Contains(err.Error(), text+" is not a SQLite database") || strings.Contains(err.Error(), "CheckBackup") {
		t.Errorf("a text file to restore: %v", err)
	}
	os.WriteFile(copyPath+"-journal", []byte("hot"), 0o600)
	if _, _, err := opsRun(ctx, nil, "", "restore", "--db", target, copyPath); err == nil || !strings.Contains(err.Error(), "interrupted half-way") {
		t.Errorf("a copy with its journal beside it: %v", err)
	}
	if _, err := os.Stat(target); err == nil {
		t.Error("a refused restore left a database behind")
	}
}

// serve says a bad --addr, a port in use or a bad --public-url before it touches the
// database: no registry is made (nor the world loaded) for a server that cannot run.
func TestServeRefusesBadAddressBeforeDatabase(t *testing.T) {
	t.Parallel()
	busy, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer busy.Close()
	db := filepath.Join(t.TempDir(), "twinning.db")
	for _, tc := range []struct {
		args []string
		want string
	}{
		{[]string{"--addr", "nohost"}, "--addr"},
		{[]string{"--addr", busy.Addr().String()}, "address already in use"},
		{[]string{"--addr", "127.0.0.1:0", "--public-url", "twinning.example.org"}, "--public-url"},
	} {
		_, _, err := opsRun(context.Background(), nil, "", append([]string{"serve", "--db", db, "--log-format", "text"}, tc.args...)...)
		if err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("serve %q: %v; want %q", tc.args, err, tc.want)
		}
		if _, err := os.Stat(db); err == nil {
			t.Fatalf("serve %q made the database before refusing", tc.args)
		}
	}
}

// cancelAtEOF hands out a file and cancels the command's context once it has been read
// whole: the import is interrupted before it can write.
type cancelAtEOF struct {
	r      *strings.Reader
	cancel context.CancelFunc
}

func (c cancelAtEOF) Read(p []byte) (int, error) {
	n, err := c.r.Read(p)
	if err != nil {
		c.cancel()
	}
	return n, err
}

// An interrupted import says so, writes nothing, and prints no summary of what it had counted
// (which read as a success: "created: 6775").
func TestInterruptedImportPrintsNoSummary(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	db := filepath.Join(dir, "twinning.db")
	migrated(t, db)
	file, err := os.ReadFile("../../internal/exchange/testdata/fixture.jsonl")
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	var out, errb bytes.Buffer
	e := &env{getenv: func(string) string { return "" }, stdin: cancelAtEOF{strings.NewReader(string(file)), cancel}, stdout: &out, stderr: &errb}
	err = run(ctx, []string{"import", "--db", db, "-"}, e)
	if err == nil || !strings.Contains(err.Error(), "nothing was written") {
		t.Errorf("an interrupted import: %v", err)
	}
	if strings.Contains(out.String(), "created") {
		t.Errorf("an interrupted import printed a summary:\n%s", out.String())
	}
	stdout, _, err := opsRun(context.Background(), nil, "", "export", "--db", db, "--format", "jsonl")
	if err != nil {
		t.Fatal(err)
	}
	if strings.Contains(stdout, `"type":"city"`) {
		t.Error("an interrupted import wrote cities")
	}
}

// health asked of something that is not a Twinning server says so, and prints no "null".
func TestHealthOfAnotherProgram(t *testing.T) {
	t.Parallel()
	other := httptest.NewServer(http.NotFoundHandler())
	defer other.Close()
	stdout, _, err := opsRun(context.Background(), nil, "", "health", "--addr", strings.TrimPrefix(other.URL, "http://"))
	if err == nil || !strings.Contains(err.Error(), "not Twinning's health document") || stdout != "" {
		t.Errorf("health of a plain 404: %q %v", stdout, err)
	}
}

// feeds add spells out what is wrong with its input: the value and the choices.
func TestFeedsAddSaysWhatIsWrong(t *testing.T) {
	t.Parallel()
	db := filepath.Join(t.TempDir(), "twinning.db")
	migrated(t, db)
	_, _, err := opsRun(context.Background(), nil, "", "feeds", "add", "https://news.example/rss", "--lang", "de", "--db", db)
	if err == nil || !strings.Contains(err.Error(), "lang: invalid_choice (de), one of: fa, en") {
		t.Errorf("feeds add --lang de: %v", err)
	}
}
