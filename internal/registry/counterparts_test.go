package registry

import (
	"context"
	"fmt"
	"slices"
	"testing"

	"github.com/twinning/twinning/internal/store/storetest"
	"github.com/twinning/twinning/internal/twin"
)

// activeOnly says the agreements it holds are active and the others dormant, and counts how
// it was asked.
type activeOnly struct {
	active map[int64]bool
	calls  [][]int64
}

func (v *activeOnly) Vitalities(_ context.Context, as []*twin.Agreement) []*twin.Vitality {
	var ids []int64
	out := make([]*twin.Vitality, len(as))
	for i, a := range as {
		ids = append(ids, a.ID)
		out[i] = &twin.Vitality{State: "dormant"}
		if v.active[a.ID] {
			out[i].State = "active"
		}
	}
	v.calls = append(v.calls, ids)
	return out
}

func TestCounterparts(t *testing.T) {
	t.Parallel()
	ctx := twin.WithActor(context.Background(), "test")
	db := storetest.Open(t)
	reg := New(db)
	must := func(err error) {
		t.Helper()
		if err != nil {
			t.Fatal(err)
		}
	}
	for _, c := range []struct{ fa, en, qid string }{{"اصفهان", "Isfahan", "Q42053"}, {"سمرقند", "Samarkand", "Q5753"}, {"شیآن", "Xi'an", "Q5826"}, {"پورتو", "Porto", "Q36433"}} {
		_, err := db.Cities.Create(ctx, &twin.City{Names: twin.Names{"fa": c.fa, "en": c.en}, Country: "IR", Wikidata: c.qid})
		must(err)
	}
	agree := func(other, status string, domains ...string) *twin.Agreement {
		a, err := db.Agreements.Create(ctx, &twin.Agreement{Cities: []string{"Q42053", other}, Status: status, Domains: domains})
		must(err)
		return a
	}
	sam := agree("Q5753", "signed", "culture", "higher_education")
	xian := agree("Q5826", "signed")
	agree("Q36433", "proposed")
	inst := func(name, typ, city string) *twin.Institution {
		in, err := db.Institutions.Create(ctx, &twin.Institution{Names: twin.Names{"en": name}, Type: typ, City: city})
		must(err)
		return in
	}
	uni := inst("University of Isfahan", "university", "Q42053")
	samUni := inst("Samarkand State University", "university", "Q5753")
	samMuseum := inst("Registan Museum", "museum", "Q5753")
	samLinked := inst("Samarkand Institute of Archaeology", "research_centre", "Q5753")
	xianUni := inst("Northwest University", "university", "Q5826")
	xianMuseum := inst("Shaanxi History Museum", "museum", "Q5826")
	inst("University of Porto", "university", "Q36433") // a proposed partner's: not suggested
	_, err := db.Links.Create(ctx, &twin.Link{Institutions: []int64{uni.ID, samLinked.ID}, Agreement: sam.ID, Status: "active", Domains: []string{"higher_education", "archaeology"}})
	must(err)

	vit := &activeOnly{active: map[int64]bool{sam.ID: true}}
	got, err := reg.Counterparts(ctx, uni.ID, "en", vit)
	must(err)
	type row struct {
		id      int64
		score   float64
		reasons string
	}
	var rows []row
	for _, cp := range got {
		var codes []string
		for _, re := range cp.Reasons {
			codes = append(codes, re.Code)
		}
		rows = append(rows, row{cp.Institution.ID, cp.Score, fmt.Sprint(codes)})
	}
	want := []row{
		{samUni.ID, weightSignedPartner + weightSameType + weightActivePartnership + weightSharedDomain, "[signed_partner same_type active_partnership agreement_domains]"},
		{xianUni.ID, weightSignedPartner + weightSameType, "[signed_partner same_type]"},
		{samMuseum.ID, weightSignedPartner + weightActivePartnership + weightSharedDomain, "[signed_partner active_partnership agreement_domains]"},
		{xianMuseum.ID, weightSignedPartner, "[signed_partner]"},
	}
	if !slices.Equal(rows, want) {
		t.Errorf("counterparts\n got %v\nwant %v", rows, want)
	}
	if len(got) > 0 {
		if city := got[0].Reasons[0].Params["city"]; city != "Samarkand" || got[0].City.Wikidata != "Q5753" {
			t.Errorf("the first is in %v (%s)", city, got[0].City.Wikidata)
		}
		if d := got[0].Reasons[3].Params["domains"]; fmt.Sprint(d) != "[higher_education]" {
			t.Errorf("shared domains %v", d)
		}
	}
	if len(vit.calls) != 1 || !slices.Equal(vit.calls[0], []int64{sam.ID, xian.ID}) {
		t.Errorf("the partnerships' vitality was asked %v, want once for both signed ones", vit.calls)
	}
	// In Persian, the reasons name the city in Persian.
	if fa, err := reg.Counterparts(ctx, uni.ID, "fa", vit); err != nil || len(fa) != 4 || fa[0].Reasons[0].Params["city"] != "سمرقند" {
		t.Errorf("in Persian: %v %v", fa, err)
	}
	if _, err := reg.Counterparts(ctx, 9999, "en", vit); twin.ErrorCode(err) != twin.ENOTFOUND {
		t.Errorf("an unknown institution: %v", err)
	}
}

// A city with no signed partner has no counterparts, and no vitality is asked.
func TestCounterpartsWithoutPartners(t *testing.T) {
	t.Parallel()
	ctx := twin.WithActor(context.Background(), "test")
	db := storetest.Open(t)
	if _, err := db.Cities.Create(ctx, &twin.City{Names: twin.Names{"en": "Isfahan"}, Country: "IR", Wikidata: "Q42053"}); err != nil {
		t.Fatal(err)
	}
	in, err := db.Institutions.Create(ctx, &twin.Institution{Names: twin.Names{"en": "University of Isfahan"}, Type: "university", City: "Q42053"})
	if err != nil {
		t.Fatal(err)
	}
	vit := &activeOnly{}
	got, err := New(db).Counterparts(ctx, in.ID, "en", vit)
	if err != nil || got == nil || len(got) != 0 || len(vit.calls) != 0 {
		t.Errorf("got %v %v, vitality asked %v", got, err, vit.calls)
	}
}
