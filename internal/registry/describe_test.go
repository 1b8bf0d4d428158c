package registry

import (
	"context"
	"reflect"
	"testing"

	"github.com/twinning/twinning/internal/store"
	"github.com/twinning/twinning/internal/store/storetest"
	"github.com/twinning/twinning/internal/twin"
)

func TestDescribe(t *testing.T) {
	t.Parallel()
	ctx := twin.WithActor(context.Background(), "test")
	db := storetest.Open(t)
	must := func(err error) {
		t.Helper()
		if err != nil {
			t.Fatal(err)
		}
	}
	isf, err := db.Cities.Create(ctx, &twin.City{Names: twin.Names{"fa": "اصفهان", "en": "Isfahan"}, Country: "IR", Wikidata: "Q42053"})
	must(err)
	sam, err := db.Cities.Create(ctx, &twin.City{Names: twin.Names{"fa": "سمرقند", "en": "Samarkand"}, Country: "UZ", Wikidata: "Q5753"})
	must(err)
	ag, err := db.Agreements.Create(ctx, &twin.Agreement{Cities: []string{"Q42053", "Q5753"}, Status: "signed", Title: twin.Names{"en": "Sister cities"}, Notes: twin.Names{"fa": "یادداشت", "en": "a note"}})
	must(err)
	u1, err := db.Institutions.Create(ctx, &twin.Institution{Names: twin.Names{"en": "University of Isfahan"}, Type: "university", City: "Q42053"})
	must(err)
	u2, err := db.Institutions.Create(ctx, &twin.Institution{Names: twin.Names{"en": "Samarkand State University"}, Type: "university", City: "Q5753"})
	must(err)
	gone, err := db.Institutions.Create(ctx, &twin.Institution{Names: twin.Names{"en": "Closed"}, Type: "museum", City: "Q5753"})
	must(err)
	must(db.Institutions.Delete(ctx, gone.ID, 0))
	link, err := db.Links.Create(ctx, &twin.Link{Institutions: []int64{u1.ID, u2.ID}, Agreement: ag.ID, Status: "active", Notes: twin.Names{"en": "exchange of students"}})
	must(err)
	act, err := db.Activities.Create(ctx, &twin.Activity{Agreement: ag.ID, Kind: "visit", Title: twin.Names{"en": "A visit"}, Description: twin.Names{"en": "mayors met"}})
	must(err)
	draft, err := db.Proposals.Create(ctx, &twin.Proposal{Title: twin.Names{"en": "A festival"}, Cities: []string{"Q42053", "Q5753"}, Status: "submitted"})
	must(err)

	hits := []store.Hit{{Kind: "agreement", ID: ag.ID}, {Kind: "city", ID: sam.ID}, {Kind: "institution", ID: gone.ID}, {Kind: "link", ID: link.ID},
		{Kind: "city", ID: isf.ID}, {Kind: "activity", ID: act.ID}, {Kind: "proposal", ID: draft.ID}, {Kind: "institution", ID: u2.ID}}
	got, err := New(db).Describe(ctx, hits, "fa")
	must(err)
	want := []Description{
		{Found: true, Ref: idRef(ag.ID), Names: twin.Names{"en": "Sister cities"}, Title: "اصفهان – سمرقند", Text: "یادداشت"},
		{Found: true, Ref: "Q5753", Names: sam.Names, Title: "سمرقند"},
		{}, // deleted
		{Found: true, Ref: idRef(link.ID), Title: "University of Isfahan – Samarkand State University", Text: "exchange of students"}, // named by its two institutions
		{Found: true, Ref: "Q42053", Names: isf.Names, Title: "اصفهان"},
		{Found: true, Ref: idRef(act.ID), Names: twin.Names{"en": "A visit"}, Title: "A visit", Text: "mayors met"},
		{}, // not published
		{Found: true, Ref: idRef(u2.ID), Names: u2.Names, Title: "Samarkand State University"},
	}
	if len(got) != len(want) {
		t.Fatalf("%d descriptions for %d hits", len(got), len(hits))
	}
	for i := range want {
		if !reflect.DeepEqual(got[i], want[i]) {
			t.Errorf("hit %d (%s %d): %+v, want %+v", i, hits[i].Kind, hits[i].ID, got[i], want[i])
		}
	}
	if d, err := New(db).Describe(ctx, nil, "fa"); err != nil || len(d) != 0 {
		t.Errorf("no hits: %v %v", d, err)
	}
}
