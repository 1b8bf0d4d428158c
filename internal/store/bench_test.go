package store

import (
	"context"
	"fmt"
	"testing"

	"github.com/twinning/twinning/internal/twin"
)

// The store benchmarks run on SQLite, and on PostgreSQL with TWINNING_TEST_POSTGRES set:
//
//	go test -run '^$' -bench . ./internal/store
//	TWINNING_TEST_POSTGRES=postgres://... go test -run '^$' -bench . ./internal/store

func seedCities(b *testing.B, db *DB, n int) []int64 {
	b.Helper()
	ctx := context.Background()
	ids := make([]int64, 0, n)
	err := db.WriteQuiet(ctx, func(t *Tx) error {
		for i := range n {
			c, err := db.Cities.CreateTx(ctx, t, &twin.City{Names: twin.Names{"en": fmt.Sprintf("Town %d", i), "fa": fmt.Sprintf("شهر %d", i)},
				Country: "IR", Wikidata: fmt.Sprintf("Q%d", 1000000+i), Lat: fptr(32), Lon: fptr(51), Population: int64(1000 + i)})
			if err != nil {
				return err
			}
			ids = append(ids, c.ID)
		}
		return nil
	})
	if err != nil {
		b.Fatal(err)
	}
	return ids
}

func BenchmarkCityGet(b *testing.B) {
	db := openTest(b)
	ids := seedCities(b, db, 1000)
	ctx := context.Background()
	i := 0
	for b.Loop() {
		if _, err := db.Cities.Get(ctx, ids[i%len(ids)]); err != nil {
			b.Fatal(err)
		}
		i++
	}
}

func BenchmarkCityGetParallel(b *testing.B) {
	db := openTest(b)
	ids := seedCities(b, db, 1000)
	ctx := context.Background()
	b.RunParallel(func(pb *testing.PB) {
		i := 0
		for pb.Next() {
			if _, err := db.Cities.Get(ctx, ids[i%len(ids)]); err != nil {
				b.Fatal(err)
			}
			i++
		}
	})
}

func BenchmarkCityByWikidata(b *testing.B) {
	db := openTest(b)
	seedCities(b, db, 1000)
	ctx := context.Background()
	i := 0
	for b.Loop() {
		if _, err := db.City(ctx, fmt.Sprintf("Q%d", 1000000+i%1000)); err != nil {
			b.Fatal(err)
		}
		i++
	}
}

func BenchmarkCityCreate(b *testing.B) {
	db := openTest(b)
	ctx := context.Background()
	i := 0
	for b.Loop() {
		if _, err := db.Cities.Create(ctx, &twin.City{Names: twin.Names{"en": fmt.Sprintf("New town %d", i), "fa": "شهر نو"}, Country: "UZ"}); err != nil {
			b.Fatal(err)
		}
		i++
	}
}

func BenchmarkAgreementUpdate(b *testing.B) {
	db := openTest(b)
	seedCities(b, db, 2)
	ctx := context.Background()
	a, err := db.Agreements.Create(ctx, &twin.Agreement{Cities: []string{"Q1000000", "Q1000001"}, Status: "signed"})
	if err != nil {
		b.Fatal(err)
	}
	v := a.Version
	for b.Loop() {
		a, err = db.Agreements.Update(ctx, a.ID, v, func(a *twin.Agreement) error { a.Domains = []string{"culture"}; return nil })
		if err != nil {
			b.Fatal(err)
		}
		v = a.Version
	}
}

func BenchmarkCityList50(b *testing.B) {
	db := openTest(b)
	seedCities(b, db, 1000)
	ctx := context.Background()
	for b.Loop() {
		if _, err := db.Cities.List(ctx, twin.Filter{Limit: 50}.With(twin.FilterCountry, "IR")); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkSearchName(b *testing.B) {
	db := openTest(b)
	seedCities(b, db, 5000)
	ctx := context.Background()
	for b.Loop() {
		if _, err := db.Search(ctx, "Town 4242", []string{"city"}, 20); err != nil {
			b.Fatal(err)
		}
	}
}
