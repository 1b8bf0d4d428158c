package registry

import (
	"context"
	"errors"
	"strings"
	"testing"

	"github.com/twinning/twinning/internal/dataset"
	"github.com/twinning/twinning/internal/store/storetest"
	"github.com/twinning/twinning/internal/twin"
)

// The first start, interrupted and then done again: the interrupted load leaves nothing, the
// next one loads the whole bundle, and the registry then answers as the bundle says (counts
// per kind, Isfahan's partners, the graph's edges, searches across scripts).
func TestLoadBundle(t *testing.T) {
	if testing.Short() {
		t.Skip("loads the whole world dataset twice; runs without -short")
	}
	if raceEnabled {
		t.Skip("under the race detector loading the world takes minutes")
	}
	ctx := context.Background()
	db := storetest.Open(t)

	// What the bundle holds, read apart from the loader.
	want := map[string]int{}
	var isfahan int64
	partners := map[string]bool{} // Isfahan's partners' refs
	edges := 0
	err := dataset.Decode(dataset.Bundle(), func(r dataset.Record) error {
		want[r.Type]++
		switch {
		case r.City != nil && r.City.Wikidata == "Q42053":
			isfahan = r.City.ID
		case r.Agreement != nil:
			if r.Agreement.Status != "rejected" {
				edges++
			}
			for i, c := range r.Agreement.Cities {
				if c == "Q42053" {
					partners[r.Agreement.Cities[1-i]] = true
				}
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if isfahan == 0 || len(partners) < 20 {
		t.Fatalf("the bundle lacks Isfahan or its partners (%d, %d)", isfahan, len(partners))
	}

	// Interrupted once the first 10,000 cities are in.
	cctx, cancel := context.WithCancel(ctx)
	_, err = LoadBundle(cctx, db, func(kind string, done int) {
		if kind == dataset.TypeCity && done == 10000 {
			cancel()
		}
	})
	if !errors.Is(err, context.Canceled) {
		t.Fatalf("the interrupted load returned %v", err)
	}
	for _, table := range []twin.Kind{twin.KindCity, twin.KindAgreement, twin.KindNetwork} {
		if n, err := db.Count(ctx, table); n != 0 || err != nil {
			t.Errorf("after the interrupted load: %d %s (%v)", n, table, err)
		}
	}
	if v, _ := db.Setting(ctx, BundleSetting); v != "" {
		t.Errorf("after the interrupted load the bundle is recorded as %q", v)
	}
	if hits, err := db.Search(ctx, "Isfahan", nil, 5); len(hits) != 0 || err != nil {
		t.Errorf("after the interrupted load Isfahan is found: %v %v", hits, err)
	}

	counts, err := LoadBundle(ctx, db, nil)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := db.EnsureSearchIndexes(ctx); err != nil {
		t.Fatal(err)
	}
	for kind, n := range want {
		if counts[kind] != n {
			t.Errorf("%d %s loaded, the bundle has %d", counts[kind], kind, n)
		}
	}
	for _, kind := range []twin.Kind{twin.KindCity, twin.KindAgreement, twin.KindNetwork} {
		if n, err := db.Count(ctx, kind); err != nil || n != int64(want[string(kind)]) {
			t.Errorf("%d %s in the registry (%v), the bundle has %d", n, kind, err, want[string(kind)])
		}
	}
	if v, _ := db.Setting(ctx, BundleSetting); v != dataset.BundleVersion() {
		t.Errorf("bundle setting = %q, want %q", v, dataset.BundleVersion())
	}
	ps, err := db.Partners(ctx, isfahan)
	if err != nil {
		t.Fatal(err)
	}
	got := map[string]bool{}
	for _, p := range ps {
		got[p.City.Ref()] = true
	}
	for ref := range partners {
		if !got[ref] {
			t.Errorf("Isfahan's partner %s is missing", ref)
		}
	}
	if len(got) != len(partners) {
		t.Errorf("Isfahan has %d partners, the bundle %d", len(got), len(partners))
	}
	if es, err := db.Edges(ctx); len(es) != edges || err != nil {
		t.Errorf("%d edges (%v), the bundle has %d agreements not rejected", len(es), err, edges)
	}
	for q, ref := range map[string]string{
		"اصفهان": "Q42053", "Isfahan": "Q42053", "Esfahan": "Q42053", "Ispahan": "Q42053",
		"سمرقند": "Q5753", "Samarkand": "Q5753", "Самарканд": "Q5753",
		"تهران": "Q3616", "Tehran": "Q3616", "شیراز": "Q6397066", "Shiraz": "Q6397066", "Avignon": "Q6397",
	} {
		hits, err := db.Search(ctx, q, []string{"city"}, 5)
		if err != nil {
			t.Fatal(err)
		}
		var first string
		if len(hits) > 0 {
			if c, err := db.Cities.Get(ctx, hits[0].ID); err == nil {
				first = c.Ref()
			}
		}
		if first != ref {
			t.Errorf("%s finds %s first (%v), want %s", q, first, hits, ref)
		}
	}
}

// A stream whose references do not resolve, or with a line that is no record, is refused with
// the line's number, and nothing of it is written.
func TestLoadLinesRefuses(t *testing.T) {
	ctx := context.Background()
	city := func(id, qid string) string {
		return `{"type":"city","record":{"id":` + id + `,"version":1,"wikidata":"` + qid + `","names":{"en":"Town ` + qid + `"},"country":"IR"}}`
	}
	for name, tc := range map[string]struct {
		lines []string
		want  string
	}{
		"unknown city": {[]string{city("1", "Q1"), city("2", "Q2"), "", `{"type":"agreement","record":{"id":1,"cities":["Q1","Q3"],"status":"signed"}}`}, "line 4 (agreement)"},
		"not a record": {[]string{city("1", "Q1"), `{"type":"city","record":`}, "line 2"},
		"unknown type": {[]string{city("1", "Q1"), `{"type":"planet","record":{}}`}, `line 2, field "type": unknown record type "planet"`},
		"invalid city": {[]string{city("1", "Q1"), `{"type":"city","record":{"id":2,"names":{"en":"Nowhere"}}}`}, "line 2 (city)"},
	} {
		t.Run(name, func(t *testing.T) {
			db := storetest.Open(t)
			_, err := LoadLines(ctx, db, strings.NewReader(strings.Join(tc.lines, "\n")), map[string]string{BundleSetting: "test"}, nil)
			if err == nil || !strings.Contains(err.Error(), tc.want) {
				t.Fatalf("err = %v, want one naming %q", err, tc.want)
			}
			if n, err := db.Count(ctx, twin.KindCity); err != nil || n != 0 {
				t.Errorf("%d cities written by a refused load", n)
			}
			if v, _ := db.Setting(ctx, BundleSetting); v != "" {
				t.Errorf("a refused load set the bundle to %q", v)
			}
		})
	}
	db := storetest.Open(t)
	lines := []string{`{"type":"country","record":{"code":"IR","names":{"en":"Iran"}}}`, city("1", "Q1"), city("2", "Q2"),
		`{"type":"agreement","record":{"id":1,"cities":["Q1","q2"],"status":"signed"}}`}
	counts, err := LoadLines(ctx, db, strings.NewReader(strings.Join(lines, "\n")+"\n"), map[string]string{BundleSetting: "test"}, nil)
	if err != nil || counts["city"] != 2 || counts["agreement"] != 1 || counts["country"] != 1 {
		t.Fatalf("LoadLines = %v, %v", counts, err)
	}
	as, err := db.Agreements.List(ctx, twin.Filter{})
	if err != nil || len(as.Items) != 1 || as.Items[0].Cities[1] != "Q2" || as.Items[0].CityIDs[1] != 2 {
		t.Errorf("the loaded agreement = %+v, %v", as.Items, err)
	}
}
