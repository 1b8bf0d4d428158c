package extract

import (
	"testing"
)

// TestPersianNames: names keep neither the article's stripped half-spaces
// nor its kashida; the article's spelling stays as an alias.
func TestPersianNames(t *testing.T) {
	t.Parallel()
	text := "سی و چهارمین جشنواره بینالمللی فیلمهای کودکان و نوجوانان در اصفهان برگزار می‌شود. " +
		"هنرمندان سمرقند به جشنواره بینالمللی فیلمهای کودکان و نوجوانان دعوت شدند. " +
		"علی رضایی، شهردار اصفهان، گفت: جشنواره بین‌المللـــی فیلم‌های کودکان و نوجوانان میزبان سمرقند است."
	r := Extract(text, gaz(t), Options{Published: "2021-07-21"})
	checkEvidence(t, text, r)
	const want = "جشنواره بین\u200cالمللی فیلم\u200cهای کودکان و نوجوانان"
	found := false
	for _, in := range r.Institutions {
		if in.Type != "festival" {
			continue
		}
		if in.Name != want {
			t.Errorf("festival named %q, want %q", in.Name, want)
		}
		found = true
		if len(in.Aliases) != 1 || in.Aliases[0] != "جشنواره بینالمللی فیلمهای کودکان و نوجوانان" {
			t.Errorf("aliases %q: want the article's spelling", in.Aliases)
		}
	}
	if !found {
		t.Fatalf("no festival: %+v", r.Institutions)
	}
	festivals := 0
	for _, e := range r.Events {
		if e.Kind == "festival" {
			festivals++
			if e.Title != want {
				t.Errorf("event title %q", e.Title)
			}
			if e.Ordinal != 34 {
				t.Errorf("ordinal %d", e.Ordinal)
			}
		}
	}
	if festivals != 1 {
		t.Errorf("%d festival events, want one for the festival mentioned three times: %+v", festivals, r.Events)
	}
}

func TestPersianNameLexicon(t *testing.T) {
	t.Parallel()
	for in, want := range map[string]string{
		"بینالمللی":        "بین\u200cالمللی",
		"فیلمهای کودکان":   "فیلم\u200cهای کودکان",
		"بین\u200cالمللی":  "بین\u200cالمللی",
		"اصفهان":           "اصفهان",
		"Isfahan Festival": "Isfahan Festival",
	} {
		if got := persianName(in); got != want {
			t.Errorf("persianName(%q) = %q, want %q", in, got, want)
		}
	}
}

// TestSameEventOnce: a visit reported twice is one proposed event with both
// statements as mentions.
func TestSameEventOnce(t *testing.T) {
	t.Parallel()
	text := "شهردار اصفهان برای سفر به سمرقند آماده می‌شود. او گفت این سفر به سمرقند در ماه آینده انجام می‌شود."
	r := Extract(text, gaz(t), Options{})
	checkEvidence(t, text, r)
	visits := 0
	for _, e := range r.Events {
		if e.Kind == "visit" {
			visits++
			if len(e.Mentions) != 2 {
				t.Errorf("visit mentions %+v, want both statements", e.Mentions)
			}
		}
	}
	if visits != 1 {
		t.Errorf("%d visits, want 1: %+v", visits, r.Events)
	}
}
