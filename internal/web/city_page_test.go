package web

import (
	"strings"
	"testing"
	"time"
)

// TestCityPageClaimsAndTerms: a city the sources put in different countries says so under its
// name, each country with the sources that claim it, in the reader's language (never a
// dataset's slug); one every source agrees on says nothing. A partnership whose term ends in
// the future shows in the timeline as ending, not as ended.
func TestCityPageClaimsAndTerms(t *testing.T) {
	t.Parallel()
	ts := newIntelServer(t)
	future := time.Now().UTC().AddDate(2, 0, 0).Format(time.DateOnly)
	claim := func(country, dataset string) string {
		return `{"country":"` + country + `","source":{"dataset":"` + dataset + `"}}`
	}
	runCalls(t, ts, []call{
		{method: "POST", path: "/api/v1/cities", status: 201, body: `{"names":{"fa":"سواستوپول","en":"Sevastopol"},"country":"RU","wikidata":"Q7525","country_claims":[` +
			claim("RU", "wikidata-p190-2022") + `,` + claim("UA", "wikipedia-twin-towns-2026") + `]}`},
		{method: "POST", path: "/api/v1/cities", status: 201, body: `{"names":{"fa":"ورنا","en":"Varna"},"country":"BG","wikidata":"Q6506","country_claims":[` +
			claim("BG", "wikidata-p190-2022") + `]}`},
		{method: "POST", path: "/api/v1/agreements", status: 201, body: `{"cities":["Q7525","Q6506"],"status":"signed",` +
			`"signed":{"calendar":"gregorian","value":"2010-10-05"},"ended":{"calendar":"gregorian","value":"` + future + `"}}`},
	})
	page := func(lang, ref string) string {
		_, body := do(t, ts, call{method: "GET", path: "/" + lang + "/cities/" + ref, noAuth: true})
		return body
	}
	// The test registry holds no country names: countries show as their codes.
	claims := func(page string) string {
		_, rest, _ := strings.Cut(page, `<p class="claims">`)
		p, _, _ := strings.Cut(rest, "</p>")
		return p
	}
	en := page("en", "Q7525")
	for _, want := range []string{"Sources place it in different countries:", "RU", "UA",
		"Wikidata (P190), 2022 extract", "Wikipedia&#39;s lists of twin towns (2026)"} {
		if !strings.Contains(claims(en), want) {
			t.Errorf("English Sevastopol page's claims lack %q", want)
		}
	}
	if !strings.Contains(en, "Term ends with") {
		t.Error("a term ending in the future is not shown as ending")
	}
	if strings.Contains(en, "Ended with") {
		t.Error("a term ending in the future is shown as ended")
	}
	fa := page("fa", "Q7525")
	for _, want := range []string{"منابع، این شهر را در کشورهای گوناگونی می‌دانند:", "UA", "ویکی"} {
		if !strings.Contains(claims(fa), want) {
			t.Errorf("Persian Sevastopol page's claims lack %q", want)
		}
	}
	if !strings.Contains(fa, "پایان مدت پیمان با") {
		t.Error("the Persian timeline does not show the term's end to come")
	}
	if strings.Contains(fa, "wikipedia-twin-towns-2026") {
		t.Error("the Persian page shows a dataset's slug")
	}
	if varna := page("en", "Q6506"); strings.Contains(varna, "different countries") {
		t.Error("a city every source agrees on is said to be claimed by several countries")
	}
}
