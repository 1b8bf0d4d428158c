package web

import (
	"context"
	"encoding/json"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"testing"

	"github.com/twinning/twinning/internal/twin"
)

// TestCityTransliteratedName: a city no source names in Persian shows its rule-made Persian
// rendering marked as a transliteration (never as its Persian name), and search finds the city
// by it.
func TestCityTransliteratedName(t *testing.T) {
	t.Parallel()
	f := newPageFixture(t)
	if _, err := f.db.Cities.Create(context.Background(), &twin.City{Wikidata: "Q1022", Country: "DE",
		Names: twin.Names{"en": "Stuttgart", twin.LangFATranslit: "استوتگارت"}}); err != nil {
		t.Fatal(err)
	}
	resp, body := f.get(t, nil, "/fa/cities/Q1022")
	if resp.StatusCode != 200 {
		t.Fatalf("status %d", resp.StatusCode)
	}
	if !strings.Contains(body, `lang="fa-t-und-latn" class="translit" title="آوانویسی فارسی از نام لاتین، نه نگارش رسمی">استوتگارت</bdi>`) {
		t.Error("the transliteration is not shown marked as one")
	}
	// …and says so in words under the heading, for a reader who cannot hover.
	if !strings.Contains(body, `</h1>
 <p class="translit-note">آوانویسی فارسی از نام لاتین، نه نگارش رسمی</p>`) {
		t.Error("the page does not say in words that its heading is a transliteration")
	}
	if _, body := f.get(t, nil, "/fa/cities/Q42053"); strings.Contains(body, `class="translit"`) || strings.Contains(body, `class="translit-note"`) {
		t.Error("a source's Persian name is marked as a transliteration")
	}
	_, body = f.get(t, nil, "/api/v1/search?q="+url.QueryEscape("استوتگارت"))
	if !strings.Contains(body, "Q1022") {
		t.Errorf("search by the transliteration does not find the city: %s", body)
	}
}

// TestPartnerTransliteratedName: on Persian pages a city no source names in Persian is shown
// by its transliteration, marked as one, never by its Latin name: in the partner table and the
// map of the city page, on the agreement page, in search results and in the search API the
// pickers read. English pages keep the English name.
func TestPartnerTransliteratedName(t *testing.T) {
	t.Parallel()
	f := newPageFixture(t)
	ctx := context.Background()
	if _, err := f.db.Cities.Create(ctx, &twin.City{Wikidata: "Q180855", Country: "LB", Lat: fl(34.0), Lon: fl(36.2),
		Names: twin.Names{"en": "Baalbek", twin.LangFATranslit: "بعلبک"}}); err != nil {
		t.Fatal(err)
	}
	a, err := f.db.Agreements.Create(ctx, &twin.Agreement{Cities: []string{"Q42053", "Q180855"}, Kind: twin.KindSister, Status: twin.StatusSigned})
	if err != nil {
		t.Fatal(err)
	}
	marked := `<bdi lang="fa-t-und-latn" class="translit" title="آوانویسی فارسی از نام لاتین، نه نگارش رسمی">بعلبک</bdi>`
	for _, path := range []string{"/fa/cities/Q42053", "/fa/agreements/" + strconv.FormatInt(a.ID, 10),
		"/fa/search?q=" + url.QueryEscape("Baalbek"), "/fa/cities/Q180855"} {
		resp, body := f.get(t, nil, path)
		if resp.StatusCode != 200 {
			t.Fatalf("%s: status %d", path, resp.StatusCode)
		}
		if !strings.Contains(body, marked) {
			t.Errorf("%s: the transliteration is not shown marked", path)
		}
		if strings.Contains(body, "<bdi>Baalbek</bdi>") {
			t.Errorf("%s: the Latin name stands in for the Persian one", path)
		}
	}
	_, body := f.get(t, nil, "/fa/cities/Q42053")
	if !strings.Contains(body, `lang="fa-t-und-latn" class="translit">بعلبک</text>`) {
		t.Error("the partner map's label is not the marked transliteration")
	}
	if !strings.Contains(body, `<p class="translit-note">نام‌هایی که زیرشان نقطه‌چین است آوانویسی فارسی از نام لاتین‌اند، نه نگارش رسمی.</p>`) {
		t.Error("the partner table does not say in words what its dotted names are")
	}
	if strings.Contains(body, `<bdi lang="fa-t-und-latn" class="translit" title="آوانویسی فارسی از نام لاتین، نه نگارش رسمی">سمرقند`) {
		t.Error("a source's Persian name is marked as a transliteration")
	}
	_, body = f.get(t, nil, "/en/cities/Q42053")
	if !strings.Contains(body, "<bdi>Baalbek</bdi>") || strings.Contains(body, "بعلبک") {
		t.Error("the English page does not show the English name")
	}
	req, _ := http.NewRequest("GET", f.ts.URL+"/api/v1/search?type=city&q=Baalbek", nil)
	req.Header.Set("Accept-Language", "fa")
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	var res struct {
		Items []struct {
			Ref, Title string
			Names      twin.Names
		}
	}
	if err := json.NewDecoder(resp.Body).Decode(&res); err != nil {
		t.Fatal(err)
	}
	if len(res.Items) != 1 || res.Items[0].Title != "بعلبک" || res.Items[0].Names["fa"] != "" {
		t.Errorf("search API in Persian = %+v, want the transliteration as title and no \"fa\" name", res.Items)
	}
}

// TestCityOtherNamesOnce: the names a city page lists under its heading show each spelling
// once (Malmö's Persian and Arabic names are both «مالمو»).
func TestCityOtherNamesOnce(t *testing.T) {
	t.Parallel()
	f := newPageFixture(t)
	if _, err := f.db.Cities.Create(context.Background(), &twin.City{Wikidata: "Q2211", Country: "SE",
		Names: twin.Names{"en": "Malmö", "fa": "مالمو", "ar": "مالمو", "ru": "Мальмё"}}); err != nil {
		t.Fatal(err)
	}
	_, body := f.get(t, nil, "/en/cities/Q2211")
	if n := strings.Count(body, ">مالمو</bdi>"); n != 1 {
		t.Errorf("«مالمو» listed %d times under the heading", n)
	}
}
