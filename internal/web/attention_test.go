package web

import (
	"encoding/json"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/twinning/twinning/internal/calendar"
)

// TestAttentionRankedWithReasons: a city's partnerships that need attention come in the order
// an international-affairs office acts on them — promises unkept longest first, then quiet,
// suspended, cooling, a term ending soon, never tracked last — each with its own reasons in
// the reader's language: Jalali years in Persian digits on Persian pages.
func TestAttentionRankedWithReasons(t *testing.T) {
	t.Parallel()
	ts := newIntelServer(t)
	now := time.Now().UTC()
	day := func(t time.Time) string { return t.Format(time.DateOnly) }
	city := func(fa, en, country, qid string) call {
		return call{method: "POST", path: "/api/v1/cities", status: 201,
			body: `{"names":{"fa":"` + fa + `","en":"` + en + `"},"country":"` + country + `","wikidata":"` + qid + `"}`}
	}
	agreement := func(partner, status, extra string) call {
		return call{method: "POST", path: "/api/v1/agreements", status: 201,
			body: `{"cities":["Q42053","` + partner + `"],"status":"` + status + `","signed":{"calendar":"gregorian","value":"2010-10-05"}` + extra + `}`}
	}
	activity := func(agreement int, start time.Time, domains string) call {
		return call{method: "POST", path: "/api/v1/activities", status: 201,
			body: fmt.Sprintf(`{"agreement":%d,"kind":"festival","title":{"en":"a week"},"start":{"calendar":"gregorian","value":%q},"domains":[%s]}`, agreement, day(start), domains)}
	}
	xian := now.AddDate(-5, -2, 0)  // quiet for 5 years, promises unkept
	kazan := now.AddDate(-4, -1, 0) // quiet for 4 years
	porto := now.AddDate(-2, -6, 0) // cooling: 30 months
	ends := now.AddDate(0, 3, 10)   // Bukhara's term
	runCalls(t, ts, []call{
		city("اصفهان", "Isfahan", "IR", "Q42053"),
		city("شیآن", "Xi'an", "CN", "Q5826"), city("لاهور", "Lahore", "PK", "Q11739"), city("پورتو", "Porto", "PT", "Q36433"),
		city("بخارا", "Bukhara", "UZ", "Q182059"), city("سمرقند", "Samarkand", "UZ", "Q5753"), city("کازان", "Kazan", "RU", "Q900"),
		city("موستار", "Mostar", "BA", "Q131365"),
		agreement("Q5826", "signed", `,"domains":["culture","trade"]`),                              // 1
		agreement("Q11739", "suspended", ""),                                                        // 2
		agreement("Q36433", "signed", ""),                                                           // 3
		agreement("Q182059", "signed", `,"ended":{"calendar":"gregorian","value":"`+day(ends)+`"}`), // 4
		agreement("Q5753", "signed", ""),                                                            // 5
		agreement("Q900", "signed", ""),                                                             // 6
		agreement("Q131365", "signed", ""),                                                          // 7
		activity(1, xian, `"film"`), activity(6, kazan, ""), activity(3, porto, ""),
		activity(4, now.AddDate(0, -1, 0), ""), activity(7, now.AddDate(0, -2, 0), ""),
	})
	type answer struct {
		Items []struct {
			Partner struct{ Wikidata string } `json:"partner"`
			Concern string                    `json:"concern"`
			Reasons []struct{ Code, Text string }
			Missing []string `json:"missing"`
		} `json:"items"`
	}
	get := func(lang string) answer {
		_, body := do(t, ts, call{method: "GET", path: "/api/v1/cities/Q42053/attention", headers: map[string]string{"Accept-Language": lang}})
		var a answer
		if err := json.Unmarshal([]byte(body), &a); err != nil {
			t.Fatalf("%s: %v", body, err)
		}
		return a
	}
	en := get("en")
	var order []string
	for _, it := range en.Items {
		order = append(order, it.Partner.Wikidata+" "+it.Concern)
	}
	want := []string{"Q5826 unkept_promises", "Q900 quiet", "Q11739 suspended", "Q36433 cooling", "Q182059 expiring", "Q5753 untracked"}
	if strings.Join(order, ", ") != strings.Join(want, ", ") {
		t.Fatalf("attention order:\n got %v\nwant %v", order, want)
	}
	text := func(a answer, i int) string {
		var ts []string
		for _, r := range a.Items[i].Reasons {
			ts = append(ts, r.Text)
		}
		return strings.Join(ts, " ")
	}
	year := func(t time.Time) int { return t.Year() }
	jyear := func(t time.Time) string {
		return calendar.Format(calendar.FromTime(t, calendar.Jalali, calendar.Year), "fa")
	}
	wantEN := []string{
		fmt.Sprintf("No activity since %d (5 years). Promised Culture, Trade and investment: none delivered.", year(xian)),
		fmt.Sprintf("No activity since %d (4 years).", year(kazan)),
		"Suspended: to resume or to end. No activity since the signing in 2010",
		fmt.Sprintf("No activity since %d (2 years). Turns dormant in 6 months without a new activity.", year(porto)),
		"Expires in 3 months (" + calendar.Format(calendar.FromTime(ends, calendar.Gregorian, calendar.Day), "en") + ").",
		"Nothing recorded since the signing in 2010",
	}
	for i, w := range wantEN {
		if got := text(en, i); !strings.HasPrefix(got, w) {
			t.Errorf("%s: reasons %q, want %q", en.Items[i].Partner.Wikidata, got, w)
		}
	}
	if m := en.Items[0].Missing; len(m) != 2 {
		t.Errorf("Xi'an's missing domains = %v", m)
	}
	fa := get("fa")
	wantFA := []string{
		"از " + jyear(xian) + " فعالیتی ثبت نشده است (۵ سال). وعدهٔ فرهنگ، تجارت و سرمایه‌گذاری: هیچ‌کدام انجام نشده است.",
		"از " + jyear(kazan) + " فعالیتی ثبت نشده است (۴ سال).",
		"معلق است",
		"اگر فعالیت تازه‌ای نباشد، ۶ ماه دیگر خاموش می‌شود.",
		"۳ ماه دیگر به پایان می‌رسد (" + calendar.Format(calendar.FromTime(ends, calendar.Gregorian, calendar.Day), "fa") + ").",
		"از امضا در ۱۳۸۹ چیزی ثبت نشده است",
	}
	for i, w := range wantFA {
		if got := text(fa, i); !strings.Contains(got, w) {
			t.Errorf("%s in Persian: reasons %q, want %q", fa.Items[i].Partner.Wikidata, got, w)
		}
		if got := text(fa, i); strings.ContainsAny(got, "0123456789") {
			t.Errorf("%s in Persian: Latin digits in %q", fa.Items[i].Partner.Wikidata, got)
		}
	}

	// The city page lists them in the same order, the never-tracked folded at the end.
	_, page := do(t, ts, call{method: "GET", path: "/fa/cities/Q42053", noAuth: true})
	sec := page[strings.Index(page, `id="h-attention"`):]
	sec = sec[:strings.Index(sec, "</section>")]
	last := -1
	for _, name := range []string{"شیآن", "کازان", "لاهور", "پورتو", "بخارا", "سمرقند"} {
		i := strings.Index(sec, name)
		if i < last {
			t.Errorf("the Persian city page lists %s out of order", name)
		}
		last = i
	}
	if strings.Contains(sec, "موستار") {
		t.Error("an active partnership is listed as needing attention")
	}
	if !strings.Contains(sec, `<details class="untracked"`) || strings.Index(sec, "سمرقند") < strings.Index(sec, `<details class="untracked"`) {
		t.Error("the never-tracked partnership is not folded at the end")
	}
}
