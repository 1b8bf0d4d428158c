package intel

import (
	"context"
	"io"
	"log/slog"
	"testing"
	"time"

	"github.com/twinning/twinning/internal/calendar"
	"github.com/twinning/twinning/internal/store/storetest"
	"github.com/twinning/twinning/internal/twin"
)

// Vitalities answers, for many agreements read at once, what Vitality answers for each, and
// follows this server's writes: a new activity makes a dormant partnership active.
func TestVitalitiesFollowWrites(t *testing.T) {
	t.Parallel()
	ctx := twin.WithActor(context.Background(), "test")
	db := storetest.Open(t)
	in, err := New(ctx, db, slog.New(slog.NewTextHandler(io.Discard, nil)))
	if err != nil {
		t.Fatal(err)
	}
	db.OnChange = in.Changed
	for _, q := range []string{"Q42053", "Q5753", "Q5826", "Q36433"} {
		if _, err := db.Cities.Create(ctx, &twin.City{Names: twin.Names{"en": q}, Country: "IR", Wikidata: q}); err != nil {
			t.Fatal(err)
		}
	}
	day := func(t0 time.Time) *calendar.PartialDate {
		d, err := calendar.Parse(calendar.Gregorian, t0.Format("2006-01-02"))
		if err != nil {
			t.Fatal(err)
		}
		return &d
	}
	signed := day(time.Now().AddDate(-10, 0, 0))
	var as []*twin.Agreement
	for _, other := range []string{"Q5753", "Q5826", "Q36433"} {
		a, err := db.Agreements.Create(ctx, &twin.Agreement{Cities: []string{"Q42053", other}, Status: "signed", Signed: signed})
		if err != nil {
			t.Fatal(err)
		}
		as = append(as, a)
	}
	if _, err := db.Activities.Create(ctx, &twin.Activity{Agreement: as[0].ID, Kind: "visit", Title: twin.Names{"en": "a visit"}, Start: day(time.Now().AddDate(0, -1, 0))}); err != nil {
		t.Fatal(err)
	}
	states := func() []string {
		var out []string
		for i, v := range in.Vitalities(ctx, as) {
			if one := in.Vitality(ctx, as[i]); one.State != v.State || len(one.Reasons) != len(v.Reasons) {
				t.Errorf("agreement %d: %+v at once, %+v alone", as[i].ID, v, one)
			}
			out = append(out, v.State)
		}
		return out
	}
	if got := states(); got[0] != "active" || got[1] == "active" || got[2] == "active" {
		t.Fatalf("states %v, want only the first active", got)
	}
	if _, err := db.Activities.Create(ctx, &twin.Activity{Agreement: as[2].ID, Kind: "meeting", Title: twin.Names{"en": "a meeting"}, Start: day(time.Now().AddDate(0, 0, -3))}); err != nil {
		t.Fatal(err)
	}
	if got := states(); got[2] != "active" || got[1] == "active" {
		t.Errorf("after a meeting under the third: %v", got)
	}
}
