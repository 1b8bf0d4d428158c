package store

import (
	"context"
	"testing"

	"github.com/twinning/twinning/internal/twin"
)

// TestSearchStemMeetsPlainWord: a query's light stem (doc/persian.md §1.5) finds a text that
// has the stem as a word, not only texts whose words stem to it; a ZWNJ in the query word is
// an explicit boundary (گفته‌ی → گفته, the ezafe written with yeh); names are never met
// through a stem.
func TestSearchStemMeetsPlainWord(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	db := openTest(t)
	ids := mkTexts(t, db, map[string]string{
		"ezafe":   "به گفتهٔ شهرداری اصفهان در دست امضا",
		"list":    "فهرست خواهرخوانده‌ها",
		"plural":  "دانشگاه‌های دو شهر",
		"unknown": "نشست هیئت‌ها",
	})
	bonn := mkCity(t, db, "بن", "Bonn", "DE", "Q586")
	find := func(q string, kinds ...string) map[string]bool {
		hits, err := db.Search(ctx, q, kinds, 50)
		if err != nil {
			t.Fatal(err)
		}
		got := map[string]bool{}
		for _, h := range hits {
			if h.Kind == twin.KindActivity {
				got[ids[h.ID]] = true
			} else if h.Kind == twin.KindCity && h.ID == bonn.ID {
				got["bonn"] = true
			}
		}
		return got
	}
	for _, tc := range []struct {
		want    string
		queries []string
	}{
		// unchanged forms keep working
		{"ezafe", []string{"گفتهٔ شهرداری", "گفتۀ شهرداری", "گفته شهرداری", "گفته"}},
		// the query's stem meets the text's plain word
		{"ezafe", []string{"گفته‌ی شهرداری", "گفته‌ی", "شهرداری‌ها", "شهرداریها", "شهرداری های"}},
		{"list", []string{"فهرست‌ها", "فهرستهای", "خواهرخوانده", "خواهرخوانده‌ها", "خواهرخواندههای"}},
		{"plural", []string{"دانشگاه", "دانشگاه‌ها", "دانشگاههایشان"}},
	} {
		for _, q := range tc.queries {
			if !find(q, "activity")[tc.want] {
				t.Errorf("%q does not find %s", q, tc.want)
			}
		}
	}
	for _, tc := range []struct{ q, notWant string }{
		{"بنها", "bonn"},    // a plural-looking query is not a name's stem
		{"دفتر", "list"},    // «تر» is never stripped from a joined word
		{"تهر", "ezafe"},    // no prefixes of words
		{"گفتهی", "plural"}, // a joined «ی» is no boundary; and another text anyway
	} {
		if find(tc.q)[tc.notWant] {
			t.Errorf("%q finds %s", tc.q, tc.notWant)
		}
	}
}

// TestSearchWordsOutrankTypos: a record holding every word of the query ranks above a name one
// letter away from the whole query (Search's documented order: words, then one-typo names).
func TestSearchWordsOutrankTypos(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	db := openTest(t)
	mkCity(t, db, "اصفهان", "Isfahan", "IR", "Q42053")
	mkCity(t, db, "سمرقند", "Samarkand", "UZ", "Q5753")
	sapan := mkCity(t, db, "ساپان", "Sapan", "TR", "") // skeleton SPN: one letter from SPHN
	a, err := db.Agreements.Create(ctx, &twin.Agreement{Cities: []string{"Q42053", "Q5753"}, Status: "signed"})
	if err != nil {
		t.Fatal(err)
	}
	act, err := db.Activities.Create(ctx, &twin.Activity{Agreement: a.ID, Kind: "event", Title: twin.Names{"en": "festival"},
		Description: twin.Names{"en": "Planned in 2021 according to the municipality of Isfahan", "fa": "جشنوارهٔ اصفهان در سال ۲۰۲۱"}})
	if err != nil {
		t.Fatal(err)
	}
	for _, q := range []string{"Isfahan 2021", "اصفهان ۲۰۲۱", "2021 Isfahan"} {
		hits, err := db.Search(ctx, q, nil, 20)
		if err != nil {
			t.Fatal(err)
		}
		rank := func(kind twin.Kind, id int64) int {
			for i, h := range hits {
				if h.Kind == kind && h.ID == id {
					return i
				}
			}
			return -1
		}
		ra, rs := rank(twin.KindActivity, act.ID), rank(twin.KindCity, sapan.ID)
		if ra < 0 {
			t.Errorf("%q: the activity holding both words is not found: %+v", q, hits)
			continue
		}
		if rs >= 0 && rs < ra {
			t.Errorf("%q: typo %+v ranks above the activity holding every word %+v", q, hits[rs], hits[ra])
		}
	}
}

// TestSearchPersianPrefix: a Persian name is found from its first three letters, as a Persian
// reader types it into a picker (no short vowels are written: «اصف» is "Esfa"); Latin names
// still need four, and whole names still rank first.
func TestSearchPersianPrefix(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	db := openTest(t)
	isfahan := mkCity(t, db, "اصفهان", "Isfahan", "IR", "Q42053")
	yazd := mkCity(t, db, "یزد", "Yazd", "IR", "Q185465")
	mkCity(t, db, "یزدان‌شهر", "Yazdanshahr", "IR", "")
	first := func(q string) int64 {
		hits, err := db.Search(ctx, q, []string{"city"}, 10)
		if err != nil {
			t.Fatal(err)
		}
		if len(hits) == 0 {
			return 0
		}
		return hits[0].ID
	}
	for _, q := range []string{"اصف", "اصفه", "اصفهان", "اصفهـان"} {
		if got := first(q); got != isfahan.ID {
			t.Errorf("%q: first hit %d, want Isfahan", q, got)
		}
	}
	if got := first("یزد"); got != yazd.ID {
		t.Errorf("«یزد» finds %d first, not Yazd itself", got)
	}
	if got := first("Isf"); got == isfahan.ID {
		t.Error("three Latin letters are taken as a name's prefix")
	}
}

// TestSearchCyrillicAsLatinName: a Cyrillic query is also matched, as an alias, by its Latin
// transliterations against every name (doc/persian.md §4.1): Uzbek «Самарқанд» is Samarqand,
// Russian «Ташкент» is Tashkent, and Uzbek «Бухоро», without a letter of Uzbek's own, is read
// both ways (Buxoro, Bukhoro).
func TestSearchCyrillicAsLatinName(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	db := openTest(t)
	sam, err := db.Cities.Create(ctx, &twin.City{Names: twin.Names{"en": "Samarkand", "uz": "Samarqand"}, Country: "UZ", Wikidata: "Q5753"})
	if err != nil {
		t.Fatal(err)
	}
	tash := mkCity(t, db, "تاشکند", "Tashkent", "UZ", "Q269")
	bukhara, err := db.Cities.Create(ctx, &twin.City{Names: twin.Names{"en": "Bukhara", "uz": "Buxoro"}, Country: "UZ", Wikidata: "Q182059"})
	if err != nil {
		t.Fatal(err)
	}
	for q, want := range map[string]int64{"Самарқанд": sam.ID, "САМАРҚАНД": sam.ID, "Ташкент": tash.ID, "Бухоро": bukhara.ID} {
		hits, err := db.Search(ctx, q, []string{"city"}, 5)
		if err != nil {
			t.Fatal(err)
		}
		if len(hits) == 0 || hits[0].ID != want || hits[0].Match != "alias" {
			t.Errorf("%q: %+v, want city %d matched as an alias", q, hits, want)
		}
	}
}
