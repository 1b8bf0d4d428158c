package persian

import (
	"reflect"
	"testing"
)

// TestSpecExamples runs the doc/persian.md §5 cases that belong to this package,
// by their IDs. EX07 and EX09 (ParseDate) belong to the calendar package.
func TestSpecExamples(t *testing.T) {
	t.Parallel()
	eq := func(id string, got, want any) {
		t.Helper()
		if !reflect.DeepEqual(got, want) {
			t.Errorf("%s: got %v, want %v", id, got, want)
		}
	}
	for _, s := range []string{"میتوانند", "می" + zw + "توانند", "می توانند"} {
		eq("EX01 "+s, NameKey(s), "میتوانند")
	}
	for _, s := range []string{"بینالمللی", "بین" + zw + "المللی", "بین المللی"} {
		eq("EX02 "+s, NameKey(s), "بینالمللی")
	}
	for _, s := range []string{"دانشگاههای", "دانشگاه" + zw + "های", "دانشگاه های"} {
		eq("EX03 "+s, NameKey(s), "دانشگاههای")
	}
	eq("EX04", Canonical("تصریـــــح"), "تصریح")
	eq("EX05", Canonical("سمرقنـــــــد"), "سمرقند")
	eq("EX06", Fold("سال ۱۳۹۷"), "سال 1397")
	eq("EX08", Fold("اکتبر سال ۲۰۲۱"), "اکتبر سال 2021")
	eq("EX10", Fold("«سمرقند» و «اصفهان»"), "سمرقند و اصفهان")
	eq("EX11", Fold("۶۰۰ دانشجو"), "600 دانشجو")
	v, ord, ok := ParseNumber("۱۳ خواهرخوانده")
	eq("EX12", []any{v, ord, ok}, []any{13.0, false, true})
	toks := Tokens("می توانند")
	eq("EX13 unigrams", termsOf(toks, Word), []string{"می", "توانند"})
	eq("EX13 join", termsOf(toks, Join), []string{"میتوانند"})
	eq("EX14", LightStem("میتوانند"), "توانند")
	eq("EX14 zwnj", LightStem("می"+zw+"توانند"), "توانند")
	eq("EX15", LightStem("دانشگاههای"), "دانشگاه")
	eq("EX15 zwnj", LightStem("دانشگاه"+zw+"های"), "دانشگاه")
	v, ord, ok = ParseNumber("سی و چهارمین")
	eq("EX16", []any{v, ord, ok}, []any{34.0, true, true})
	for _, s := range []string{"Samarkand", "Samarqand", "Самарқанд", "سمرقند"} {
		eq("EX17 "+s, Skeleton(s), "SMRKND")
	}
	for _, s := range []string{"Isfahan", "Esfahan", "Ispahan", "اصفهان"} {
		eq("EX18 "+s, Skeleton(s), "SPHN")
	}
	eq("EX18 Porto", []string{Skeleton("Porto"), Skeleton("پورتو")}, []string{"PRT", "PRT"})
	eq("EX18 Hyderabad", []string{Skeleton("Hyderabad"), Skeleton("حیدرآباد")}, []string{"HDRPD", "HDRPD"})
}
