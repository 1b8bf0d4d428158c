package store

import (
	"context"
	"slices"
	"testing"

	"github.com/twinning/twinning/internal/twin"
)

// TestCityPartnerFacts reads a city's agreements' activities and links at once and finds the
// same as ActivitiesOf and LinksOf per agreement: an activity under a link counts for the
// link's agreement, another city's agreements and deleted records are left out.
func TestCityPartnerFacts(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	db := openTest(t)
	mkCity(t, db, "اصفهان", "Isfahan", "IR", "Q42053")
	mkCity(t, db, "سمرقند", "Samarkand", "UZ", "Q5753")
	mkCity(t, db, "پورتو", "Porto", "PT", "Q36433")
	mk := func(a, b string) *twin.Agreement {
		ag, err := db.Agreements.Create(ctx, &twin.Agreement{Cities: []string{a, b}, Status: "signed"})
		if err != nil {
			t.Fatal(err)
		}
		return ag
	}
	isfSam, isfPor, samPor := mk("Q42053", "Q5753"), mk("Q42053", "Q36433"), mk("Q5753", "Q36433")
	inst := func(name, city string) int64 {
		in, err := db.Institutions.Create(ctx, &twin.Institution{Names: twin.Names{"en": name}, Type: "university", City: city})
		if err != nil {
			t.Fatal(err)
		}
		return in.ID
	}
	u1, u2 := inst("University of Isfahan", "Q42053"), inst("Samarkand State University", "Q5753")
	l, err := db.Links.Create(ctx, &twin.Link{Institutions: []int64{u1, u2}, Agreement: isfSam.ID})
	if err != nil {
		t.Fatal(err)
	}
	act := func(agreement, link int64, title string) *twin.Activity {
		a, err := db.Activities.Create(ctx, &twin.Activity{Agreement: agreement, Link: link, Kind: "event", Title: twin.Names{"en": title}})
		if err != nil {
			t.Fatal(err)
		}
		return a
	}
	act(isfSam.ID, 0, "under the agreement")
	act(0, l.ID, "under its link")
	gone := act(isfPor.ID, 0, "deleted")
	if err := db.Activities.Delete(ctx, gone.ID, gone.Version); err != nil {
		t.Fatal(err)
	}
	act(samPor.ID, 0, "another city's")

	f, err := db.CityPartnerFacts(ctx, isfSam.CityIDs[0])
	if err != nil {
		t.Fatal(err)
	}
	for _, ag := range []*twin.Agreement{isfSam, isfPor, samPor} {
		wantActs, err := db.ActivitiesOf(ctx, ag.ID)
		if err != nil {
			t.Fatal(err)
		}
		wantLinks, err := db.LinksOf(ctx, ag.ID)
		if err != nil {
			t.Fatal(err)
		}
		if ag == samPor { // not Isfahan's
			wantActs, wantLinks = nil, nil
		}
		if got, want := sortedIDs(f.Activities[ag.ID]), sortedIDs(wantActs); !slices.Equal(got, want) {
			t.Errorf("activities of agreement %d = %v, want %v", ag.ID, got, want)
		}
		if got, want := sortedIDs(f.Links[ag.ID]), sortedIDs(wantLinks); !slices.Equal(got, want) {
			t.Errorf("links of agreement %d = %v, want %v", ag.ID, got, want)
		}
	}
	if n := len(f.Activities[isfSam.ID]); n != 2 {
		t.Errorf("Isfahan–Samarkand has %d activities, want 2 (one under its link)", n)
	}
}

func sortedIDs[T interface{ GetMeta() *twin.Meta }](xs []T) []int64 {
	var out []int64
	for _, x := range xs {
		out = append(out, x.GetMeta().ID)
	}
	slices.Sort(out)
	return out
}
