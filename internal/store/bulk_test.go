package store

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/twinning/twinning/internal/dataset"
	"github.com/twinning/twinning/internal/twin"
)

// bulkSample is a slice of the bundled world: its countries, every city of Iran and Uzbekistan
// and every seventh other city, the agreements between them, the bundle's networks, and records
// written the ways a bundle may write them and the builder does not (a reference in lower case,
// a city by its internal id, a network with members).
func bulkSample(t testing.TB) []any {
	t.Helper()
	var recs []any
	keep := map[string]bool{}
	var noQID *twin.City
	err := dataset.Decode(dataset.Bundle(), func(r dataset.Record) error {
		switch r.Type {
		case dataset.TypeCountry:
			recs = append(recs, r.Country)
		case dataset.TypeCity:
			c := r.City
			if c.Country == "IR" || c.Country == "UZ" || c.ID%7 == 0 {
				keep[c.Wikidata] = true
				recs = append(recs, c)
			}
		case dataset.TypeAgreement:
			a := r.Agreement
			if keep[a.Cities[0]] && keep[a.Cities[1]] {
				recs = append(recs, a)
			}
		case dataset.TypeNetwork:
			recs = append(recs, r.Network)
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	// A city without a Wikidata id, referred to by its id; a reference written in lower case.
	noQID = &twin.City{Meta: twin.Meta{ID: 900001}, Names: twin.Names{"fa": "شهر آزمون", "en": "Testtown"}, Country: "IR"}
	var at int
	for i, r := range recs {
		if _, ok := r.(*twin.Agreement); ok {
			at = i
			break
		}
	}
	recs = slices.Insert(recs, at, any(noQID))
	recs = append(recs,
		&twin.Agreement{Meta: twin.Meta{ID: 900001}, Cities: []string{"q42053", "900001"}, Status: "proposed",
			Title: twin.Names{"fa": "تفاهم‌نامه همکاری فرهنگی"}, Notes: twin.Names{"en": "Cultural cooperation between the universities"}},
		&twin.Network{Meta: twin.Meta{ID: 900001}, Names: twin.Names{"en": "Silk Road Cities", "fa": "شهرهای جاده ابریشم"}, Kind: "city_network",
			Description: twin.Names{"fa": "همکاری شهرهای تاریخی"},
			Members:     []twin.Member{{City: "Q42053"}, {City: "q5753"}, {City: "900001"}, {City: "Q42053"}}})
	return recs
}

// loadOneByOne writes recs as the first start did before bulk loads: each record created in
// one quiet transaction, the search table's indexes built once at the end.
func loadOneByOne(ctx context.Context, db *DB, recs []any) error {
	return db.WriteQuiet(ctx, func(t *Tx) error {
		err := t.bulkIndex(ctx, func() error {
			for _, r := range recs {
				var err error
				switch r := r.(type) {
				case *twin.Country:
					err = t.PutCountry(ctx, *r)
				case *twin.City:
					_, err = db.Cities.CreateTx(ctx, t, r)
				case *twin.Agreement:
					_, err = db.Agreements.CreateTx(ctx, t, r)
				case *twin.Network:
					_, err = db.Networks.CreateTx(ctx, t, r)
				}
				if err != nil {
					return err
				}
			}
			return nil
		})
		if err != nil {
			return err
		}
		if err := t.FixSequences(ctx); err != nil {
			return err
		}
		return t.SetSetting(ctx, "bundle", "sample")
	})
}

// bulkLoad writes recs through a bulk load, preparing them on two goroutines.
func bulkLoad(ctx context.Context, db *DB, recs []any) (map[string]int, error) {
	return db.BulkLoad(ctx, map[string]string{"bundle": "sample"}, func(b *Bulk) error {
		ps := make([]*Prepared, len(recs))
		errs := make([]error, len(recs))
		done := make(chan struct{})
		go func() {
			for i := 1; i < len(recs); i += 2 {
				ps[i], errs[i] = b.Prepare(recs[i])
			}
			close(done)
		}()
		for i := 0; i < len(recs); i += 2 {
			ps[i], errs[i] = b.Prepare(recs[i])
		}
		<-done
		for i, p := range ps {
			if errs[i] != nil {
				return errs[i]
			}
			if err := b.Write(p); err != nil {
				return err
			}
		}
		return nil
	})
}

// dump lists every row of the tables a load writes, in a stable order, as text.
func dump(t testing.TB, db *DB) map[string][]string {
	t.Helper()
	ctx := context.Background()
	out := map[string][]string{}
	for table, order := range map[string]string{
		"countries": "code", "cities": "id", "agreements": "id", "networks": "id", "network_members": "network_id, city_id",
		"search_terms": "term, kind, id", "settings": "key", "changes": "id",
	} {
		rows, err := db.r.QueryContext(ctx, "SELECT * FROM "+table+" ORDER BY "+order)
		if err != nil {
			t.Fatal(err)
		}
		cols, _ := rows.Columns()
		for rows.Next() {
			vals := make([]any, len(cols))
			ptrs := make([]any, len(cols))
			for i := range vals {
				ptrs[i] = &vals[i]
			}
			if err := rows.Scan(ptrs...); err != nil {
				t.Fatal(err)
			}
			var b strings.Builder
			for i, v := range vals {
				if b2, ok := v.([]byte); ok {
					v = string(b2)
				}
				fmt.Fprintf(&b, "%s=%v ", cols[i], v)
			}
			out[table] = append(out[table], b.String())
		}
		rows.Close()
	}
	return out
}

// A bulk load leaves the registry exactly as creating each record would: the same rows in
// every table (documents, columns, search terms, network members, settings), byte for byte,
// and, like the quiet writes it replaces, no audit entries.
func TestBulkLoadSameAsOneByOne(t *testing.T) {
	ctx := context.Background()
	recs := bulkSample(t)
	at := time.Date(2026, 12, 4, 12, 0, 0, 0, time.UTC)
	one, bulk := openTest(t), openTest(t)
	one.Now = func() time.Time { return at }
	bulk.Now = one.Now
	if err := loadOneByOne(ctx, one, recs); err != nil {
		t.Fatal(err)
	}
	counts, err := bulkLoad(ctx, bulk, bulkSample(t))
	if err != nil {
		t.Fatal(err)
	}
	if _, err := bulk.EnsureSearchIndexes(ctx); err != nil {
		t.Fatal(err)
	}
	if counts["city"] < 2000 || counts["agreement"] < 400 || counts["network"] != 2 || counts["country"] < 200 {
		t.Errorf("counts = %v: the sample is too small to compare", counts)
	}
	want, got := dump(t, one), dump(t, bulk)
	for table, rows := range want {
		if len(got[table]) != len(rows) {
			t.Errorf("%s: %d rows, want %d", table, len(got[table]), len(rows))
		}
		shown := 0
		for i := 0; i < min(len(rows), len(got[table])) && shown < 3; i++ {
			if rows[i] != got[table][i] {
				t.Errorf("%s row %d:\n got %.600s\nwant %.600s", table, i, got[table][i], rows[i])
				shown++
			}
		}
	}
	if len(want["search_terms"]) < 20000 || len(want["network_members"]) != 3 {
		t.Errorf("%d search rows, %d network members: the sample does not exercise the index", len(want["search_terms"]), len(want["network_members"]))
	}
	if len(got["changes"]) != 0 {
		t.Errorf("a bulk load wrote %d audit entries", len(got["changes"]))
	}
	assertWriterPragmas(t, bulk)
	// New records follow the loaded ones.
	c, err := bulk.Cities.Create(ctx, &twin.City{Names: twin.Names{"en": "Aftertown"}, Country: "IR"})
	if err != nil || c.ID != 900002 {
		t.Errorf("a city created after the load = %v, %v; want id 900002", c, err)
	}
}

// Searches answer the same before the search table's indexes are built after a bulk load as
// after, and the indexes are built once.
func TestBulkLoadSearchBeforeIndexes(t *testing.T) {
	ctx := context.Background()
	db := openTest(t)
	if _, err := bulkLoad(ctx, db, bulkSample(t)); err != nil {
		t.Fatal(err)
	}
	queries := []string{"اصفهان", "Isfahan", "Esfahan", "Самарканд", "سمرقند", "Tashkent", "تاشکند", "Isfa", "Samarcand", "شهرهای جاده ابریشم", "همکاری فرهنگی"}
	before := map[string][]Hit{}
	for _, q := range queries {
		hits, err := db.Search(ctx, q, nil, 20)
		if err != nil {
			t.Fatal(err)
		}
		before[q] = hits
	}
	// Searches while the indexes are built (they wait for the key index) answer the same too.
	type ensured struct {
		built bool
		err   error
	}
	ensuring := make(chan ensured, 1)
	go func() {
		built, err := db.EnsureSearchIndexes(ctx)
		ensuring <- ensured{built, err}
	}()
	for _, q := range queries {
		hits, err := db.Search(ctx, q, nil, 20)
		if err != nil {
			t.Fatal(err)
		}
		if fmt.Sprint(hits) != fmt.Sprint(before[q]) {
			t.Errorf("%s: %v before the indexes, %v while they are built", q, before[q], hits)
		}
	}
	e := <-ensuring
	built, err := e.built, e.err
	if err != nil {
		t.Fatal(err)
	}
	if !built {
		t.Errorf("EnsureSearchIndexes built nothing after a bulk load on %s", db.Dialect())
	}
	if again, err := db.EnsureSearchIndexes(ctx); again || err != nil {
		t.Errorf("the second EnsureSearchIndexes = %v, %v", again, err)
	}
	// Interrupted after the first index: the others are built at the next call.
	if _, err := db.w.ExecContext(ctx, "DROP INDEX search_terms_top"); err != nil {
		t.Fatal(err)
	}
	if again, err := db.EnsureSearchIndexes(ctx); !again || err != nil {
		t.Errorf("EnsureSearchIndexes with one index missing = %v, %v", again, err)
	}
	if again, _ := db.EnsureSearchIndexes(ctx); again {
		t.Error("EnsureSearchIndexes built an index again")
	}
	for _, q := range queries {
		hits, err := db.Search(ctx, q, nil, 20)
		if err != nil {
			t.Fatal(err)
		}
		if fmt.Sprint(hits) != fmt.Sprint(before[q]) {
			t.Errorf("%s: %v before the indexes, %v after", q, before[q], hits)
		}
	}
	isfahan, err := db.City(ctx, "Q42053")
	if err != nil {
		t.Fatal(err)
	}
	if hits := before["اصفهان"]; len(hits) == 0 || hits[0].Kind != "city" || hits[0].ID != isfahan.ID {
		t.Errorf("اصفهان finds %v, not Isfahan (%d) first", hits, isfahan.ID)
	}
}

// A bulk load refuses what creating the records would refuse, and then writes nothing: a
// reference to a city that is not in the load, an invalid record, a city twice, a registry
// that already has cities.
func TestBulkLoadRefuses(t *testing.T) {
	ctx := context.Background()
	city := func(id int64, qid string) *twin.City {
		return &twin.City{Meta: twin.Meta{ID: id}, Names: twin.Names{"en": "Town " + qid}, Country: "IR", Wikidata: qid}
	}
	for name, tc := range map[string]struct {
		recs []any
		code string
		want string
	}{
		"unknown city":      {[]any{city(1, "Q1"), &twin.Agreement{Cities: []string{"Q1", "Q2"}, Status: "signed"}}, twin.EINVALID, "cities[1]"},
		"unknown member":    {[]any{city(1, "Q1"), &twin.Network{Names: twin.Names{"en": "N"}, Kind: "city_network", Members: []twin.Member{{City: "Q9"}}}}, twin.EINVALID, "members[0].city"},
		"same city":         {[]any{city(1, "Q1"), &twin.Agreement{Cities: []string{"Q1", "q1"}, Status: "signed"}}, twin.EINVALID, "cities"},
		"invalid city":      {[]any{&twin.City{Names: twin.Names{"en": "No country"}}}, twin.EINVALID, "country"},
		"city twice":        {[]any{city(1, "Q1"), city(2, "Q1")}, twin.ECONFLICT, ""},
		"unknown institute": {[]any{city(1, "Q1"), city(2, "Q2"), &twin.Agreement{Cities: []string{"Q1", "Q2"}, Status: "signed", Parties: []twin.Party{{Role: twin.RoleSignatory, Institution: 7}}}}, twin.EINVALID, "parties[0].institution"},
	} {
		t.Run(name, func(t *testing.T) {
			db := openTest(t)
			_, err := bulkLoad(ctx, db, tc.recs)
			if twin.ErrorCode(err) != tc.code {
				t.Fatalf("err = %v, want %s", err, tc.code)
			}
			if tc.want != "" {
				if _, ok := twin.ErrorFields(err)[tc.want]; !ok {
					t.Errorf("err = %v, want a problem with %s", err, tc.want)
				}
			}
			for _, table := range []twin.Kind{twin.KindCity, twin.KindAgreement, twin.KindNetwork} {
				if n, _ := db.Count(ctx, table); n != 0 {
					t.Errorf("%d %s written by a refused load", n, table)
				}
			}
			if v, _ := db.Setting(ctx, "bundle"); v != "" {
				t.Errorf("the refused load set bundle = %q", v)
			}
			assertWriterPragmas(t, db)
			// The search table keeps its indexes: a refused load dropped nothing.
			if built, err := db.EnsureSearchIndexes(ctx); built || err != nil {
				t.Errorf("after a refused load EnsureSearchIndexes = %v, %v", built, err)
			}
		})
	}
	db := openTest(t)
	if _, err := db.Cities.Create(ctx, city(0, "Q5")); err != nil {
		t.Fatal(err)
	}
	if _, err := bulkLoad(ctx, db, []any{city(1, "Q1")}); twin.ErrorCode(err) != twin.ECONFLICT {
		t.Errorf("a bulk load into a registry with a city: %v", err)
	}
}

// bulkIndex runs fn with the search table's secondary indexes dropped and builds them again
// afterwards, in the same transaction: for loads of many records into an empty registry, where
// building an index once from all the rows is much faster than keeping it sorted row by row.
func (t *Tx) bulkIndex(ctx context.Context, fn func() error) error {
	for _, idx := range searchIndexes {
		if _, err := t.tx.ExecContext(ctx, "DROP INDEX IF EXISTS "+idx.name); err != nil {
			return err
		}
	}
	t.stmts = nil // statements prepared against the old schema
	if err := fn(); err != nil {
		return err
	}
	for _, idx := range searchIndexes {
		if _, err := t.tx.ExecContext(ctx, idx.sql); err != nil {
			return err
		}
	}
	return nil
}

// The facts the graph's suggestions read are the cities' own: coordinates only when both are
// known, the population, the country.
func TestCityFacts(t *testing.T) {
	ctx := context.Background()
	db := openTest(t)
	lat, lon := 32.65, 51.67
	a, err := db.Cities.Create(ctx, &twin.City{Names: twin.Names{"en": "Isfahan"}, Country: "IR", Lat: &lat, Lon: &lon, Population: 1961260})
	if err != nil {
		t.Fatal(err)
	}
	b, err := db.Cities.Create(ctx, &twin.City{Names: twin.Names{"en": "Nowhere"}, Country: "UZ"})
	if err != nil {
		t.Fatal(err)
	}
	fs, err := db.CityFacts(ctx)
	if err != nil {
		t.Fatal(err)
	}
	want := []CityFact{{ID: a.ID, Country: "IR", Lat: lat, Lon: lon, HasCoord: true, Population: 1961260}, {ID: b.ID, Country: "UZ"}}
	if fmt.Sprint(fs) != fmt.Sprint(want) {
		t.Errorf("CityFacts = %+v, want %+v", fs, want)
	}
	if fs, err := db.CityFactsOf(ctx, []int64{b.ID}); err != nil || fmt.Sprint(fs) != fmt.Sprint(want[1:]) {
		t.Errorf("CityFactsOf = %+v, %v", fs, err)
	}
}

// assertWriterPragmas checks that the writer connection has its settings back after a bulk
// load: foreign keys enforced, checkpoints automatic, temporary files as configured.
func assertWriterPragmas(t *testing.T, db *DB) {
	t.Helper()
	if db.d.name != "sqlite" {
		return
	}
	for pragma, want := range map[string]int{"foreign_keys": 1, "wal_autocheckpoint": 1000, "temp_store": 0} {
		var got int
		if err := db.w.QueryRowContext(context.Background(), "PRAGMA "+pragma).Scan(&got); err != nil || got != want {
			t.Errorf("after a bulk load the writer's %s = %d (%v), want %d", pragma, got, err, want)
		}
	}
}
