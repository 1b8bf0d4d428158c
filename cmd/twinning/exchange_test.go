package main

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestImportExportCommands: `twinning import` reads a file under a title and says what it
// did with the records the file names; `twinning export` says on standard error what it
// wrote and what the format could not hold, and the data alone goes to standard output.
func TestImportExportCommands(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	db := filepath.Join(dir, "x.db")
	file := filepath.Join(dir, "list.csv")
	os.WriteFile(file, []byte("Sister cities of Isfahan\n\n"+
		"city_a,city_a_country,city_a_lat,city_a_lon,city_b,city_b_country,city_b_lat,city_b_lon,signed\n"+
		"Isfahan,IR,32.65,51.67,Kuala Lumpur,MY,3.15,101.7,1997\n"+
		"Isfahan,IR,,,Freiburg,DE,,,2000-05\n"), 0o644)
	var out, errb bytes.Buffer
	e := &env{getenv: func(string) string { return "" }, stdin: strings.NewReader(""), stdout: &out, stderr: &errb}
	ctx := context.Background()
	if err := run(ctx, []string{"import", "--db", db, file}, e); err != nil {
		t.Fatalf("import: %v\n%s", err, errb.String())
	}
	if want := "csv, 2 rows\ncreated: 5 (3 cities, 2 agreements)\nchanged: 0\nunchanged: 0\n"; out.String() != want {
		t.Errorf("import said:\n%s\nwant:\n%s", out.String(), want)
	}
	out.Reset()
	errb.Reset()
	if err := run(ctx, []string{"export", "--db", db, "--format", "geojson"}, e); err != nil {
		t.Fatalf("export: %v\n%s", err, errb.String())
	}
	if !strings.HasPrefix(out.String(), `{"type":"FeatureCollection"`) {
		t.Errorf("standard output: %.80s", out.String())
	}
	if want := "wrote 2 cities, 1 agreement; left out 1 city without coordinates, 1 agreement with a city without coordinates\n"; errb.String() != want {
		t.Errorf("export said %q, want %q", errb.String(), want)
	}
	errb.Reset()
	ics := filepath.Join(dir, "isfahan.ics")
	if err := run(ctx, []string{"export", "--db", db, "--format", "ics", "--city", "1", "--out", ics}, e); err != nil {
		t.Fatalf("export: %v\n%s", err, errb.String())
	}
	b, _ := os.ReadFile(ics)
	if errb.String() != ics+": wrote nothing\n" || !strings.Contains(string(b), "BEGIN:VTIMEZONE") {
		t.Errorf("export said %q; the calendar:\n%s", errb.String(), b)
	}
	// FILE is written beside itself and renamed when whole: nothing else is left in the folder,
	// and a refused export leaves the previous FILE as it was.
	if err := run(ctx, []string{"export", "--db", db, "--format", "ics", "--city", "999", "--out", ics}, e); err == nil {
		t.Error("an export of an unknown city succeeded")
	}
	if b2, _ := os.ReadFile(ics); !bytes.Equal(b, b2) {
		t.Error("a refused export changed the previous file")
	}
	ents, _ := os.ReadDir(dir)
	for _, ent := range ents {
		if strings.Contains(ent.Name(), ".partial-") {
			t.Errorf("an export left %s behind", ent.Name())
		}
	}
}
