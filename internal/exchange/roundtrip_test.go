package exchange

import (
	"bytes"
	"context"
	"testing"

	"github.com/twinning/twinning/internal/twin"
)

// TestCSVRoundTrip: the CSV export imports back into the same registry without change, and
// into an empty one (with the countries) gives a registry that exports to the same CSV.
func TestCSVRoundTrip(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	db := openTest(t)
	load(t, db, fixture())
	csvOf := func(t *testing.T, d *Data) []byte {
		var buf bytes.Buffer
		if err := WriteCSV(&buf, d); err != nil {
			t.Fatal(err)
		}
		return buf.Bytes()
	}
	d, err := Gather(ctx, db, "", 0)
	if err != nil {
		t.Fatal(err)
	}
	first := csvOf(t, d)
	rep, err := Import(ctx, db, bytes.NewReader(first), Options{Name: "export.csv"})
	if err != nil || rep.Total(OpCreate)+rep.Total(OpChange) != 0 {
		t.Fatalf("importing the export into its registry: %v\n%s%v", err, rep.Summary(), rep.Actions)
	}
	fresh := openTest(t)
	load(t, fresh, &Data{Countries: fixture().Countries})
	if _, err := Import(ctx, fresh, bytes.NewReader(first), Options{Name: "export.csv"}); err != nil {
		t.Fatal(err)
	}
	d2, err := Gather(ctx, fresh, "", 0)
	if err != nil {
		t.Fatal(err)
	}
	if second := csvOf(t, d2); !bytes.Equal(first, second) {
		t.Fatalf("export → import → export differs:\n%s", firstDiff(string(first), string(second)))
	}
}

// TestJSONLIntoPopulatedRegistry: records whose ids the registry already uses get new ids and
// every reference follows them; the same file again changes nothing.
func TestJSONLIntoPopulatedRegistry(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	db := openTest(t)
	for _, n := range []string{"Tabriz", "Shiraz", "Yazd", "Kashan", "Qom"} {
		if _, err := db.Cities.Create(ctx, &twin.City{Names: twin.Names{"en": n}, Country: "IR"}); err != nil {
			t.Fatal(err)
		}
	}
	var buf bytes.Buffer
	WriteJSONL(&buf, fixture())
	file := buf.Bytes()
	rep, err := Import(ctx, db, bytes.NewReader(file), Options{Name: "fixture.jsonl"})
	if err != nil {
		t.Fatal(err)
	}
	if rep.Counts[OpCreate][TypeCity] != 4 {
		t.Fatalf("%s", rep.Summary())
	}
	khiva, err := db.Cities.List(ctx, twin.Filter{}.With(twin.FilterCountry, "UZ"))
	if err != nil || len(khiva.Items) != 2 {
		t.Fatalf("%v %v", khiva, err)
	}
	a, err := db.Agreements.Get(ctx, 3)
	if err != nil {
		t.Fatal(err)
	}
	if a.CityIDs[1] == 4 || a.Cities[1] != "9" {
		t.Errorf("Samarkand–Khiva points at %v %v, want Khiva's new id 9", a.Cities, a.CityIDs)
	}
	rep, err = Import(ctx, db, bytes.NewReader(file), Options{Name: "fixture.jsonl"})
	if err != nil || rep.Total(OpCreate)+rep.Total(OpChange) != 0 {
		t.Fatalf("second import: %v %s%v", err, rep.Summary(), rep.Actions)
	}
}
