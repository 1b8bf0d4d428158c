package store

import (
	"context"
	"fmt"
	"maps"
	"slices"
	"testing"

	"github.com/twinning/twinning/internal/twin"
)

func ids[T any](recs []*T) []int64 {
	out := []int64{}
	for _, r := range recs {
		out = append(out, meta(r).ID)
	}
	return out
}

// The batched reads answer what the single reads answer, each agreement's and city's own,
// with deleted records left out.
func TestBatchedReadsMatchSingleOnes(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	db := openTest(t)
	isf := mkCity(t, db, "اصفهان", "Isfahan", "IR", "Q42053")
	sam := mkCity(t, db, "سمرقند", "Samarkand", "UZ", "Q5753")
	xian := mkCity(t, db, "شیآن", "Xi'an", "CN", "Q5826")
	mkCity(t, db, "پورتو", "Porto", "PT", "Q36433")
	must := func(err error) {
		t.Helper()
		if err != nil {
			t.Fatal(err)
		}
	}
	var ags []*twin.Agreement
	for _, other := range []string{"Q5753", "Q5826", "Q36433"} {
		a, err := db.Agreements.Create(ctx, &twin.Agreement{Cities: []string{"Q42053", other}, Status: "signed"})
		must(err)
		ags = append(ags, a)
	}
	inst := map[string][]*twin.Institution{}
	for _, c := range []*twin.City{isf, sam, xian} {
		for k := range 3 {
			in, err := db.Institutions.Create(ctx, &twin.Institution{Names: twin.Names{"en": fmt.Sprintf("%s %d", c.Names["en"], k)}, Type: "university", City: c.Ref()})
			must(err)
			inst[c.Wikidata] = append(inst[c.Wikidata], in)
		}
	}
	must(db.Institutions.Delete(ctx, inst["Q5753"][2].ID, 0))
	// Isfahan–Samarkand: two links and three activities (its own, under a link, both); Isfahan–
	// Xi'an: a link, an activity under it, one of its own and one deleted; Isfahan–Porto: nothing.
	l1, err := db.Links.Create(ctx, &twin.Link{Institutions: []int64{inst["Q42053"][0].ID, inst["Q5753"][0].ID}, Agreement: ags[0].ID, Status: "active"})
	must(err)
	_, err = db.Links.Create(ctx, &twin.Link{Institutions: []int64{inst["Q42053"][1].ID, inst["Q5753"][1].ID}, Agreement: ags[0].ID, Status: "proposed"})
	must(err)
	act := func(a *twin.Activity) *twin.Activity {
		t.Helper()
		a.Kind, a.Title = "visit", twin.Names{"en": "a visit"}
		out, err := db.Activities.Create(ctx, a)
		must(err)
		return out
	}
	act(&twin.Activity{Agreement: ags[0].ID})
	act(&twin.Activity{Agreement: ags[0].ID, Link: l1.ID})
	act(&twin.Activity{Link: l1.ID})
	gone := act(&twin.Activity{Agreement: ags[1].ID})
	act(&twin.Activity{Agreement: ags[1].ID})
	must(db.Activities.Delete(ctx, gone.ID, 0))
	l3, err := db.Links.Create(ctx, &twin.Link{Institutions: []int64{inst["Q42053"][2].ID, inst["Q5826"][0].ID}, Agreement: ags[1].ID, Status: "active"})
	must(err)
	act(&twin.Activity{Link: l3.ID})

	agreementIDs := []int64{ags[0].ID, ags[1].ID, ags[2].ID, 9999}
	acts, links, err := db.ActivitiesAndLinksOf(ctx, agreementIDs)
	must(err)
	for _, id := range agreementIDs {
		wantActs, err := db.ActivitiesOf(ctx, id)
		must(err)
		wantLinks, err := db.LinksOf(ctx, id)
		must(err)
		if got, want := ids(acts[id]), ids(wantActs); !slices.Equal(got, want) {
			t.Errorf("agreement %d: activities %v, one by one %v", id, got, want)
		}
		if got, want := ids(links[id]), ids(wantLinks); !slices.Equal(got, want) {
			t.Errorf("agreement %d: links %v, one by one %v", id, got, want)
		}
	}
	if len(acts[ags[0].ID]) != 3 || len(links[ags[0].ID]) != 2 || len(acts[ags[1].ID]) != 2 {
		t.Errorf("the fixture is not what the test means: %d, %d, %d", len(acts[ags[0].ID]), len(links[ags[0].ID]), len(acts[ags[1].ID]))
	}

	got, err := db.InstitutionsIn(ctx, []int64{sam.ID, xian.ID, 9999})
	must(err)
	var want []*twin.Institution
	for _, c := range []*twin.City{sam, xian} {
		p, err := db.Institutions.List(ctx, twin.Filter{}.With(twin.FilterCity, c.ID))
		must(err)
		want = append(want, p.Items...)
	}
	if !slices.Equal(ids(got), ids(want)) || len(got) != 5 {
		t.Errorf("institutions of Samarkand and Xi'an: %v, one city at a time %v", ids(got), ids(want))
	}
	for _, in := range got {
		if in.City == "" || in.CityID == 0 {
			t.Errorf("institution %d read without its city: %+v", in.ID, in)
		}
	}
}

// Cities named by ref, as proposals and other records hold them (Wikidata id in any case, or
// internal id), are read in one batch: each ref gets its own city's names, a deleted or
// unknown city is left out, and a city named twice in two ways is found under both refs.
func TestCityNamesByRef(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	db := openTest(t)
	isf := mkCity(t, db, "اصفهان", "Isfahan", "IR", "Q42053")
	sam := mkCity(t, db, "سمرقند", "Samarkand", "UZ", "Q5753")
	gone := mkCity(t, db, "شیآن", "Xi'an", "CN", "Q5826")
	local, err := db.Cities.Create(ctx, &twin.City{Names: twin.Names{"fa": "نطنز"}, Country: "IR"})
	if err != nil {
		t.Fatal(err)
	}
	if err := db.Cities.Delete(ctx, gone.ID, 0); err != nil {
		t.Fatal(err)
	}
	refs := []string{"Q42053", "q5753", fmt.Sprint(isf.ID), fmt.Sprint(local.ID), "Q5826", "Q1", "nonsense"}
	got, err := db.CityNamesByRef(ctx, refs)
	if err != nil {
		t.Fatal(err)
	}
	want := map[string]int64{"Q42053": isf.ID, "q5753": sam.ID, fmt.Sprint(isf.ID): isf.ID, fmt.Sprint(local.ID): local.ID}
	if len(got) != len(want) {
		t.Errorf("found %d refs, want %d: %v", len(got), len(want), got)
	}
	for ref, id := range want {
		c, ok := got[ref]
		if !ok || c.ID != id {
			t.Errorf("%s: got %+v, want city %d", ref, c, id)
			continue
		}
		single, err := db.City(ctx, ref)
		if err != nil {
			t.Fatal(err)
		}
		if !maps.Equal(c.Names, single.Names) || c.Country != single.Country || c.Wikidata != single.Wikidata {
			t.Errorf("%s: batch read %+v, single read %+v", ref, c, single)
		}
	}
}
