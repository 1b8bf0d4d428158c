package web

import (
	"context"
	"net/url"
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
	if _, body := f.get(t, nil, "/fa/cities/Q42053"); strings.Contains(body, `class="translit"`) {
		t.Error("a source's Persian name is marked as a transliteration")
	}
	_, body = f.get(t, nil, "/api/v1/search?q="+url.QueryEscape("استوتگارت"))
	if !strings.Contains(body, "Q1022") {
		t.Errorf("search by the transliteration does not find the city: %s", body)
	}
}
