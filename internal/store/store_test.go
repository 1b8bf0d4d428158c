package store

import (
	"context"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/twinning/twinning/internal/twin"
)

var pgSchemaSeq atomic.Int64

// openTest opens a fresh, migrated registry: a SQLite file in a temporary folder, or, when
// TWINNING_TEST_POSTGRES holds a connection URL, a fresh schema in that PostgreSQL database.
// The suite runs the same tests on both; in CI a missing PostgreSQL fails the run.
func openTest(t testing.TB) *DB {
	t.Helper()
	ctx := context.Background()
	dsn := filepath.Join(t.TempDir(), "test.db")
	if pg := os.Getenv("TWINNING_TEST_POSTGRES"); pg != "" {
		schema := fmt.Sprintf("t%d_%d", os.Getpid(), pgSchemaSeq.Add(1))
		admin, err := Open(ctx, pg)
		if err != nil {
			t.Fatalf("TWINNING_TEST_POSTGRES is set but PostgreSQL is unreachable: %v", err)
		}
		if _, err := admin.w.ExecContext(ctx, "DROP SCHEMA IF EXISTS "+schema+" CASCADE; CREATE SCHEMA "+schema); err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() {
			admin.w.ExecContext(context.Background(), "DROP SCHEMA IF EXISTS "+schema+" CASCADE")
			admin.Close()
		})
		sep := "?"
		if strings.Contains(pg, "?") {
			sep = "&"
		}
		dsn = pg + sep + "search_path=" + schema
	}
	db, err := Open(ctx, dsn)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	if _, err := db.Migrate(ctx); err != nil {
		t.Fatal(err)
	}
	return db
}

func fptr(f float64) *float64 { return &f }

func mkCity(t testing.TB, db *DB, fa, en, country, qid string) *twin.City {
	t.Helper()
	c, err := db.Cities.Create(context.Background(), &twin.City{Names: twin.Names{"fa": fa, "en": en}, Country: country, Wikidata: qid, Lat: fptr(32), Lon: fptr(51)})
	if err != nil {
		t.Fatalf("create %s: %v", en, err)
	}
	return c
}

// mkTexts makes Isfahan, Samarkand, an agreement between them and under it an activity for
// each of docs (its name as the English title, its text as the Persian description); it
// returns each activity's name by id.
func mkTexts(t testing.TB, db *DB, docs map[string]string) map[int64]string {
	t.Helper()
	ctx := context.Background()
	mkCity(t, db, "اصفهان", "Isfahan", "IR", "Q42053")
	mkCity(t, db, "سمرقند", "Samarkand", "UZ", "Q5753")
	a, err := db.Agreements.Create(ctx, &twin.Agreement{Cities: []string{"Q42053", "Q5753"}, Status: "signed"})
	if err != nil {
		t.Fatal(err)
	}
	ids := map[int64]string{}
	for name, text := range docs {
		act, err := db.Activities.Create(ctx, &twin.Activity{Agreement: a.ID, Kind: "event", Title: twin.Names{"en": name}, Description: twin.Names{"fa": text}})
		if err != nil {
			t.Fatal(err)
		}
		ids[act.ID] = name
	}
	return ids
}

func TestEngineUnderTest(t *testing.T) {
	t.Parallel()
	db := openTest(t)
	t.Logf("store suite running on %s", db.Dialect())
	if os.Getenv("TWINNING_TEST_POSTGRES") != "" && db.Dialect() != "postgres" {
		t.Fatal("TWINNING_TEST_POSTGRES is set but the suite is not on PostgreSQL")
	}
}

func TestCityCRUD(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	db := openTest(t)
	c := mkCity(t, db, "اصفهان", "Isfahan", "IR", "q42053")
	if c.ID == 0 || c.Version != 1 || c.Wikidata != "Q42053" {
		t.Fatalf("created city = %+v", c)
	}
	got, err := db.City(ctx, "Q42053")
	if err != nil || got.ID != c.ID || got.Names["fa"] != "اصفهان" {
		t.Fatalf("City(Q42053) = %+v, %v", got, err)
	}
	if _, err := db.City(ctx, fmt.Sprint(c.ID)); err != nil {
		t.Fatalf("by internal id: %v", err)
	}
	if _, err := db.City(ctx, "Q1"); twin.ErrorCode(err) != twin.ENOTFOUND {
		t.Fatalf("unknown city: %v", err)
	}
	// A second city with the same Wikidata id is a conflict.
	_, err = db.Cities.Create(ctx, &twin.City{Names: twin.Names{"en": "Dup"}, Country: "IR", Wikidata: "Q42053"})
	if twin.ErrorCode(err) != twin.ECONFLICT {
		t.Fatalf("duplicate wikidata: %v", err)
	}
	up, err := db.Cities.Update(ctx, c.ID, 1, func(c *twin.City) error { c.Population = 2000000; return nil })
	if err != nil || up.Version != 2 || up.Population != 2000000 {
		t.Fatalf("update: %+v %v", up, err)
	}
	_, err = db.Cities.Update(ctx, c.ID, 1, func(c *twin.City) error { c.Population = 1; return nil })
	if twin.ErrorCode(err) != twin.EPRECONDITION {
		t.Fatalf("stale update: %v", err)
	}
	if got, _ := db.Cities.Get(ctx, c.ID); got.Population != 2000000 {
		t.Fatalf("stale update wrote: %d", got.Population)
	}
	h, err := db.Cities.History(ctx, c.ID)
	if err != nil || len(h) != 2 || h[1].Action != "update" || !strings.Contains(string(h[1].Before), `"version":1`) {
		t.Fatalf("history: %+v %v", h, err)
	}
	if err := db.Cities.Delete(ctx, c.ID, 0); err != nil {
		t.Fatal(err)
	}
	if _, err := db.Cities.Get(ctx, c.ID); twin.ErrorCode(err) != twin.ENOTFOUND {
		t.Fatalf("deleted city still readable: %v", err)
	}
	if err := db.Cities.Restore(ctx, c.ID); err != nil {
		t.Fatal(err)
	}
	if _, err := db.Cities.Get(ctx, c.ID); err != nil {
		t.Fatalf("restored: %v", err)
	}
}

func TestCityValidation(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	db := openTest(t)
	for _, tc := range []struct {
		name  string
		city  twin.City
		field string
	}{
		{"no names", twin.City{Country: "IR"}, "names"},
		{"bad country", twin.City{Names: twin.Names{"en": "X"}, Country: "ZZ"}, "country"},
		{"bad language", twin.City{Names: twin.Names{"not a tag!": "X"}, Country: "IR"}, "names.not a tag!"},
		{"lat without lon", twin.City{Names: twin.Names{"en": "X"}, Country: "IR", Lat: fptr(1)}, "lat"},
		{"lat range", twin.City{Names: twin.Names{"en": "X"}, Country: "IR", Lat: fptr(91), Lon: fptr(0)}, "lat"},
		{"bad qid", twin.City{Names: twin.Names{"en": "X"}, Country: "IR", Wikidata: "X12"}, "wikidata"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, err := db.Cities.Create(ctx, &tc.city)
			if twin.ErrorCode(err) != twin.EINVALID {
				t.Fatalf("err = %v", err)
			}
			if _, ok := twin.ErrorFields(err)[tc.field]; !ok {
				t.Fatalf("fields = %v, want %s", twin.ErrorFields(err), tc.field)
			}
		})
	}
	if n, _ := db.Count(ctx, twin.KindCity); n != 0 {
		t.Fatalf("invalid input wrote %d cities", n)
	}
}

func TestAgreementLifecycle(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	db := openTest(t)
	isf := mkCity(t, db, "اصفهان", "Isfahan", "IR", "Q42053")
	sam := mkCity(t, db, "سمرقند", "Samarkand", "UZ", "Q5753")
	sd := twin.PartialDate{Calendar: "jalali", Value: "1400-04-30"}
	a, err := db.Agreements.Create(ctx, &twin.Agreement{Cities: []string{"Q42053", fmt.Sprint(sam.ID)}, Kind: "sister", Status: "signed", Signed: &sd, Domains: []string{"archaeology", "tourism"}})
	if err != nil {
		t.Fatal(err)
	}
	got, err := db.Agreements.Get(ctx, a.ID)
	if err != nil {
		t.Fatal(err)
	}
	if got.Signed.Start != "2021-07-21" || got.Signed.Precision != "day" {
		t.Fatalf("signed = %+v", got.Signed)
	}
	if got.Cities[0] != "Q42053" || got.Cities[1] != "Q5753" || got.CityIDs[0] != isf.ID {
		t.Fatalf("cities = %v %v", got.Cities, got.CityIDs)
	}
	ps, err := db.Partners(ctx, isf.ID)
	if err != nil || len(ps) != 1 || ps[0].City.ID != sam.ID {
		t.Fatalf("partners = %+v %v", ps, err)
	}
	// Legal status moves: signed → rejected is not allowed; signed → suspended is.
	_, err = db.Agreements.Update(ctx, a.ID, got.Version, func(a *twin.Agreement) error { a.Status = "rejected"; return nil })
	if _, ok := twin.ErrorFields(err)["status"]; !ok {
		t.Fatalf("signed→rejected: %v", err)
	}
	if _, err = db.Agreements.Update(ctx, a.ID, got.Version, func(a *twin.Agreement) error { a.Status = "suspended"; return nil }); err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		name  string
		a     twin.Agreement
		field string
	}{
		{"impossible date", twin.Agreement{Cities: []string{"Q42053", "Q5753"}, Status: "signed", Signed: &twin.PartialDate{Calendar: "jalali", Value: "1404-12-30"}}, "signed"},
		{"unknown city", twin.Agreement{Cities: []string{"Q42053", "Q999999999"}, Status: "signed"}, "cities[1]"},
		{"same city", twin.Agreement{Cities: []string{"Q42053", fmt.Sprint(isf.ID)}, Status: "signed"}, "cities"},
		{"one city", twin.Agreement{Cities: []string{"Q42053"}, Status: "signed"}, "cities"},
		{"unknown domain", twin.Agreement{Cities: []string{"Q42053", "Q5753"}, Status: "signed", Domains: []string{"alchemy"}}, "domains[0]"},
		{"bad status", twin.Agreement{Cities: []string{"Q42053", "Q5753"}, Status: "married"}, "status"},
		{"ended before signed", twin.Agreement{Cities: []string{"Q42053", "Q5753"}, Status: "ended", Signed: &twin.PartialDate{Calendar: "gregorian", Value: "2021"}, Ended: &twin.PartialDate{Calendar: "gregorian", Value: "2019"}}, "ended"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, err := db.Agreements.Create(ctx, &tc.a)
			if _, ok := twin.ErrorFields(err)[tc.field]; !ok {
				t.Fatalf("err = %v, want a problem with %s", err, tc.field)
			}
		})
	}
	if n, _ := db.Count(ctx, twin.KindAgreement); n != 1 {
		t.Fatalf("bad input wrote agreements: %d", n)
	}
}

func TestListPagination(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	db := openTest(t)
	for i := range 7 {
		mkCity(t, db, fmt.Sprintf("شهر%d", i), fmt.Sprintf("Town %d", i), "IR", "")
	}
	mkCity(t, db, "تاشکند", "Tashkent", "UZ", "")
	var all []string
	f := twin.Filter{Limit: 3}.With(twin.FilterCountry, "IR")
	for {
		p, err := db.Cities.List(ctx, f)
		if err != nil {
			t.Fatal(err)
		}
		for _, c := range p.Items {
			all = append(all, c.Names["en"])
		}
		if p.Next == "" {
			break
		}
		f.After = p.Next
	}
	if len(all) != 7 || all[0] != "Town 0" || all[6] != "Town 6" {
		t.Fatalf("pages gave %v", all)
	}
}

func TestRelatedRecords(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	db := openTest(t)
	mkCity(t, db, "اصفهان", "Isfahan", "IR", "Q42053")
	mkCity(t, db, "سمرقند", "Samarkand", "UZ", "Q5753")
	a, err := db.Agreements.Create(ctx, &twin.Agreement{Cities: []string{"Q42053", "Q5753"}, Status: "signed"})
	if err != nil {
		t.Fatal(err)
	}
	u1, err := db.Institutions.Create(ctx, &twin.Institution{Names: twin.Names{"fa": "دانشگاه اصفهان", "en": "University of Isfahan"}, Type: "university", City: "Q42053"})
	if err != nil {
		t.Fatal(err)
	}
	u2, err := db.Institutions.Create(ctx, &twin.Institution{Names: twin.Names{"en": "Samarkand State University"}, Type: "university", City: "Q5753"})
	if err != nil {
		t.Fatal(err)
	}
	l, err := db.Links.Create(ctx, &twin.Link{Institutions: []int64{u1.ID, u2.ID}, Agreement: a.ID, Domains: []string{"archaeology"}})
	if err != nil {
		t.Fatal(err)
	}
	act, err := db.Activities.Create(ctx, &twin.Activity{Agreement: a.ID, Link: l.ID, Kind: "event", Title: twin.Names{"fa": "جشنواره فیلم کودک"},
		Start: &twin.PartialDate{Calendar: "gregorian", Value: "2021-10"}, Domains: []string{"film"}})
	if err != nil {
		t.Fatal(err)
	}
	if act.Start.End != "2021-10-31" {
		t.Fatalf("activity start = %+v", act.Start)
	}
	if _, err := db.Activities.Create(ctx, &twin.Activity{Agreement: 9999, Kind: "event", Title: twin.Names{"en": "x"}}); twin.ErrorFields(err)["agreement"].Key != twin.KeyUnknownRecord {
		t.Fatalf("activity under a missing agreement: %v", err)
	}
	p, err := db.Activities.List(ctx, twin.Filter{}.With(twin.FilterCity, u1.CityID))
	if err != nil || len(p.Items) != 1 {
		t.Fatalf("activities of Isfahan: %v %v", p.Items, err)
	}
	n, err := db.Networks.Create(ctx, &twin.Network{Names: twin.Names{"en": "ECO cities"}, Kind: "city_network", Members: []twin.Member{{City: "Q42053"}, {City: "Q5753"}}})
	if err != nil {
		t.Fatal(err)
	}
	np, err := db.Networks.List(ctx, twin.Filter{}.With(twin.FilterCity, u2.CityID))
	if err != nil || len(np.Items) != 1 || np.Items[0].ID != n.ID {
		t.Fatalf("networks of Samarkand: %v %v", np.Items, err)
	}
	if _, err := db.People.Create(ctx, &twin.Person{Names: twin.Names{"fa": "عظیم منوراف"}, Titles: []twin.Title{{Title: twin.Names{"fa": "رئیس مرکز تمدن اسلامی ازبکستان"}}}}); err != nil {
		t.Fatal(err)
	}
	if _, err := db.Proposals.Create(ctx, &twin.Proposal{Title: twin.Names{"fa": "تبادل دانشجو"}, Agreement: a.ID}); err != nil {
		t.Fatal(err)
	}
}

func TestSearchFindsNames(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	db := openTest(t)
	sam := mkCity(t, db, "سمرقند", "Samarkand", "UZ", "Q5753")
	db.Cities.Update(ctx, sam.ID, 0, func(c *twin.City) error {
		c.Aliases = []string{"Samarqand", "Самарқанд", "Самарканд"}
		return nil
	})
	mkCity(t, db, "سمنان", "Semnan", "IR", "")
	for _, q := range []string{"سمرقند", "Samarkand", "samarqand", "Самарканд"} {
		hits, err := db.Search(ctx, q, []string{"city"}, 5)
		if err != nil {
			t.Fatal(err)
		}
		if len(hits) == 0 || hits[0].ID != sam.ID {
			t.Errorf("Search(%q) = %+v, want Samarkand first", q, hits)
		}
	}
}

func TestMigrateRefusesNewerSchema(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	db := openTest(t)
	if _, err := db.w.ExecContext(ctx, db.d.rebind("INSERT INTO schema_migrations (version, name, applied) VALUES (?, ?, ?)"), 9999, "9999_future.sql", "now"); err != nil {
		t.Fatal(err)
	}
	if _, err := db.Migrate(ctx); err == nil || !strings.Contains(err.Error(), "9999") {
		t.Fatalf("Migrate on a newer schema: %v", err)
	}
}

// TestPersianSearch checks doc/persian.md's equivalences end to end through the index, on whichever
// engine the suite runs: every spelling doc/persian.md treats as equal finds the text, and the
// near-misses it keeps apart do not.
func TestPersianSearch(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	db := openTest(t)
	ids := mkTexts(t, db, map[string]string{
		"zwnj":    "دو شهردار می‌توانند نهادها را به هم پیوند دهند",
		"intl":    "همکاری‌های بین‌المللی دو شهر",
		"univ":    "دانشگاه‌های اصفهان و سمرقند",
		"arabic":  "كتابخانه ملي ازبكستان",
		"kashida": "شهردار تصریـــــح کرد",
		"digits":  "پیشنهاد در سال ۱۳۹۷ مطرح شد",
		"may":     "جشنواره در ماه می سال ۲۰۲۱ برگزار شد",
		"square":  "نشست در میدان نقش جهان",
		"tehran":  "سفر هیئت تهران",
	})
	find := func(q string) map[string]bool {
		hits, err := db.Search(ctx, q, []string{"activity"}, 50)
		if err != nil {
			t.Fatal(err)
		}
		got := map[string]bool{}
		for _, h := range hits {
			got[ids[h.ID]] = true
		}
		return got
	}
	for _, tc := range []struct {
		want    string
		queries []string
	}{
		{"zwnj", []string{"می‌توانند", "میتوانند", "می توانند", "مي‌توانند"}},
		{"intl", []string{"بین‌المللی", "بینالمللی", "بین المللی", "بين المللي"}},
		{"univ", []string{"دانشگاه‌های", "دانشگاههای", "دانشگاه های", "دانشگاه"}},
		{"arabic", []string{"کتابخانه ملی", "كتابخانه ملي", "کتابخانه‌ ملی"}},
		{"kashida", []string{"تصریح", "تصریـــــح"}},
		{"digits", []string{"1397", "۱۳۹۷", "١٣٩٧", "سال ۱۳۹۷"}},
	} {
		for _, q := range tc.queries {
			if !find(q)[tc.want] {
				t.Errorf("%q does not find %s", q, tc.want)
			}
		}
	}
	for _, tc := range []struct{ q, notWant string }{
		{"میسال", "may"}, // «ماه می سال» is May, not a verb: no join
		{"دان", "square"},
		{"تهر", "tehran"},
		{"توانند", "intl"},
	} {
		if find(tc.q)[tc.notWant] {
			t.Errorf("%q finds %s, a near-miss doc/persian.md keeps apart", tc.q, tc.notWant)
		}
	}
}

// TestSearchRareWordAmongCommonOnes: a common word must not crowd out the one record that also
// has a rare word.
func TestSearchRareWordAmongCommonOnes(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	db := openTest(t)
	mkCity(t, db, "اصفهان", "Isfahan", "IR", "Q42053")
	mkCity(t, db, "سمرقند", "Samarkand", "UZ", "Q5753")
	a, err := db.Agreements.Create(ctx, &twin.Agreement{Cities: []string{"Q42053", "Q5753"}, Status: "signed"})
	if err != nil {
		t.Fatal(err)
	}
	var want int64
	err = db.WriteQuiet(ctx, func(tx *Tx) error {
		for i := range 800 {
			title := fmt.Sprintf("جشنواره شماره %d", i)
			if i == 777 {
				title = "جشنواره فیلم کودک"
			}
			act, err := db.Activities.CreateTx(ctx, tx, &twin.Activity{Agreement: a.ID, Kind: "festival", Title: twin.Names{"fa": title}})
			if err != nil {
				return err
			}
			if i == 777 {
				want = act.ID
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	hits, err := db.Search(ctx, "جشنواره کودک", []string{"activity"}, 10)
	if err != nil {
		t.Fatal(err)
	}
	if len(hits) != 1 || hits[0].ID != want {
		t.Fatalf("hits = %+v, want only activity %d", hits, want)
	}
}

func TestDocuments(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	db := openTest(t)
	mkCity(t, db, "اصفهان", "Isfahan", "IR", "Q42053")
	mkCity(t, db, "سمرقند", "Samarkand", "UZ", "Q5753")
	a, err := db.Agreements.Create(ctx, &twin.Agreement{Cities: []string{"Q42053", "Q5753"}, Status: "signed"})
	if err != nil {
		t.Fatal(err)
	}
	pdf := []byte("%PDF-1.4\n% the memorandum\n")
	d, err := db.AddDocument(ctx, a.ID, twin.Document{Name: "تفاهم‌نامه.pdf", Kind: "mou", Lang: "fa", Type: "application/pdf"}, pdf)
	if err != nil {
		t.Fatal(err)
	}
	got, err := db.Agreements.Get(ctx, a.ID)
	if err != nil || len(got.Documents) != 1 || got.Documents[0].ID != d.ID || got.Version != 2 || got.Documents[0].Size != int64(len(pdf)) {
		t.Fatalf("agreement after upload: %+v %v", got, err)
	}
	_, ag, data, err := db.Document(ctx, d.ID)
	if err != nil || ag != a.ID || string(data) != string(pdf) {
		t.Fatalf("Document = %d %q %v", ag, data, err)
	}
	if _, err := db.AddDocument(ctx, 9999, twin.Document{Name: "x.pdf", Type: "application/pdf"}, pdf); twin.ErrorCode(err) == "" {
		t.Fatal("a document under a missing agreement was stored")
	}
	if err := db.RemoveDocument(ctx, d.ID); err != nil {
		t.Fatal(err)
	}
	if _, _, _, err := db.Document(ctx, d.ID); twin.ErrorCode(err) != twin.ENOTFOUND {
		t.Fatalf("removed document: %v", err)
	}
	if got, _ := db.Agreements.Get(ctx, a.ID); len(got.Documents) != 0 {
		t.Fatalf("still listed: %+v", got.Documents)
	}
}

func TestActivitiesByDate(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	db := openTest(t)
	mkCity(t, db, "اصفهان", "Isfahan", "IR", "Q42053")
	mkCity(t, db, "سمرقند", "Samarkand", "UZ", "Q5753")
	a, err := db.Agreements.Create(ctx, &twin.Agreement{Cities: []string{"Q42053", "Q5753"}, Status: "signed"})
	if err != nil {
		t.Fatal(err)
	}
	for _, v := range []string{"2019-05", "2023-01-10", "", "2021"} {
		act := &twin.Activity{Agreement: a.ID, Kind: "event", Title: twin.Names{"en": "event " + v}}
		if v != "" {
			act.Start = &twin.PartialDate{Calendar: "gregorian", Value: v}
		}
		if _, err := db.Activities.Create(ctx, act); err != nil {
			t.Fatal(err)
		}
	}
	latest, err := db.LatestActivities(ctx, 3)
	if err != nil || len(latest) != 3 || latest[0].Title["en"] != "event 2023-01-10" || latest[1].Title["en"] != "event 2021" || latest[2].Title["en"] != "event 2019-05" {
		t.Fatalf("latest = %v %v", latest, err)
	}
	between, err := db.ActivitiesBetween(ctx, "2019-01-01", "2021-12-31")
	if err != nil || len(between) != 2 {
		t.Fatalf("between = %v %v", between, err)
	}
}

// TestRestoreOnlyDeleted: restoring a live record is refused and writes nothing (no version,
// no audit entry); the audit entry of a create carries the id the database chose.
func TestRestoreOnlyDeleted(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	db := openTest(t)
	c := mkCity(t, db, "اصفهان", "Isfahan", "IR", "Q42053")
	if err := db.Cities.Restore(ctx, c.ID); twin.ErrorCode(err) != twin.ENOTDELETED {
		t.Fatalf("restoring a live city: %v", err)
	}
	if v := db.Cities.Version(ctx, c.ID); v != 1 {
		t.Errorf("version after a refused restore = %d", v)
	}
	h, err := db.Cities.History(ctx, c.ID)
	if err != nil || len(h) != 1 {
		t.Fatalf("history = %+v, %v", h, err)
	}
	var after struct {
		ID int64 `json:"id"`
	}
	if err := json.Unmarshal(h[0].After, &after); err != nil || after.ID != c.ID {
		t.Errorf("the create's audit entry has id %d, want %d (%v)", after.ID, c.ID, err)
	}
	if err := db.Cities.Delete(ctx, c.ID, 1); err != nil {
		t.Fatal(err)
	}
	if err := db.Cities.Restore(ctx, c.ID); err != nil {
		t.Fatalf("restoring a deleted city: %v", err)
	}
	if err := db.Cities.Restore(ctx, c.ID); twin.ErrorCode(err) != twin.ENOTDELETED {
		t.Fatalf("restoring twice: %v", err)
	}
}

// TestIndexTermsBounded checks that the search index stores no term longer than a word can be,
// however long a record's words and names, and that a long name is still found whole.
func TestIndexTermsBounded(t *testing.T) {
	t.Parallel()
	db := openTest(t)
	ctx := context.Background()
	long := strings.Repeat("Samarkandabad", 23) // one 299-letter "word"
	c := mkCity(t, db, "سمرقندآباد", long, "UZ", "")
	blob := strings.Repeat("x", 5000)
	if _, err := db.Networks.Create(ctx, &twin.Network{Names: twin.Names{"en": "Blob network"}, Kind: "association",
		Description: twin.Names{"en": "words then " + blob + " and more words"}}); err != nil {
		t.Fatal(err)
	}
	var n int
	if err := db.queryRow(ctx, "SELECT MAX(LENGTH(term)) FROM search_terms").Scan(&n); err != nil {
		t.Fatal(err)
	}
	if n > 2+maxTerm {
		t.Errorf("the index holds a term of %d characters", n)
	}
	hits, err := db.Search(ctx, long, []string{"city"}, 5)
	if err != nil || len(hits) == 0 || hits[0].ID != c.ID || hits[0].Match != "name" {
		t.Errorf("the long name is not found whole: %+v %v", hits, err)
	}
	if hits, err := db.Search(ctx, "words", []string{"network"}, 5); err != nil || len(hits) != 1 {
		t.Errorf("the network's other words: %+v %v", hits, err)
	}
}

// TestReferencesHeldOnPostgres checks that a write's references cannot change under it: while
// one transaction moves an agreement to other cities, a link being created under it waits, and
// then judges the agreement as it has become (on SQLite the single writer serializes writes).
func TestReferencesHeldOnPostgres(t *testing.T) {
	t.Parallel()
	db := openTest(t)
	if db.Dialect() != "postgres" {
		t.Skip("PostgreSQL only: SQLite serializes writes")
	}
	ctx := context.Background()
	a, b, c := mkCity(t, db, "الف", "Aton", "IR", ""), mkCity(t, db, "ب", "Beton", "UZ", ""), mkCity(t, db, "پ", "Peton", "PT", "")
	ia, err := db.Institutions.Create(ctx, &twin.Institution{Names: twin.Names{"en": "A University"}, Type: "university", City: a.Ref()})
	if err != nil {
		t.Fatal(err)
	}
	ib, err := db.Institutions.Create(ctx, &twin.Institution{Names: twin.Names{"en": "B University"}, Type: "university", City: b.Ref()})
	if err != nil {
		t.Fatal(err)
	}
	ab, err := db.Agreements.Create(ctx, &twin.Agreement{Cities: []string{a.Ref(), b.Ref()}, Status: "signed"})
	if err != nil {
		t.Fatal(err)
	}
	locked, release, moved := make(chan struct{}), make(chan struct{}), make(chan error, 1)
	go func() {
		moved <- db.Write(ctx, func(t *Tx) error {
			_, err := db.Agreements.UpdateTx(ctx, t, ab.ID, 0, func(x *twin.Agreement) error {
				x.Cities = []string{a.Ref(), c.Ref()}
				return nil
			})
			close(locked)
			<-release
			return err
		})
	}()
	<-locked
	linked := make(chan error, 1)
	go func() {
		_, err := db.Links.Create(ctx, &twin.Link{Institutions: []int64{ia.ID, ib.ID}, Agreement: ab.ID})
		linked <- err
	}()
	// Wait until the link's transaction waits for the agreement: to read it (the store's lock)
	// or, were it read unlocked, to insert the link (the foreign key's lock, too late: the
	// link would have been judged on the agreement as it was).
	for waiting := false; !waiting; {
		select {
		case err := <-linked:
			close(release)
			t.Fatalf("the link was written while its agreement was changing: %v", err)
		default:
		}
		var n int
		if err := db.queryRow(ctx, "SELECT COUNT(*) FROM pg_stat_activity WHERE wait_event_type = 'Lock' AND (query LIKE '%FROM agreements WHERE id = $1 AND deleted IS NULL FOR SHARE%' OR query LIKE 'INSERT INTO links %')").Scan(&n); err != nil {
			t.Fatal(err)
		}
		waiting = n > 0
		time.Sleep(2 * time.Millisecond) // between polls, not a timing assumption
	}
	close(release)
	if err := <-moved; err != nil {
		t.Fatal(err)
	}
	err = <-linked
	if twin.ErrorFields(err)["institutions[1]"].Key != keyOutside {
		t.Errorf("a link under the moved agreement: %v", err)
	}
}
