package web

import (
	"context"
	"encoding/json"
	"html"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"

	"github.com/twinning/twinning/internal/auth"
	"github.com/twinning/twinning/internal/httpx"
	"github.com/twinning/twinning/internal/store"
	"github.com/twinning/twinning/internal/twin"
)

// namesakeFixture is a registry of two Springfields in the United States, one twinned
// with Tai'an and Kilkenny, the other with Porto, and a Springfield in Australia with no
// partner: three cities no name tells apart.
type namesakeFixture struct {
	*fixture
	illinois, massachusetts, australia *twin.City
}

func newNamesakeFixture(t *testing.T) *namesakeFixture {
	t.Helper()
	ctx := context.Background()
	db := openFixtureDB(t, "namesakes.db")
	err := db.Write(ctx, func(tx *store.Tx) error {
		for _, c := range []twin.Country{
			{Code: "US", Names: twin.Names{"en": "United States", "fa": "ایالات متحده", "ru": "США"}},
			{Code: "AU", Names: twin.Names{"en": "Australia", "fa": "استرالیا", "ru": "Австралия"}},
			{Code: "CN", Names: twin.Names{"en": "China", "fa": "چین", "ru": "Китай"}},
			{Code: "IE", Names: twin.Names{"en": "Ireland", "fa": "ایرلند", "ru": "Ирландия"}},
			{Code: "PT", Names: twin.Names{"en": "Portugal", "fa": "پرتغال", "ru": "Португалия"}},
		} {
			if err := tx.PutCountry(ctx, c); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	city := func(qid, en, fa, country string) *twin.City {
		t.Helper()
		c, err := db.Cities.Create(ctx, &twin.City{Wikidata: qid, Names: twin.Names{"en": en, "fa": fa}, Country: country})
		if err != nil {
			t.Fatal(err)
		}
		return c
	}
	f := &namesakeFixture{}
	f.illinois = city("Q28515", "Springfield", "اسپرینگفیلد", "US")
	f.massachusetts = city("Q49158", "Springfield", "اسپرینگفیلد", "US")
	f.australia = city("Q1016011", "Springfield", "اسپرینگفیلد", "AU")
	city("Q58437", "Tai'an", "تای‌آن", "CN")
	city("Q184843", "Kilkenny", "کیلکنی", "IE")
	city("Q36433", "Porto", "پورتو", "PT")
	for _, pair := range [][]string{{"Q28515", "Q58437"}, {"Q28515", "Q184843"}, {"Q49158", "Q36433"}} {
		if _, err := db.Agreements.Create(ctx, &twin.Agreement{Cities: pair, Kind: twin.KindSister, Status: twin.StatusSigned}); err != nil {
			t.Fatal(err)
		}
	}
	f.fixture = &fixture{ts: serveFixture(t, db), db: db}
	return f
}

// candidateLine is the text the reader sees of the no-JS candidate whose radio picks ref.
func candidateLine(body, ref string) string {
	i := strings.Index(body, `#pick" value="`+ref+`"`)
	if i < 0 {
		return ""
	}
	j := strings.Index(body[i:], "</li>")
	if j < 0 {
		return ""
	}
	return html.UnescapeString(tags.ReplaceAllString(body[i+strings.Index(body[i:], ">")+1:i+j], ""))
}

var tags = regexp.MustCompile(`<[^>]*>`)

// TestNamesakesToldApart: a city name several cities share is offered, without a script and
// by the search the pickers ask, as that many different lines in the reader's language (the
// country, and within a country the partners a town is known by), and the one chosen, the
// second as well as the first, is the one saved.
func TestNamesakesToldApart(t *testing.T) {
	t.Parallel()
	f := newNamesakeFixture(t)
	ctx := context.Background()
	c := f.staffClient(t, "namesake-admin", auth.RoleAdmin)
	want := map[string]map[string]string{
		"en": {"Q28515": "partner of Tai'an, Kilkenny", "Q49158": "partner of Porto", "country": "United States", "Q1016011": "Australia"},
		"fa": {"Q28515": "خواهرخواندهٔ تای‌آن، کیلکنی", "Q49158": "خواهرخواندهٔ پورتو", "country": "ایالات متحده", "Q1016011": "استرالیا"},
	}
	// (a) Without a script: the institution form asks which Springfield, each line its own.
	for _, lang := range []string{"en", "fa"} {
		_, form := f.get(t, c, "/"+lang+"/staff/institutions/new")
		resp, body := postForm(t, c, f.ts.URL+"/"+lang+"/staff/institutions/new", url.Values{"csrf": {csrfFrom(t, form)}, "version": {"0"},
			"names.en": {"Springfield Museum"}, "type": {"museum"}, "city": {"Springfield"}})
		if resp.StatusCode != 422 {
			t.Fatalf("%s: a name three cities share was taken: %d", lang, resp.StatusCode)
		}
		w := want[lang]
		lines := map[string]string{}
		for _, ref := range []string{"Q28515", "Q49158", "Q1016011"} {
			lines[ref] = candidateLine(body, ref)
			if !strings.Contains(lines[ref], w[ref]) {
				t.Errorf("%s: the candidate %s reads %q, want %q in it", lang, ref, lines[ref], w[ref])
			}
		}
		if !strings.Contains(lines["Q28515"], w["country"]) || !strings.Contains(lines["Q49158"], w["country"]) {
			t.Errorf("%s: the American Springfields do not name their country: %q, %q", lang, lines["Q28515"], lines["Q49158"])
		}
		if strings.Contains(lines["Q1016011"], w["Q28515"]) || strings.Contains(lines["Q1016011"], w["Q49158"]) {
			t.Errorf("%s: the Australian Springfield is said to have another's partners: %q", lang, lines["Q1016011"])
		}
		if lang == "fa" && strings.ContainsAny(lines["Q28515"]+lines["Q49158"], "abcdefghijklmnopqrstuvwxyz") {
			t.Errorf("the Persian candidates hold Latin text: %q, %q", lines["Q28515"], lines["Q49158"])
		}
	}
	// (b) The search the pickers ask: each Springfield a detail of its own, in the language
	// asked; a city with a name of its own none.
	details := func(lang, q string) map[string]string {
		t.Helper()
		req, _ := http.NewRequest("GET", f.ts.URL+"/api/v1/search?type=city&q="+url.QueryEscape(q), nil)
		req.Header.Set("Accept-Language", lang)
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		var res httpx.SearchResult
		if err := json.NewDecoder(resp.Body).Decode(&res); err != nil {
			t.Fatal(err)
		}
		out := map[string]string{}
		for _, h := range res.Items {
			out[h.Ref] = h.Detail
		}
		return out
	}
	for _, lang := range []string{"en", "fa"} {
		d := details(lang, "Springfield")
		w := want[lang]
		seen := map[string]bool{}
		for _, ref := range []string{"Q28515", "Q49158", "Q1016011"} {
			if !strings.Contains(d[ref], w[ref]) || seen[d[ref]] {
				t.Errorf("%s: the search's detail of %s is %q, want %q in it, and no other's", lang, ref, d[ref], w[ref])
			}
			seen[d[ref]] = true
		}
		if !strings.Contains(d["Q28515"], w["country"]) {
			t.Errorf("%s: the detail %q does not name the country", lang, d["Q28515"])
		}
		if d := details(lang, "Kilkenny"); d["Q184843"] != "" {
			t.Errorf("%s: a city with a name of its own is given a detail: %q", lang, d["Q184843"])
		}
	}
	// (c) The second Springfield chosen is the one saved: picked from the list without a
	// script, or from the picker's option (its whole text, its id beside).
	_, form := f.get(t, c, "/en/staff/institutions/new")
	resp, _ := postForm(t, c, f.ts.URL+"/en/staff/institutions/new", url.Values{"csrf": {csrfFrom(t, form)}, "version": {"0"},
		"names.en": {"Springfield Museum"}, "type": {"museum"}, "city": {"Springfield"}, "city#pick": {"Q49158"}})
	if resp.StatusCode != 200 {
		t.Fatalf("picking the second Springfield: %d", resp.StatusCode)
	}
	shown := "Springfield (" + details("en", "Springfield")["Q1016011"] + ")"
	resp, _ = postForm(t, c, f.ts.URL+"/en/staff/institutions/new", url.Values{"csrf": {csrfFrom(t, form)}, "version": {"0"},
		"names.en": {"Springfield Library"}, "type": {"library"}, "city": {shown}, "city#id": {"Q1016011"}, "city#name": {shown}})
	if resp.StatusCode != 200 {
		t.Fatalf("choosing the third Springfield's option: %d", resp.StatusCode)
	}
	got, err := f.db.Institutions.List(ctx, twin.Filter{Limit: 100})
	if err != nil {
		t.Fatal(err)
	}
	saved := map[string]string{}
	for _, in := range got.Items {
		saved[in.Names["en"]] = in.City
	}
	if saved["Springfield Museum"] != "Q49158" || saved["Springfield Library"] != "Q1016011" {
		t.Errorf("saved in %q and %q, want Q49158 and Q1016011", saved["Springfield Museum"], saved["Springfield Library"])
	}
}

// TestFiltersAskWhichNamesake: the public proposals' and the moderation queue's city filter,
// given a name several cities share, list nothing and ask which one, each choice a link that
// keeps the other filters; the chosen city's proposals alone are then listed.
func TestFiltersAskWhichNamesake(t *testing.T) {
	t.Parallel()
	f := newNamesakeFixture(t)
	ctx := twin.WithActor(context.Background(), "test")
	for _, c := range []*twin.City{f.illinois, f.massachusetts} {
		title := "Jazz week in " + c.Wikidata
		if _, err := f.db.Proposals.Create(ctx, &twin.Proposal{Title: twin.Names{"en": title}, Kind: "festival", Cities: []string{c.Wikidata}, Status: "published"}); err != nil {
			t.Fatal(err)
		}
	}
	admin := f.staffClient(t, "filter-admin", auth.RoleAdmin)
	for _, page := range []struct {
		path   string
		client *http.Client
	}{{"/en/proposals", http.DefaultClient}, {"/en/staff/proposals", admin}} {
		_, body := f.get(t, page.client, page.path+"?status=published&city=Springfield")
		if strings.Contains(body, "Jazz week in") {
			t.Errorf("%s: a name three cities share is settled by itself", page.path)
		}
		link := html.EscapeString(page.path + "?city=Q49158&status=published")
		if !strings.Contains(body, "Several cities have this name") || !strings.Contains(body, `href="`+link+`"`) || !strings.Contains(body, "partner of Porto") {
			t.Errorf("%s: no choice of the namesakes with the filters kept (%s)", page.path, link)
		}
		_, body = f.get(t, page.client, page.path+"?status=published&city=Q49158")
		if !strings.Contains(body, "Jazz week in Q49158") || strings.Contains(body, "Jazz week in Q28515") {
			t.Errorf("%s: the chosen Springfield's proposals alone are not listed", page.path)
		}
	}
}

// TestNamesakeNotSettledBySize: a name two cities bear is asked about even when one is ten
// times as populous as the other (Halle (Saale) and Halle in Belgium), while a name one city
// bears is still taken at once beside a longer name it begins.
func TestNamesakeNotSettledBySize(t *testing.T) {
	t.Parallel()
	f := newNamesakeFixture(t)
	ctx := twin.WithActor(context.Background(), "test")
	for _, c := range []*twin.City{
		{Wikidata: "Q2814", Names: twin.Names{"en": "Halle"}, Country: "DE", Population: 238000},
		{Wikidata: "Q1124", Names: twin.Names{"en": "Halle"}, Country: "BE", Population: 20000},
		{Wikidata: "Q8717", Names: twin.Names{"en": "Sevilla"}, Country: "ES", Population: 690000},
		{Wikidata: "Q1989", Names: twin.Names{"en": "Sevilla la Nueva"}, Country: "ES", Population: 9000},
	} {
		if _, err := f.db.Cities.Create(ctx, c); err != nil {
			t.Fatal(err)
		}
	}
	_, body := f.get(t, http.DefaultClient, "/en/proposals?city=Halle")
	if !strings.Contains(body, "Several cities have this name") || !strings.Contains(body, "city=Q1124") || !strings.Contains(body, "city=Q2814") {
		t.Error("the larger Halle was taken without asking")
	}
	_, body = f.get(t, http.DefaultClient, "/en/proposals?city=Sevilla")
	if strings.Contains(body, "Several cities have this name") || !strings.Contains(body, `name="city#id" value="Q8717"`) {
		t.Error("a name one city bears was not taken at once")
	}
}
