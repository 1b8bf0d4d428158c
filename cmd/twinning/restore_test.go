package main

import (
	"bytes"
	"context"
	"database/sql"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/twinning/twinning/internal/exchange"
	"github.com/twinning/twinning/internal/store"
	"github.com/twinning/twinning/internal/store/storetest"
	"github.com/twinning/twinning/internal/twin"
)

func restoreEnv(out, errb *bytes.Buffer) *env {
	return &env{getenv: func(string) string { return "" }, stdin: strings.NewReader(""), stdout: out, stderr: errb}
}

// snapshot is every record of the registry, as JSON Lines, for comparing two registries.
func snapshot(t *testing.T, dsn string) string {
	t.Helper()
	ctx := context.Background()
	db, err := store.Open(ctx, dsn)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	d, err := exchange.Gather(ctx, db, "", 0)
	if err != nil {
		t.Fatal(err)
	}
	var b bytes.Buffer
	if err := exchange.Write(&b, "jsonl", d, "en"); err != nil {
		t.Fatal(err)
	}
	users, err := db.Users(ctx)
	if err != nil {
		t.Fatal(err)
	}
	for _, u := range users {
		b.WriteString("user " + u.Name + " " + string(u.Role) + "\n")
	}
	return b.String()
}

// seedRegistry writes two cities and an agreement between them.
func seedRegistry(t *testing.T, db *store.DB) (*twin.City, *twin.Agreement) {
	t.Helper()
	ctx := twin.WithActor(context.Background(), "test")
	lat, lon := 32.6, 51.6
	a, err := db.Cities.Create(ctx, &twin.City{Names: twin.Names{"fa": "اصفهان", "en": "Isfahan"}, Country: "IR", Wikidata: "Q42053", Lat: &lat, Lon: &lon})
	if err != nil {
		t.Fatal(err)
	}
	_, err = db.Cities.Create(ctx, &twin.City{Names: twin.Names{"fa": "سمرقند", "en": "Samarkand"}, Country: "UZ", Wikidata: "Q5753"})
	if err != nil {
		t.Fatal(err)
	}
	ag, err := db.Agreements.Create(ctx, &twin.Agreement{Cities: []string{"Q42053", "Q5753"}, Kind: "sister", Status: "signed"})
	if err != nil {
		t.Fatal(err)
	}
	return a, ag
}

// Backup, change, restore: the registry is again exactly what the backup held, and the one
// it replaced is kept.
func TestRestoreSQLite(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	dsn := filepath.Join(dir, "twinning.db")
	ctx := twin.WithActor(context.Background(), "test")
	db, err := store.Open(ctx, dsn)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := db.Migrate(ctx); err != nil {
		t.Fatal(err)
	}
	city, ag := seedRegistry(t, db)
	db.Close()
	want := snapshot(t, dsn)

	var out, errb bytes.Buffer
	backup := filepath.Join(dir, "backup.db")
	if err := run(ctx, []string{"backup", "--db", dsn, backup}, restoreEnv(&out, &errb)); err != nil {
		t.Fatalf("backup: %v %s", err, errb.String())
	}
	// Change everything a restore must undo: a new city, an edit, a delete.
	db, err = store.Open(ctx, dsn)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := db.Cities.Create(ctx, &twin.City{Names: twin.Names{"en": "Porto"}, Country: "PT", Wikidata: "Q36433"}); err != nil {
		t.Fatal(err)
	}
	if _, err := db.Cities.Update(ctx, city.ID, city.Version, func(c *twin.City) error { c.Names["en"] = "Esfahan"; return nil }); err != nil {
		t.Fatal(err)
	}
	if err := db.Agreements.Delete(ctx, ag.ID, ag.Version); err != nil {
		t.Fatal(err)
	}
	db.Close()
	if snapshot(t, dsn) == want {
		t.Fatal("the changes did not change the snapshot: the comparison proves nothing")
	}

	// A server holding the file: restore refuses and changes nothing.
	release, ok, err := lockFile(dsn, false)
	if err != nil || !ok {
		t.Fatal(err)
	}
	changed := snapshot(t, dsn)
	err = run(ctx, []string{"restore", "--db", dsn, backup}, restoreEnv(&out, &errb))
	release()
	if err == nil || !strings.Contains(err.Error(), "stop it") {
		t.Fatalf("restore under a running server: %v", err)
	}
	if snapshot(t, dsn) != changed {
		t.Fatal("a refused restore changed the registry")
	}

	out.Reset()
	if err := run(ctx, []string{"restore", backup, "--db", dsn}, restoreEnv(&out, &errb)); err != nil {
		t.Fatalf("restore: %v %s", err, errb.String())
	}
	if got := snapshot(t, dsn); got != want {
		t.Errorf("restored registry differs from the backup:\n got %s\nwant %s", got, want)
	}
	kept, _ := filepath.Glob(dsn + ".pre-restore-*")
	if len(kept) == 0 {
		t.Fatalf("the replaced registry was not kept; restore said %q", out.String())
	}
	if !strings.Contains(snapshot(t, kept[0]), "Porto") {
		t.Error("the kept registry is not the one replaced")
	}
}

func TestRestoreRefusesNewerSchemaAndNonsense(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	ctx := context.Background()
	backup := filepath.Join(dir, "future.db")
	db, err := store.Open(ctx, backup)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := db.Migrate(ctx); err != nil {
		t.Fatal(err)
	}
	if err := db.Exec(ctx, "INSERT INTO schema_migrations (version, name, applied) VALUES (9999, '9999_future.sql', '2030-01-01')"); err != nil {
		t.Fatal(err)
	}
	db.Close()
	target := filepath.Join(dir, "twinning.db")
	var out, errb bytes.Buffer
	err = run(ctx, []string{"restore", "--db", target, backup}, restoreEnv(&out, &errb))
	if err == nil || !strings.Contains(err.Error(), "9999") {
		t.Errorf("a backup from a newer schema: %v", err)
	}
	junk := filepath.Join(dir, "junk.db")
	os.WriteFile(junk, []byte("not a database at all, just words"), 0o600)
	if err := run(ctx, []string{"restore", "--db", target, junk}, restoreEnv(&out, &errb)); err == nil {
		t.Error("a file that is no database was restored")
	}
	if _, err := os.Stat(target); err == nil {
		t.Error("a refused restore left a database behind")
	}
}

// On PostgreSQL: pg_dump, change, pg_restore into a new empty database, compare.
func TestRestorePostgres(t *testing.T) {
	if storetest.Engine() != "postgres" {
		t.Skip("TWINNING_TEST_POSTGRES is not set")
	}
	for _, tool := range []string{"pg_dump", "pg_restore"} {
		if _, err := exec.LookPath(tool); err != nil {
			t.Skipf("%s is not installed", tool)
		}
	}
	ctx := context.Background()
	src := storetest.DSN(t)
	db, err := store.Open(ctx, src)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := db.Migrate(ctx); err != nil {
		t.Fatal(err)
	}
	seedRegistry(t, db)
	db.Close()
	want := snapshot(t, src)

	dir := t.TempDir()
	backup := filepath.Join(dir, "pg.dump")
	var out, errb bytes.Buffer
	if err := run(ctx, []string{"backup", "--db", src, backup}, restoreEnv(&out, &errb)); err != nil {
		t.Fatalf("backup: %v %s", err, errb.String())
	}
	// A new database to restore into; the dump recreates the source's schema there.
	base := os.Getenv("TWINNING_TEST_POSTGRES")
	name := fmt.Sprintf("twinning_restore_%d_%d", os.Getpid(), time.Now().UnixNano())
	admin, err := sql.Open("pgx", base)
	if err != nil {
		t.Fatal(err)
	}
	defer admin.Close()
	if _, err := admin.ExecContext(ctx, "DROP DATABASE IF EXISTS "+name+" WITH (FORCE)"); err != nil {
		t.Fatal(err)
	}
	if _, err := admin.ExecContext(ctx, "CREATE DATABASE "+name); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { admin.ExecContext(context.Background(), "DROP DATABASE IF EXISTS "+name+" WITH (FORCE)") })
	target := strings.Replace(base, "/"+dbName(base)+"?", "/"+name+"?", 1)
	if target == base {
		t.Fatalf("cannot derive a database URL from %s", base)
	}
	if err := run(ctx, []string{"restore", "--db", target, backup}, restoreEnv(&out, &errb)); err != nil {
		t.Fatalf("restore: %v %s", err, errb.String())
	}
	schema := src[strings.Index(src, "search_path=")+len("search_path="):]
	if got := snapshot(t, target+"&search_path="+schema); got != want {
		t.Errorf("restored registry differs:\n got %s\nwant %s", got, want)
	}
	// Restoring again into the now full database is refused.
	if err := run(ctx, []string{"restore", "--db", target + "&search_path=" + schema, backup}, restoreEnv(&out, &errb)); err == nil || !strings.Contains(err.Error(), "already holds tables") {
		t.Errorf("restore into a full database: %v", err)
	}
}

// dbName is the database a postgres:// URL names.
func dbName(u string) string {
	rest := u[strings.Index(u, "://")+3:]
	rest = rest[strings.Index(rest, "/")+1:]
	name, _, _ := strings.Cut(rest, "?")
	return name
}
