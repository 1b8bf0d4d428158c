package registry

import (
	"context"
	"fmt"
	"os"
	"slices"
	"testing"

	"github.com/twinning/twinning/internal/calendar"
	"github.com/twinning/twinning/internal/extract"
	"github.com/twinning/twinning/internal/store"
	"github.com/twinning/twinning/internal/store/storetest"
	"github.com/twinning/twinning/internal/twin"
)

const seedURL = "https://www.isfahan.ir/news/sister-samarkand"

// newsFixture is a registry with three of the seed article's cities (not Tashkent) and the
// article read.
type newsFixture struct {
	t   *testing.T
	ctx context.Context
	db  *store.DB
	reg *Registry
	res *extract.Result
}

func newNewsFixture(t *testing.T) *newsFixture {
	t.Helper()
	db := storetest.Open(t)
	f := &newsFixture{t: t, ctx: twin.WithActor(context.Background(), "reviewer"), db: db, reg: New(db)}
	for _, c := range []struct{ en, country, qid string }{{"Isfahan", "IR", "Q42053"}, {"Samarkand", "UZ", "Q5753"}, {"Porto", "PT", "Q36433"}} {
		if _, err := db.Cities.Create(f.ctx, &twin.City{Names: twin.Names{"en": c.en}, Country: c.country, Wikidata: c.qid}); err != nil {
			t.Fatal(err)
		}
	}
	b, err := os.ReadFile("../extract/testdata/isfahan-samarkand.fa.txt")
	if err != nil {
		t.Fatal(err)
	}
	if f.res, err = ReadArticle(string(b), seedURL, "2021-10-20", ""); err != nil {
		t.Fatal(err)
	}
	return f
}

// ref names the first fact of kind whose proposed values include want.
func (f *newsFixture) ref(kind string, want map[string]string) string {
	f.t.Helper()
	for i := range FactCount(f.res, kind) {
		v := ProposedValues(f.res, kind, i)
		if !slices.ContainsFunc(mapKeys(want), func(k string) bool { return v[k] != want[k] }) {
			return fmt.Sprintf("%s:%d", kind, i)
		}
	}
	f.t.Fatalf("the article proposes no %s with %v", kind, want)
	return ""
}

func mapKeys(m map[string]string) []string {
	var ks []string
	for k := range m {
		ks = append(ks, k)
	}
	return ks
}

// count is how many live records of a kind the registry holds.
func (f *newsFixture) count(kind twin.Kind) int64 {
	f.t.Helper()
	n, err := f.db.Count(f.ctx, kind)
	if err != nil {
		f.t.Fatal(err)
	}
	return n
}

func TestAcceptWritesOnceAndAgainChangesNothing(t *testing.T) {
	t.Parallel()
	f := newNewsFixture(t)
	decided := []Decision{
		{Ref: f.ref("agreement", map[string]string{"status": "signed"})},
		{Ref: f.ref("institution", map[string]string{"type": "research_centre", "city": "Q5753"})},
		{Ref: f.ref("person", map[string]string{"city": "Q5753"})},
		{Ref: f.ref("event", map[string]string{"kind": "festival"})},
		{Ref: "domain:0"},
	}
	applied, problems, err := f.reg.Accept(f.ctx, f.res, decided)
	if err != nil || len(problems) > 0 {
		t.Fatalf("accept: %v %v", problems, err)
	}
	kinds := map[string]string{}
	for _, a := range applied {
		if a.Action != "created" || a.ID == 0 {
			t.Errorf("%s: %s %d, want created", a.Ref, a.Action, a.ID)
		}
		kinds[a.Ref] = a.Kind
	}
	if kinds["domain:0"] != "agreement" || kinds[decided[3].Ref] != "activity" || len(applied) != 5 {
		t.Errorf("applied %+v", applied)
	}
	for kind, want := range map[twin.Kind]int64{twin.KindAgreement: 1, twin.KindInstitution: 1, twin.KindPerson: 1, twin.KindActivity: 1} {
		if n := f.count(kind); n != want {
			t.Errorf("%d %s, want %d", n, kind.Plural(), want)
		}
	}
	// The same facts again: every record is found, none changed.
	again, problems, err := f.reg.Accept(f.ctx, f.res, decided)
	if err != nil || len(problems) > 0 {
		t.Fatalf("accept again: %v %v", problems, err)
	}
	for i, a := range again {
		if a.Action != "unchanged" || a.ID != applied[i].ID {
			t.Errorf("again %s: %s %d, want unchanged %d", a.Ref, a.Action, a.ID, applied[i].ID)
		}
	}
	if n := f.count(twin.KindAgreement) + f.count(twin.KindInstitution) + f.count(twin.KindPerson) + f.count(twin.KindActivity); n != 4 {
		t.Errorf("accepting again made %d records", n)
	}
}

func TestAcceptFindsTheRegistryInstitution(t *testing.T) {
	t.Parallel()
	f := newNewsFixture(t)
	ref := f.ref("institution", map[string]string{"type": "research_centre", "city": "Q5753"})
	name := ProposedValues(f.res, "institution", mustIndex(t, ref))["name"]
	// The registry knows it under another name, with the article's spelling as an alias.
	in, err := f.db.Institutions.Create(f.ctx, &twin.Institution{Names: twin.Names{"en": "Archaeology Centre"}, Aliases: []string{name}, Type: "research_centre", City: "Q5753"})
	if err != nil {
		t.Fatal(err)
	}
	applied, problems, err := f.reg.Accept(f.ctx, f.res, []Decision{{Ref: ref}})
	if err != nil || len(problems) > 0 {
		t.Fatalf("accept: %v %v", problems, err)
	}
	if len(applied) != 1 || applied[0].ID != in.ID || applied[0].Action != "updated" {
		t.Fatalf("applied %+v, want institution %d updated", applied, in.ID)
	}
	got, _ := f.db.Institutions.Get(f.ctx, in.ID)
	if len(got.Sources) != 1 || got.Sources[0].URL != seedURL || got.Sources[0].Dataset != "news" {
		t.Errorf("the institution cites %+v", got.Sources)
	}
}

func TestAcceptProblemsWriteNothing(t *testing.T) {
	t.Parallel()
	f := newNewsFixture(t)
	ag := f.ref("agreement", map[string]string{"status": "signed"})
	for _, tt := range []struct {
		name    string
		decided []Decision
		key     string
		code    string
		alone   bool // else a valid fact goes with it, and is not written either
	}{
		{"an unknown fact", []Decision{{Ref: "agreement:99"}}, "agreement:99", "extract_unknown_fact", false},
		{"an unknown kind", []Decision{{Ref: "city:0"}}, "city:0", "extract_unknown_fact", false},
		{"an unknown field", []Decision{{Ref: ag, Values: map[string]string{"colour": "red"}}}, ag + ".colour", "unknown_field", false},
		{"a status not in the list", []Decision{{Ref: ag, Values: map[string]string{"status": "married"}}}, ag + ".status", twin.KeyInvalidChoice, false},
		{"a date not in its calendar", []Decision{{Ref: ag, Values: map[string]string{"signed": "۱۴۰۴-۱۲-۳۰", "signed_calendar": "jalali"}}}, ag + ".signed", calendar.CodeDateInvalid, false},
		{"a domain without an agreement", []Decision{{Ref: "domain:0"}}, "domain:0", "extract_domain_needs_agreement", true},
		{"a city outside the registry", []Decision{{Ref: f.ref("institution", map[string]string{"type": "embassy"})}}, f.ref("institution", map[string]string{"type": "embassy"}) + ".city", "extract_not_in_registry", false},
	} {
		t.Run(tt.name, func(t *testing.T) {
			decided := tt.decided
			if !tt.alone {
				decided = append(decided, Decision{Ref: f.ref("agreement", map[string]string{"status": "proposed"})})
			}
			applied, problems, err := f.reg.Accept(f.ctx, f.res, decided)
			if err != nil {
				t.Fatal(err)
			}
			fe, ok := problems[tt.key]
			if !ok || (fe.Key != tt.code) || applied != nil {
				t.Errorf("problems %v, applied %v; want %s under %s", problems, applied, tt.code, tt.key)
			}
			if n := f.count(twin.KindAgreement); n != 0 {
				t.Errorf("a refused accept wrote %d agreements", n)
			}
		})
	}
}

// A date typed in Persian digits is read as in ASCII ones: the error names it in ASCII.
func TestAcceptReadsPersianDigits(t *testing.T) {
	t.Parallel()
	f := newNewsFixture(t)
	ag := f.ref("agreement", map[string]string{"status": "signed"})
	_, problems, err := f.reg.Accept(f.ctx, f.res, []Decision{{Ref: ag, Values: map[string]string{"signed": "۱۴۰۴-۱۲-۳۰", "signed_calendar": "jalali"}}})
	if err != nil {
		t.Fatal(err)
	}
	if fe := problems[ag+".signed"]; fe.Params["value"] != "1404-12-30" {
		t.Errorf("the date's problem: %+v", fe)
	}
	applied, problems, err := f.reg.Accept(f.ctx, f.res, []Decision{{Ref: ag, Values: map[string]string{"signed": "۱۴۰۰-۰۷-۲۸", "signed_calendar": "jalali"}}})
	if err != nil || len(problems) > 0 {
		t.Fatalf("accept: %v %v", problems, err)
	}
	a, _ := f.db.Agreements.Get(f.ctx, applied[0].ID)
	if a.Signed == nil || a.Signed.Start != "2021-10-20" {
		t.Errorf("signed %+v", a.Signed)
	}
}

func mustIndex(t *testing.T, ref string) int {
	_, i, ok := SplitRef(ref)
	if !ok {
		t.Fatalf("ref %q", ref)
	}
	return i
}

func TestSplitRef(t *testing.T) {
	t.Parallel()
	for ref, want := range map[string]struct {
		kind string
		i    int
		ok   bool
	}{"agreement:0": {"agreement", 0, true}, "person:12": {"person", 12, true}, "event:-1": {}, "domain": {}, "x:y": {}, ":3": {"", 3, true}} {
		k, i, ok := SplitRef(ref)
		if k != want.kind || i != want.i || ok != want.ok {
			t.Errorf("SplitRef(%q) = %q, %d, %v", ref, k, i, ok)
		}
	}
}

func TestPairKey(t *testing.T) {
	t.Parallel()
	if PairKey("Q5753", "Q42053") != PairKey("Q42053", "Q5753") || PairKey("Q1", "Q2") != "Q1|Q2" {
		t.Error("a pair's key depends on the order of its cities")
	}
}

func TestArticleSpellings(t *testing.T) {
	t.Parallel()
	if got := articleSpellings("مرکز باستان‌شناسی", "مرکز باستان‌شناسی", []string{"مرکز باستان شناسی", "مرکز باستان‌شناسی"}); !slices.Equal(got, []string{"مرکز باستان شناسی"}) {
		t.Errorf("kept %q", got)
	}
	if got := articleSpellings("Archaeology Centre", "مرکز باستان‌شناسی", []string{"مرکز باستان شناسی"}); got != nil {
		t.Errorf("a renamed fact kept the article's spellings %q", got)
	}
}

// An undated fact's date is to be typed in the calendar the article's readers count in.
func TestProposedValuesCalendar(t *testing.T) {
	t.Parallel()
	f := newNewsFixture(t)
	v := ProposedValues(f.res, "agreement", mustIndex(t, f.ref("agreement", map[string]string{"signed": ""})))
	if v["signed_calendar"] != "jalali" {
		t.Errorf("a Persian article's undated agreement: %v", v)
	}
}
